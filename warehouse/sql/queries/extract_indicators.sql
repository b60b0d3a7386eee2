-- The indicator catalog as published in this snapshot, in the extract's fixed column order;
-- lists as |-separated text (frictionless cannot check list columns in Parquet).
select code, name, definition, unit, value_type, min_value, max_value, frequency, topic,
    aggregation, tier, suppression_threshold, array_to_string(sex, '|') as sex,
    array_to_string(age_group, '|') as age_group, geo_scope,
    array_to_string(geo_levels, '|') as geo_levels
from indicators
order by code
