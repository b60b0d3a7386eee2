-- One indicator's public rows (current and superseded, so as_of questions stay answerable).
-- `demo` marks values of a source of invented demonstration figures (sources.demo).
-- No order by: warehouse/extracts.py puts them in the extract's row order (observation.py's
-- SORT_KEY), which they nearly always have already, as publish stores them sorted by series key.
-- $first_row, $last_row: storage rows that hold the indicator (series_index.py; null when the
-- snapshot has no index), so the scan skips the other indicators' row groups.
-- Each row carries its names, period label and licence, so a reader needs no joins; the
-- label is warehouse/periods.format_period's (tests/warehouse/test_extracts.py compares).
select o.indicator_code, i.name as indicator_name, o.geo_code, g.name as geo_name,
    case o.frequency
        when 'A' then strftime(o.period_start, '%Y')
        when 'Q' then strftime(o.period_start, '%Y') || '-Q' || quarter(o.period_start)
        when 'M' then strftime(o.period_start, '%Y-%m')
        else strftime(o.period_start, '%Y-%m-%d')
    end as period,
    o.period_start, o.period_end, o.frequency, o.sex, o.age_group, o.value, o.lower, o.upper,
    o.obs_status, o.source_id, s.licence, o.source_type, o.verification, o.recorded_at,
    o.superseded_at, o.run_id, s.demo
from public_observations as o
join indicators as i on i.code = o.indicator_code
join geographies as g on g.code = o.geo_code
join sources as s on s.id = o.source_id
where o.indicator_code = $indicator
  and ($first_row is null or o.rowid between $first_row and $last_row)
