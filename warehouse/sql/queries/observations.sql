-- Public observation rows in one stable order (the snapshot's storage order), for series,
-- flat observations and their cursor pages. Every filter is a bound parameter; a null
-- parameter means "no filter".
--   default: the current version of each row (superseded_at is null);
--   $as_of: the version that was current at that instant (bitemporal);
--   $updated_after: only versions recorded after that instant;
--   $source: one source's rows (exact id);
--   $after_*: the sort key of the last row of the previous page (keyset pagination);
--   $unsuppressed: read the unsuppressed `observations` (restricted keys only);
--   $latest: only the $latest most recent periods with a value of each series (World Bank's
--     MRV); the keyset filter leaves a suffix of each series, so its ranks stay right on
--     every page, and with $latest null DuckDB plans no window at all;
--   $first_row, $last_row: storage rows that hold every row asked for (series_index.py),
--     which lets the scan skip the other row groups.
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
  and ($indicators is null or list_contains($indicators, indicator_code))
  and ($geos is null or list_contains($geos, geo_code))
  and ($start is null or period_start >= $start)
  and ($end is null or period_start <= $end)
  and ($sex is null or sex = $sex)
  and ($age_group is null or age_group = $age_group)
  and ($source is null or source_id = $source)
  and (
    case when $as_of is null then superseded_at is null
    else recorded_at <= $as_of and (superseded_at is null or superseded_at > $as_of) end
  )
  and ($updated_after is null or recorded_at > $updated_after)
  and ($latest is null or value is not null)
  and (
    $after_indicator is null
    or (indicator_code, geo_code, sex, age_group, period_start, frequency, source_id,
        recorded_at)
      > ($after_indicator, $after_geo, $after_sex, $after_age_group, $after_period_start,
        $after_frequency, $after_source, $after_recorded_at)
  )
qualify $latest is null
    or dense_rank() over (
        partition by indicator_code, geo_code, sex, age_group, source_id
        order by period_start desc
    ) <= $latest
order by indicator_code, geo_code, sex, age_group, period_start, frequency, source_id,
    recorded_at
limit $limit
