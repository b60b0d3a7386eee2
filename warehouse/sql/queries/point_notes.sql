-- The notes of one indicator's points (decrees behind a derived point, the citation of a
-- reported figure), for the places and periods a series asks for.
select geo_code, sex, age_group, period_start, frequency, source_id, basis, citation_url,
    citation_publisher, citation_title, citation_date, evidence
from point_notes
where indicator_code = $indicator
  and ($geos is null or list_contains($geos, geo_code))
  and ($start is null or period_start >= $start)
  and ($end is null or period_start <= $end)
