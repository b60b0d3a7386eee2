-- Complementary suppression, the quick pass: where exactly one cell of an additive group is
-- suppressed in some as_of slice, subtraction would reveal it, so also suppress the smallest
-- other published cell of that group in that slice. Two kinds of group:
--   provinces: one indicator, period, sex, age group and source (national total minus the
--              other provinces);
--   sexes:     one province, period, age group and source (total minus the other sex).
-- A slice is a group's state at a moment one of its rows was recorded or superseded, so the
-- rule holds for every as_of view, not only for current rows. A cell a snapshot already
-- published (`known`) is never chosen: hiding it now would protect nothing. A cell hidden
-- here is due for the disclosure audit again (`audit_due`).
-- Only groups with a cell changed since the last pass (`complement_due`: hidden by it or by
-- the audit, or withheld) are looked at: any other group was left with no lone slice, and
-- its slices are as they were. Returns how many cells it hid.
create or replace temp table complement_partners as
with
counts as (
    select *
    from cells
    where level = 'province' and value_type = 'count' and value is not null
),
due as (
    select *
    from counts
    where complement_due
),
shown as (
    select rowid_, 'provinces' as kind, geo_code as member, value, suppressed, known,
        recorded_at, superseded_at,
        [indicator_code, period_start::varchar, frequency, sex, age_group, source_id] as group_
    from counts
    semi join due using (indicator_code, period_start, frequency, sex, age_group, source_id)
    where not counts.withheld
    union all
    select rowid_, 'sexes', sex, value, suppressed, known, recorded_at, superseded_at,
        [indicator_code, period_start::varchar, frequency, geo_code, age_group, source_id]
    from counts
    semi join due using (indicator_code, period_start, frequency, geo_code, age_group, source_id)
    where not counts.withheld
),
moments as (
    select kind, group_, recorded_at as at_ from shown
    union
    select kind, group_, superseded_at from shown where superseded_at is not null
),
slices as (
    select m.at_, p.*
    from moments as m
    join shown as p using (kind, group_)
    where p.recorded_at <= m.at_ and (p.superseded_at is null or p.superseded_at > m.at_)
),
lone as (
    select kind, group_, at_
    from slices
    group by all
    having count(*) filter (where suppressed and not known) = 1 and count(*) > 1
),
partner as (
    select s.rowid_,
        row_number() over (
            partition by s.kind, s.group_, s.at_
            order by s.value = 0, s.value, s.member
        ) as rank_
    from slices as s
    join lone using (kind, group_, at_)
    where not s.suppressed and not s.known
)
select distinct rowid_
from partner
where rank_ = 1;
update cells set complement_due = false where complement_due;
update cells set suppressed = true, audit_due = true, complement_due = true
where rowid_ in (select rowid_ from complement_partners);
