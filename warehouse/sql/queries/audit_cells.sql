-- Province count cells, and the national totals they add up to, of every table (indicator,
-- period, age group, source) that has a suppressed cell: the input of the exact disclosure
-- audit in warehouse/disclosure.py.
with
province_cells as (
    select rowid_, indicator_code, period_start, frequency, age_group, source_id, geo_code,
        sex, level = 'country' as total, value, suppressed, recorded_at, superseded_at
    from cells
    where value_type = 'count'
      and value is not null
      and (level = 'province'
          or geo_code in (select parent from geographies where level = 'province'))
),
tables_ as (
    select indicator_code, period_start, frequency, age_group, source_id
    from province_cells
    group by all
    having bool_or(suppressed)
),
final as (
    select p.*
    from province_cells as p
    join tables_ using (indicator_code, period_start, frequency, age_group, source_id)
)
select
    indicator_code, period_start, frequency, age_group, source_id,
    rowid_, geo_code, sex, total, value, suppressed, recorded_at, superseded_at
from final
order by indicator_code, period_start, frequency, age_group, source_id, rowid_
