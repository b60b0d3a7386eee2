-- The sources catalog, exact id filter. Every column, so a snapshot published before a
-- column existed (e.g. `demo`, migration 011) still reads; fetch_sources fills the default.
select *
from sources
where ($id is null or id = $id)
order by id
