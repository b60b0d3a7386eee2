-- Insert every staged event with no current row (new, or just closed as revised).
insert into policy_events
select s.*, $now as recorded_at, null as superseded_at, $run_id as run_id
from staged_events as s
anti join (select id from policy_events where superseded_at is null) as e using (id)
