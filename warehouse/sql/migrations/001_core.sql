-- Core schema: the catalog tables, the canonical observation, batches and quarantine.

create table indicators (
    code varchar primary key,
    name varchar not null,
    definition varchar not null,
    unit varchar not null,
    value_type varchar not null,
    min_value double not null,
    max_value double not null,
    frequency varchar not null,
    topic varchar not null,
    aggregation varchar not null,
    tier varchar not null,
    suppression_threshold integer not null,
    sex varchar[] not null,
    age_group varchar[] not null,
    geo_scope varchar not null,
    geo_levels varchar[] not null
);

create table geographies (
    code varchar primary key,
    name varchar not null,
    level varchar not null,
    parent varchar
);

create table sources (
    id varchar primary key,
    name varchar not null,
    publisher varchar not null,
    licence varchar not null,
    url varchar not null,
    type varchar not null
);

-- One row per ingested file (or source pull): the unit of "rows in = loaded + quarantined".
create table batches (
    batch_id varchar primary key,
    run_id varchar not null,
    adapter varchar not null,
    file_name varchar,
    file_sha256 varchar,
    status varchar not null,          -- loaded | rejected
    error varchar,
    rows_in bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    rows_inserted bigint not null,
    rows_revised bigint not null,
    rows_unchanged bigint not null,
    loaded_at timestamp not null
);

-- Bitemporal: a revision closes the current row (superseded_at) and inserts a new one.
create table observations (
    indicator_code varchar not null,
    geo_code varchar not null,
    period_start date not null,
    period_end date not null,
    frequency varchar not null,
    sex varchar not null,
    age_group varchar not null,
    value double,
    lower double,
    upper double,
    obs_status varchar not null,
    source_id varchar not null,
    source_type varchar not null,
    verification varchar not null,
    recorded_at timestamp not null,
    superseded_at timestamp,
    run_id varchar not null,
    batch_id varchar not null
);

-- Raw rows that failed validation, for engineers only: never copied into a snapshot.
create table quarantine (
    run_id varchar not null,
    batch_id varchar not null,
    file_name varchar,
    line bigint,
    raw json not null,
    reasons varchar[] not null,
    quarantined_at timestamp not null
);
