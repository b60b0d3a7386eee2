-- Insert every staged row that has no current row with the same key (new or just closed).
insert into observations
select
    s.indicator_code, s.geo_code, s.period_start, s.period_end, s.frequency,
    s.sex, s.age_group, s.value, s.lower, s.upper, s.obs_status,
    s.source_id, s.source_type, s.verification,
    $now as recorded_at, null as superseded_at, $run_id as run_id, $batch_id as batch_id
from staged as s
where not exists (
    select 1
    from observations as o
    where o.superseded_at is null
      and o.indicator_code = s.indicator_code
      and o.geo_code = s.geo_code
      and o.period_start = s.period_start
      and o.frequency = s.frequency
      and o.sex = s.sex
      and o.age_group = s.age_group
      and o.source_id = s.source_id
)
