-- Where the public points came from: decrees behind derived points, citations of figures.
select n.indicator_code, n.geo_code, n.period_start, n.frequency, n.sex, n.age_group,
    n.source_id, n.basis, n.citation_url, n.citation_publisher, n.citation_title,
    n.citation_date, n.evidence
from point_notes as n
join indicators as i on i.code = n.indicator_code
where i.tier = 'public'
order by n.indicator_code, n.geo_code, n.sex, n.age_group, n.period_start, n.frequency,
    n.source_id
