-- Current policy events in date order. Every filter is a bound parameter; null = no filter.
--   $scopes: scope codes to list (the caller adds AFG for a province: national decrees
--     apply there too); $start, $end: bounds on the day the event took effect.
select id, date_announced, date_effective, issuer, domain, scope, summary, citation_url,
    citation_publisher, citation_title, citation_date, evidence
from policy_events
where superseded_at is null
  and ($domain is null or domain = $domain)
  and ($scopes is null or list_contains($scopes, scope))
  and ($start is null or effective_on >= $start)
  and ($end is null or effective_on <= $end)
order by effective_on, id
