-- The domains current policy events use (the vocabulary of /v1/events?domain=).
select distinct domain
from policy_events
where superseded_at is null
order by domain
