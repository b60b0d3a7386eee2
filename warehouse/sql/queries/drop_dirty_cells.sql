-- Forget the public cells of the units being protected again (temp table `dirty`).
delete from public_cells as p
using dirty as d
where p.indicator_code = d.indicator_code
    and p.period_start = d.period_start
