-- The protection tables (indicator and year: every suppression group and every audited table,
-- across sources and age groups, lies inside one) holding rows of batches public_cells does
-- not yet reflect. A revision closes rows of its own key, so their tables are among these.
select distinct o.indicator_code, year(o.period_start) as year_
from observations as o
anti join protected_batches as p using (batch_id)
