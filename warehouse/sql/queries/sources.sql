-- The sources catalog, exact id filter.
select id, name, publisher, licence, url, type
from sources
where ($id is null or id = $id)
order by id
