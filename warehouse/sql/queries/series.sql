-- Current values of one indicator, in series order: public (suppressed) cells, or the
-- unsuppressed observations when $unsuppressed (restricted keys). Every filter is a bound
-- parameter; a null parameter means "no filter".
with
cells as (
    select * from public_observations where not $unsuppressed
    union all by name
    select * from observations where $unsuppressed
)
select geo_code, sex, age_group, period_start, frequency, value, lower, upper, obs_status,
    source_id
from cells
where indicator_code = $indicator
  and superseded_at is null
  and ($geos is null or list_contains($geos, geo_code))
  and ($start is null or period_start >= $start)
  and ($end is null or period_start <= $end)
  and ($sex is null or sex = $sex)
  and ($age_group is null or age_group = $age_group)
order by geo_code, sex, age_group, period_start, source_id
