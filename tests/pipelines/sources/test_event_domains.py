"""The API's `domain` vocabulary for /v1/events is the policy tracker's, so its pattern
refuses exactly the domains no event can have."""

from api.routers.events import DOMAINS
from pipelines.sources.policy_tracker import DOMAINS as TRACKER_DOMAINS


def test_the_events_endpoint_knows_every_tracker_domain():
    assert set(DOMAINS) == set(TRACKER_DOMAINS)
