-- Where exactly one province of a group is suppressed in some as_of slice, the national total
-- minus the others would reveal it: also suppress the smallest other published province of
-- that slice. A slice is the group's state at one moment a row was recorded or superseded,
-- so the rule holds for every as_of view, not only for current rows.
with
province_cells as (
    select rowid_, indicator_code, period_start, frequency, sex, age_group, source_id,
        value, geo_code, suppressed, recorded_at, superseded_at
    from cells
    where level = 'province' and value_type = 'count' and value is not null
),
moments as (
    select indicator_code, period_start, frequency, sex, age_group, source_id, recorded_at as at_
    from province_cells
    union
    select indicator_code, period_start, frequency, sex, age_group, source_id, superseded_at
    from province_cells
    where superseded_at is not null
),
slices as (
    select m.at_, p.*
    from moments as m
    join province_cells as p
        using (indicator_code, period_start, frequency, sex, age_group, source_id)
    where p.recorded_at <= m.at_ and (p.superseded_at is null or p.superseded_at > m.at_)
),
lone as (
    select indicator_code, period_start, frequency, sex, age_group, source_id, at_
    from slices
    group by all
    having count(*) filter (where suppressed) = 1
),
partner as (
    select s.rowid_,
        row_number() over (
            partition by s.indicator_code, s.period_start, s.frequency, s.sex, s.age_group,
                s.source_id, s.at_
            order by s.value = 0, s.value, s.geo_code
        ) as rank_
    from slices as s
    join lone using (indicator_code, period_start, frequency, sex, age_group, source_id, at_)
    where not s.suppressed
)
update cells set suppressed = true
where rowid_ in (select rowid_ from partner where rank_ = 1)
