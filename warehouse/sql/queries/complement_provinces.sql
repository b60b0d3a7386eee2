-- Where exactly one province of a group is suppressed, the national total minus the others
-- would reveal it: also suppress the smallest other published province of that group.
with
province_cells as (
    select rowid_, indicator_code, period_start, frequency, sex, age_group, source_id,
        value, geo_code, suppressed
    from cells
    where level = 'province' and value_type = 'count' and superseded_at is null
),
lone as (
    select indicator_code, period_start, frequency, sex, age_group, source_id
    from province_cells
    group by all
    having count(*) filter (where suppressed) = 1
),
partner as (
    select p.rowid_,
        row_number() over (
            partition by p.indicator_code, p.period_start, p.frequency, p.sex, p.age_group,
                p.source_id
            order by p.value = 0, p.value, p.geo_code
        ) as rank_
    from province_cells as p
    join lone using (indicator_code, period_start, frequency, sex, age_group, source_id)
    where not p.suppressed and p.value is not null
)
update cells set suppressed = true
where rowid_ in (select rowid_ from partner where rank_ = 1)
