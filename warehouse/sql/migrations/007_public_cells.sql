-- The protected public form of every public-tier observation (warehouse/protection.py keeps
-- it up to date as runs load, recomputing only the tables a run touched), so publishing
-- copies it instead of rebuilding it. Same columns as queries/mask_suppressed.sql.
create table public_cells as
    select indicator_code, geo_code, period_start, period_end, frequency, sex, age_group,
        value, lower, upper, obs_status, source_id, source_type, verification, recorded_at,
        superseded_at, run_id
    from observations
    where false;
-- The batches public_cells already reflects, and a digest of the catalog facts it was
-- computed with (a changed threshold or tier recomputes everything).
create table protected_batches (batch_id varchar not null);
create table protection_inputs (digest varchar not null);
