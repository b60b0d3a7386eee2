-- The public form of each cell: a suppressed cell keeps its key and loses its figures; a
-- withheld one is left out.
select
    indicator_code, geo_code, period_start, period_end, frequency, sex, age_group,
    case when suppressed then null else value end as value,
    case when suppressed then null else lower end as lower,
    case when suppressed then null else upper end as upper,
    case when suppressed then 'S' else obs_status end as obs_status,
    source_id, source_type, verification, recorded_at, superseded_at, run_id
from cells
where not withheld
