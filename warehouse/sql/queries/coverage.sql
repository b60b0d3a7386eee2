-- What the snapshot publicly holds for one indicator: places, period span, last update and
-- the sources behind it (current versions only).
with
current_rows as (
    select geo_code, period_start, period_end, source_id, recorded_at
    from public_observations
    where indicator_code = $code and superseded_at is null
),
final as (
    select
        count(distinct geo_code) as places,
        list(distinct geo_code order by geo_code) as geos,
        min(period_start) as first_period_start,
        max(period_end) as last_period_end,
        max(recorded_at) as last_updated,
        list(distinct source_id order by source_id) as sources
    from current_rows
)
select * from final
