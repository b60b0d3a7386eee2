-- Province count cells, and the national totals they add up to, of every table (indicator
-- and year: every source, age group and period of a year, so quarters meet their months and
-- sources meet each other) that has a suppressed cell and a cell changed since the audit last
-- saw it (`audit_due`; the audit's own result is its fixed point): the input of the exact
-- disclosure audit in warehouse/disclosure.py. Rows already withheld are not public: they
-- are no cell.
with
count_cells as (
    select rowid_, indicator_code, aggregation, year(period_start) as year_, source_id,
        age_group, geo_code, sex, period_start, period_end, frequency,
        level = 'country' as total, value, suppressed, known, recorded_at, superseded_at,
        audit_due
    from cells
    where value_type = 'count'
      and value is not null
      and not withheld
      and (level = 'province'
          or geo_code in (select parent from geographies where level = 'province'))
),
tables_ as (
    select indicator_code, year_
    from count_cells
    group by all
    having bool_or(suppressed and not known) and bool_or(audit_due)
),
final as (
    select c.*
    from count_cells as c
    join tables_ using (indicator_code, year_)
)
select
    indicator_code, year_, aggregation,
    rowid_, source_id, age_group, geo_code, sex, period_start, period_end, frequency, total,
    value, suppressed, known, recorded_at, superseded_at
from final
order by indicator_code, year_, rowid_
