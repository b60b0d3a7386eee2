-- Insert every staged row that has no current row with the same key (new or just closed).
insert into observations
select
    s.indicator_code, s.geo_code, s.period_start, s.period_end, s.frequency,
    s.sex, s.age_group, s.value, s.lower, s.upper, s.obs_status,
    s.source_id, s.source_type, s.verification,
    $now as recorded_at, null as superseded_at, $run_id as run_id, $batch_id as batch_id
from staged as s
anti join (select * from observations where superseded_at is null) as o
    using (indicator_code, geo_code, period_start, frequency, sex, age_group, source_id)
