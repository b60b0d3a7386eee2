-- Where exactly one of a cell's total, female and male values is suppressed in some as_of
-- slice, the other two would reveal it by subtraction: also suppress the smallest other one
-- of that slice (slices as in complement_provinces.sql).
with
sex_cells as (
    select rowid_, indicator_code, geo_code, period_start, frequency, age_group, source_id,
        value, sex, suppressed, recorded_at, superseded_at
    from cells
    where level = 'province' and value_type = 'count' and value is not null
),
moments as (
    select indicator_code, geo_code, period_start, frequency, age_group, source_id,
        recorded_at as at_
    from sex_cells
    union
    select indicator_code, geo_code, period_start, frequency, age_group, source_id, superseded_at
    from sex_cells
    where superseded_at is not null
),
slices as (
    select m.at_, s.*
    from moments as m
    join sex_cells as s
        using (indicator_code, geo_code, period_start, frequency, age_group, source_id)
    where s.recorded_at <= m.at_ and (s.superseded_at is null or s.superseded_at > m.at_)
),
lone as (
    select indicator_code, geo_code, period_start, frequency, age_group, source_id, at_
    from slices
    group by all
    having count(*) filter (where suppressed) = 1 and count(*) > 1
),
partner as (
    select s.rowid_,
        row_number() over (
            partition by s.indicator_code, s.geo_code, s.period_start, s.frequency,
                s.age_group, s.source_id, s.at_
            order by s.value = 0, s.value, s.sex
        ) as rank_
    from slices as s
    join lone using (indicator_code, geo_code, period_start, frequency, age_group, source_id, at_)
    where not s.suppressed
)
update cells set suppressed = true
where rowid_ in (select rowid_ from partner where rank_ = 1)
