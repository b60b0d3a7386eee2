-- Drop the notes of every staged point key before its new note goes in (one note a point).
delete from point_notes as n
using staged_notes as s
where n.indicator_code = s.indicator_code
  and n.geo_code = s.geo_code
  and n.period_start = s.period_start
  and n.frequency = s.frequency
  and n.sex = s.sex
  and n.age_group = s.age_group
  and n.source_id = s.source_id
