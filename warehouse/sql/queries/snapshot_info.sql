select published_at, (select count(*) from public_observations where superseded_at is null)
    as observations
from snapshot_info
