-- Events of the sources a batch re-issues whole that its new edition no longer lists.
update policy_events as e
set superseded_at = $now
where e.superseded_at is null
  and list_contains($sources, e.source_id)
  and e.id not in (select id from staged_events)
