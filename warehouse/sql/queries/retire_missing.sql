-- A batch that re-issues whole sources (a register's new edition) replaces them: close the
-- current rows of those sources whose key the batch no longer states. Returns the closed
-- rows' batch ids, whose protection tables must be computed again.
update observations as o
set superseded_at = $now
where o.superseded_at is null
  and list_contains($sources, o.source_id)
  and not exists (
    select 1
    from staged as s
    where s.indicator_code = o.indicator_code
      and s.geo_code = o.geo_code
      and s.period_start = o.period_start
      and s.frequency = o.frequency
      and s.sex = o.sex
      and s.age_group = o.age_group
      and s.source_id = o.source_id
  )
returning o.batch_id
