-- The places catalog as published in this snapshot.
select code, name, level, parent
from geographies
order by code
