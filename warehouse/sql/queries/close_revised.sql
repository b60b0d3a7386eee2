-- Close the current row of every key whose incoming value differs (a revision).
update observations as o
set superseded_at = $now
from staged as s
where o.superseded_at is null
  and o.indicator_code = s.indicator_code
  and o.geo_code = s.geo_code
  and o.period_start = s.period_start
  and o.frequency = s.frequency
  and o.sex = s.sex
  and o.age_group = s.age_group
  and o.source_id = s.source_id
  and (
    o.value is distinct from s.value
    or o.lower is distinct from s.lower
    or o.upper is distinct from s.upper
    or o.obs_status is distinct from s.obs_status
    or o.verification is distinct from s.verification
  )
