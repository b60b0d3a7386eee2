-- The indicator catalog as published in this snapshot: exact code and topic filters (words
-- are searched in warehouse/search.py), and whether public data exist for each (null for
-- restricted indicators: the public API never tells whether they hold data).
select code, name, definition, unit, value_type, min_value, max_value, frequency, topic,
    aggregation, tier, suppression_threshold, sex, age_group, geo_scope, geo_levels,
    case when tier = 'public' then code in (
        select distinct indicator_code from public_observations where superseded_at is null
    ) end as has_data
from indicators
where ($code is null or code = $code)
  and ($topic is null or topic = $topic)
order by code
