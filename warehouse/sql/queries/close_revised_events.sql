-- Close the current row of every event whose incoming version differs (a revised decree).
update policy_events as e
set superseded_at = $now
from staged_events as s
where e.superseded_at is null
  and e.id = s.id
  and (
    e.date_announced is distinct from s.date_announced
    or e.date_effective is distinct from s.date_effective
    or e.effective_on is distinct from s.effective_on
    or e.issuer is distinct from s.issuer
    or e.domain is distinct from s.domain
    or e.scope is distinct from s.scope
    or e.summary is distinct from s.summary
    or e.citation_url is distinct from s.citation_url
    or e.citation_publisher is distinct from s.citation_publisher
    or e.citation_title is distinct from s.citation_title
    or e.citation_date is distinct from s.citation_date
    or e.evidence is distinct from s.evidence
    or e.source_id is distinct from s.source_id
  )
