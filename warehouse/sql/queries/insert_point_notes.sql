-- The staged notes, stamped with the load time.
insert into point_notes
select s.*, $now as recorded_at
from staged_notes as s
