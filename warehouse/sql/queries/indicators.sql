-- The indicator catalog as published in this snapshot.
select code, name, definition, unit, value_type, min_value, max_value, frequency, topic,
    aggregation, tier, suppression_threshold, sex, age_group, geo_scope, geo_levels
from indicators
where ($code is null or code = $code)
order by code
