-- Forget the public cells of the tables being protected again (temp table `dirty`).
delete from public_cells as p
using dirty as d
where p.indicator_code = d.indicator_code
    and year(p.period_start) = d.year_
