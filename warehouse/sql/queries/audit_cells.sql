-- Province count cells, and the national totals they add up to, of every table (indicator,
-- age group, source, year: every period of a year, so quarters meet their months) that has
-- a suppressed cell: the input of the exact disclosure audit in warehouse/disclosure.py.
with
count_cells as (
    select rowid_, indicator_code, age_group, source_id, aggregation,
        year(period_start) as year_, geo_code, sex, period_start, period_end, frequency,
        level = 'country' as total, value, suppressed, recorded_at, superseded_at
    from cells
    where value_type = 'count'
      and value is not null
      and (level = 'province'
          or geo_code in (select parent from geographies where level = 'province'))
),
tables_ as (
    select indicator_code, age_group, source_id, year_
    from count_cells
    group by all
    having bool_or(suppressed)
),
final as (
    select c.*
    from count_cells as c
    join tables_ using (indicator_code, age_group, source_id, year_)
)
select
    indicator_code, age_group, source_id, year_, aggregation,
    rowid_, geo_code, sex, period_start, period_end, frequency, total, value, suppressed,
    recorded_at, superseded_at
from final
order by indicator_code, age_group, source_id, year_, rowid_
