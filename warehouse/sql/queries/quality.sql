-- The latest run of each source (adapter): rows in / loaded / quarantined over that run's
-- batches, and which checks failed how often. Only counts and rule names are published.
with
latest as (
    select adapter, arg_max(run_id, loaded_at) as run_id, max(loaded_at) as finished_at
    from batches
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
    join batches as b using (adapter, run_id)
    group by all
),
checks as (
    select l.adapter, list({'check': c.check_name, 'rows': c.rows} order by c.check_name)
        as failed_checks
    from latest as l
    join batch_checks as c using (run_id)
    join batches as b on b.batch_id = c.batch_id and b.adapter = l.adapter
    group by l.adapter
),
final as (
    select r.*, coalesce(c.failed_checks, []) as failed_checks
    from runs as r
    left join checks as c using (adapter)
)
select * from final
order by adapter
