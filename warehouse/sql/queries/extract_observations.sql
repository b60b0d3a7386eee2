-- One indicator's public rows (current and superseded, so as_of questions stay answerable).
-- `demo` marks values of a source of invented demonstration figures (sources.demo).
-- No order by: warehouse/extracts.py puts them in the extract's row order (ROW_ORDER), which
-- they nearly always have already, as publish stores them sorted by series key.
-- $first_row, $last_row: storage rows that hold the indicator (series_index.py; null when the
-- snapshot has no index), so the scan skips the other indicators' row groups.
select indicator_code, geo_code, period_start, period_end, frequency, sex, age_group,
    value, lower, upper, obs_status, source_id, source_type, verification,
    recorded_at, superseded_at, run_id,
    source_id in (select id from sources where demo) as demo
from public_observations
where indicator_code = $indicator
  and ($first_row is null or rowid between $first_row and $last_row)
