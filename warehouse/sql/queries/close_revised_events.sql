-- Close the current row of every event whose incoming version differs (a revised decree).
update policy_events as e
set superseded_at = $now
from staged_events as s
where e.superseded_at is null
  and e.id = s.id
  and row(e.date_announced, e.date_effective, e.effective_on, e.issuer, e.domain, e.scope,
          e.summary, e.citation_url, e.citation_publisher, e.citation_title, e.citation_date,
          e.evidence, e.source_id)
      is distinct from
      row(s.date_announced, s.date_effective, s.effective_on, s.issuer, s.domain, s.scope,
          s.summary, s.citation_url, s.citation_publisher, s.citation_title, s.citation_date,
          s.evidence, s.source_id)
