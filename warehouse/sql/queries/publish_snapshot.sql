-- Fill the attached snapshot `snap` from the build warehouse, every table sorted by its key
-- (series key first: the storage order is what makes series lookups fast, DESIGN.md).
-- Quarantine (raw rows, possibly personal) and file names are never copied.
create table snap.indicators as select * from indicators order by code;
create table snap.geographies as select * from geographies order by code;
create table snap.sources as select * from sources order by id;
create table snap.batches as
    select batch_id, run_id, adapter, status, rows_in, rows_loaded, rows_quarantined,
        rows_inserted, rows_revised, rows_unchanged, loaded_at, restricted_loaded, restricted_quarantined
    from batches
    order by loaded_at, batch_id;
-- Failed checks per batch for /v1/quality: only the rule name (the `[rule]` a reason ends
-- with) and a row count leave the build warehouse, never the reason text or the raw row;
-- `restricted`: the rows name a restricted-tier indicator (shown to restricted keys only).
create table snap.batch_checks as
    with
    reasons as (
        select q.batch_id, q.run_id, unnest(q.reasons) as reason,
            exists (
                select 1 from indicators as i
                where i.tier <> 'public' and contains(q.raw::varchar, '"' || i.code || '"')
            ) as restricted
        from quarantine as q
    ),
    named as (
        select batch_id, run_id, restricted,
            case
                when regexp_matches(reason, '\[[a-z_.]+\]$')
                    then regexp_extract(reason, '\[([a-z_.]+)\]$', 1)
                when starts_with(reason, 'file:') then 'file.readable'
                when starts_with(reason, 'row:') then 'row.field_count'
                else 'other'
            end as check_name
        from reasons
    )
    select batch_id, run_id, check_name, restricted, count(*) as rows
    from named
    group by all
    order by run_id, batch_id, check_name;
create table snap.observations as
    select * exclude (batch_id)
    from observations
    order by indicator_code, geo_code, sex, age_group, period_start, source_id, recorded_at;
create table snap.public_observations as
    select *
    from public_cells
    order by indicator_code, geo_code, sex, age_group, period_start, source_id, recorded_at;
-- Where each (indicator, place) block lies in the two sorted observation tables, as row
-- numbers: the API bounds its scans by them (warehouse/series_index.py). Zone maps alone do
-- not prune by code: DuckDB keeps only the first 8 bytes of a string's min/max, and codes of
-- one topic share them (`education.…`), so a series lookup would scan every row group.
create table snap.series_rows as
    select 'public' as view, indicator_code, geo_code, min(rowid) as first_row,
        max(rowid) as last_row
    from snap.public_observations
    group by all
    union all
    select 'unsuppressed', indicator_code, geo_code, min(rowid), max(rowid)
    from snap.observations
    group by all
    order by all;
-- Decrees and orders (public record, served by /v1/events) and the notes behind series
-- points (decrees behind a derived point, the citation behind a reported figure).
create table snap.policy_events as
    select *
    from policy_events
    order by effective_on, id, recorded_at;
create table snap.point_notes as
    select *
    from point_notes
    order by indicator_code, geo_code, sex, age_group, period_start, source_id;
