-- The protection units holding rows of batches public_cells does not yet reflect, as
-- (indicator, period start) pairs. Every suppression group and every equation of the audit
-- lies inside one indicator's period (all its sources, age groups, sexes and places), except
-- a coarser period minus its finer ones: in an (indicator, year) table holding more than one
-- frequency, every period of the year is one unit. A revision closes rows of its own key, so
-- their units are among these.
with
touched as (
    select distinct o.indicator_code, o.period_start
    from observations as o
    anti join protected_batches as p using (batch_id)
),
mixed as (
    select o.indicator_code, year(o.period_start) as year_
    from observations as o
    semi join touched as t
        on t.indicator_code = o.indicator_code
        and year(t.period_start) = year(o.period_start)
    group by all
    having count(distinct o.frequency) > 1
)
select indicator_code, period_start
from touched
union
select o.indicator_code, o.period_start
from observations as o
join mixed as m
    on m.indicator_code = o.indicator_code
    and m.year_ = year(o.period_start)
