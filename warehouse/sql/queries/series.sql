-- One indicator's rows for the series route and the chart page: the rows
-- queries/observations returns for the same filter, in the same order, without its keyset
-- and limit clauses and with a plain equality on the indicator. A cold series request spends
-- most of its time in DuckDB's planner and expression rewriter, which grow with every
-- optional clause (docs/benchmarks.md, "Cold series latency"). Every filter is a bound
-- parameter; a null parameter means "no filter".
--   $as_of, $updated_after, $unsuppressed, $first_row/$last_row: as in queries/observations.
with
cells as (
    select rowid as row_number, * from public_observations where not $unsuppressed
    union all by name
    select rowid as row_number, * from observations where $unsuppressed
)
select indicator_code, geo_code, sex, age_group, period_start, period_end, frequency,
    value, lower, upper, obs_status, source_id, source_type, verification, recorded_at,
    superseded_at
from cells
where ($first_row is null or row_number between $first_row and $last_row)
  and indicator_code = $indicator
  and ($geos is null or list_contains($geos, geo_code))
  and ($start is null or period_start >= $start)
  and ($end is null or period_start <= $end)
  and ($sex is null or sex = $sex)
  and ($age_group is null or age_group = $age_group)
  and (
    case when $as_of is null then superseded_at is null
    else recorded_at <= $as_of and (superseded_at is null or superseded_at > $as_of) end
  )
  and ($updated_after is null or recorded_at > $updated_after)
order by indicator_code, geo_code, sex, age_group, period_start, frequency, source_id,
    recorded_at
