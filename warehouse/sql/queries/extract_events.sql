-- Every version of every policy event (public record), in date order.
select id, date_announced, date_effective, effective_on, issuer, domain, scope, summary,
    citation_url, citation_publisher, citation_title, citation_date, evidence, source_id,
    recorded_at, superseded_at
from policy_events
order by effective_on, id, recorded_at
