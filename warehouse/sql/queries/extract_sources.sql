-- The sources catalog as published in this snapshot.
select id, name, publisher, licence, url, type, coalesce(demo, false) as demo
from sources
order by id
