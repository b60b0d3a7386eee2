-- How many public values were added, revised or withdrawn per indicator and source after
-- $since (null: from the beginning), per stretch between the instants in $bounds (sorted;
-- `stretch` k counts what happened after the k-th bound and up to the next; an empty list
-- makes one stretch). A version is `added` when it is the first of its key, `revised` when
-- it replaces one; a key is `withdrawn` when its last version was closed with nothing after.
with
versions as (
    select indicator_code, source_id, recorded_at, superseded_at,
        recorded_at = min(recorded_at) over same_key as is_first,
        recorded_at = max(recorded_at) over same_key as is_last
    from public_observations
    where ($indicators is null or list_contains($indicators, indicator_code))
    window same_key as (partition by indicator_code, geo_code, sex, age_group, period_start,
        frequency, source_id)
),
events as (
    select indicator_code, source_id, recorded_at as event_at,
        case when is_first then 'added' else 'revised' end as change
    from versions
    union all
    select indicator_code, source_id, superseded_at as event_at, 'withdrawn' as change
    from versions
    where is_last and superseded_at is not null
),
final as (
    select len(list_filter($bounds, lambda b: b < event_at)) as stretch, indicator_code, source_id,
        count(*) filter (where change = 'added') as added,
        count(*) filter (where change = 'revised') as revised,
        count(*) filter (where change = 'withdrawn') as withdrawn
    from events
    where $since is null or event_at > $since
    group by all
)
select * from final
order by stretch, indicator_code, source_id
