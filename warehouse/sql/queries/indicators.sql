-- The indicator catalog as published in this snapshot: exact code and topic filters, and a
-- search where every (lower-case) word of $words must occur in the name or definition.
select code, name, definition, unit, value_type, min_value, max_value, frequency, topic,
    aggregation, tier, suppression_threshold, sex, age_group, geo_scope, geo_levels
from indicators
where ($code is null or code = $code)
  and ($topic is null or topic = $topic)
  and (
    $words is null
    or len(list_filter($words, lambda w: not contains(lower(name || ' ' || definition), w))) = 0
  )
order by code
