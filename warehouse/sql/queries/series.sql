-- Current public values of one indicator, in series order. Every filter is a bound parameter;
-- a null parameter means "no filter".
select geo_code, sex, age_group, period_start, frequency, value, lower, upper, obs_status,
    source_id
from public_observations
where indicator_code = $indicator
  and superseded_at is null
  and ($geos is null or list_contains($geos, geo_code))
  and ($start is null or period_start >= $start)
  and ($end is null or period_start <= $end)
  and ($sex is null or sex = $sex)
  and ($age_group is null or age_group = $age_group)
order by geo_code, sex, age_group, period_start, source_id
