-- What a snapshot's content depends on, in one row: a new snapshot is published only when it
-- differs (warehouse/snapshots.py). Batch records are left out on purpose: a run that only
-- quarantined rows, or loaded figures already known, changes nothing anyone reads.
select
    (select count(*) from observations) as observations,
    (select max(recorded_at) from observations) as observations_recorded,
    (select max(superseded_at) from observations) as observations_superseded,
    (select count(*) from policy_events) as events,
    (select max(recorded_at) from policy_events) as events_recorded,
    (select max(superseded_at) from policy_events) as events_superseded,
    (select count(*) from point_notes) as notes,
    (select max(recorded_at) from point_notes) as notes_recorded,
    (select md5(string_agg(i::varchar, '|' order by i.code)) from indicators as i) as indicators,
    (select md5(string_agg(s::varchar, '|' order by s.id)) from sources as s) as sources,
    (select string_agg(version::varchar, ',' order by version) from schema_migrations) as schema
