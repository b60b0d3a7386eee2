-- The sources catalog as published in this snapshot.
select id, name, publisher, licence, url, type
from sources
order by id
