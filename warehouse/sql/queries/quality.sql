-- The latest run of each source (adapter): rows in / loaded / quarantined over that run's
-- batches, and which checks failed how often. Only counts and rule names are published.
-- Unless $all_tiers, rows of restricted-tier indicators are left out of every count (and a
-- batch of nothing else altogether), so a caller without a restricted key cannot tell that
-- such rows arrived.
with
shown as (
    select * replace (
        rows_in - hidden_loaded - hidden_quarantined as rows_in,
        rows_loaded - hidden_loaded as rows_loaded,
        rows_quarantined - hidden_quarantined as rows_quarantined
    )
    from (
        select *,
            case when $all_tiers then 0 else restricted_loaded end as hidden_loaded,
            case when $all_tiers then 0 else restricted_quarantined end as hidden_quarantined
        from batches
    )
    where rows_in > hidden_loaded + hidden_quarantined or rows_in = 0
),
latest as (
    select adapter, arg_max(run_id, loaded_at) as run_id, max(loaded_at) as finished_at
    from shown
    group by adapter
),
runs as (
    select l.adapter, l.run_id, l.finished_at,
        count(*) as batches,
        count(*) filter (where b.status = 'rejected') as batches_rejected,
        sum(b.rows_in) as rows_in,
        sum(b.rows_loaded) as rows_loaded,
        sum(b.rows_quarantined) as rows_quarantined
    from latest as l
    join shown as b using (adapter, run_id)
    group by all
),
checks as (
    select adapter, list({'check': check_name, 'rows': rows} order by check_name)
        as failed_checks
    from (
        select l.adapter, c.check_name, sum(c.rows) as rows
        from latest as l
        join batch_checks as c using (run_id)
        join shown as b on b.batch_id = c.batch_id and b.adapter = l.adapter
        where $all_tiers or not c.restricted
        group by all
    )
    group by adapter
),
final as (
    select r.*, coalesce(c.failed_checks, []) as failed_checks
    from runs as r
    left join checks as c using (adapter)
)
select * from final
order by adapter
