-- Places, filtered by exact level and parent codes.
select code, name, level, parent
from geographies
where ($level is null or level = $level)
  and ($parent is null or parent = $parent)
  and ($codes is null or list_contains($codes, code))
order by code
