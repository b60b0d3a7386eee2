-- Where exactly one of a cell's total, female and male values is suppressed, the other two
-- would reveal it by subtraction: also suppress the smallest other one.
with
sex_cells as (
    select rowid_, indicator_code, geo_code, period_start, frequency, age_group, source_id,
        value, sex, suppressed
    from cells
    where level = 'province' and value_type = 'count' and superseded_at is null
),
lone as (
    select indicator_code, geo_code, period_start, frequency, age_group, source_id
    from sex_cells
    group by all
    having count(*) filter (where suppressed) = 1 and count(*) > 1
),
partner as (
    select s.rowid_,
        row_number() over (
            partition by s.indicator_code, s.geo_code, s.period_start, s.frequency,
                s.age_group, s.source_id
            order by s.value = 0, s.value, s.sex
        ) as rank_
    from sex_cells as s
    join lone using (indicator_code, geo_code, period_start, frequency, age_group, source_id)
    where not s.suppressed and s.value is not null
)
update cells set suppressed = true
where rowid_ in (select rowid_ from partner where rank_ = 1)
