-- The indicator catalog as published in this snapshot, in the extract's fixed column order.
select code, name, definition, unit, value_type, min_value, max_value, frequency, topic,
    aggregation, tier, suppression_threshold, sex, age_group, geo_scope, geo_levels
from indicators
order by code
