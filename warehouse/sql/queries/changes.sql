-- The revisions feed: every public row version recorded after $since, with the value it
-- replaced, in (recorded_at, key) order; keyset pagination as in observations.sql.
with
versions as (
    select indicator_code, geo_code, sex, age_group, period_start, frequency, source_id,
        value, obs_status, recorded_at, superseded_at,
        lag(value) over key_history as previous_value,
        lag(obs_status) over key_history as previous_obs_status,
        lag(recorded_at) over key_history as previous_recorded_at
    from public_observations
    where ($indicators is null or list_contains($indicators, indicator_code))
      and ($source is null or source_id = $source)
    window key_history as (
        partition by indicator_code, geo_code, sex, age_group, period_start, frequency,
            source_id
        order by recorded_at
    )
),
final as (
    select
        recorded_at, indicator_code, geo_code, sex, age_group, period_start, frequency,
        source_id,
        case when previous_recorded_at is null then 'added' else 'revised' end as change,
        value, obs_status, previous_value, previous_obs_status, superseded_at
    from versions
    where recorded_at > $since
)
select * from final
where $after_recorded_at is null
    or (recorded_at, indicator_code, geo_code, sex, age_group, period_start, frequency,
        source_id)
      > ($after_recorded_at, $after_indicator, $after_geo, $after_sex, $after_age_group,
        $after_period_start, $after_frequency, $after_source)
order by recorded_at, indicator_code, geo_code, sex, age_group, period_start, frequency,
    source_id
limit $limit
