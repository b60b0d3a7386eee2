-- Public-tier observations of the units being protected (temp table `dirty`, from
-- queries/dirty_periods.sql) with their primary suppression flag: counts at province level
-- below the indicator's threshold (1 .. threshold-1; a true zero reveals nobody). `known`:
-- a published snapshot already showed the row's value (disclosed_cells), so hiding it now
-- would protect nothing; `withheld`: the audit keeps the row out of public output;
-- `audit_due` and `complement_due`: the row changed since the disclosure audit last saw its
-- table, since the quick pass (queries/complement.sql) last saw its groups.
with
obs as (
    select o.*, i.value_type, i.aggregation, i.suppression_threshold, g.level
    from observations as o
    join dirty as d
        on d.indicator_code = o.indicator_code
        and d.period_start = o.period_start
    join indicators as i on i.code = o.indicator_code
    join geographies as g on g.code = o.geo_code
    where i.tier = 'public'
),
final as (
    select
        *,
        coalesce(
            value_type = 'count'
            and level = 'province'
            and value >= 1
            and value < suppression_threshold,
            false
        ) as suppressed,
        k.indicator_code is not null as known,
        false as withheld,
        true as audit_due,
        true as complement_due
    from obs
    left join disclosed_cells as k using (indicator_code, geo_code, period_start, frequency,
        sex, age_group, source_id, recorded_at)
)
-- A total order, so the audit's choices (it breaks ties by rowid_) do not depend on
-- storage order and recomputing a table gives the same suppressions.
select
    row_number() over (
        order by indicator_code, age_group, source_id, period_start, frequency, geo_code, sex,
            recorded_at, batch_id
    ) as rowid_,
    *
from final
