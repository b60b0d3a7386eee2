-- Policy events (decrees and orders: public record about the authorities, DESIGN.md) and
-- the notes that say where a point came from: the decrees behind a derived point (`basis`)
-- or the cited page behind a reported figure (`citation_*`). Notes are keyed like a series
-- point, so the observation table keeps its canonical columns.

-- Bitemporal like observations: a revised decree closes its row and inserts a new one.
create table policy_events (
    id varchar not null,
    date_announced varchar not null,   -- YYYY-MM-DD, or YYYY-MM where only the month is known
    date_effective varchar,            -- may precede date_announced
    effective_on date not null,        -- first day it applies: date_effective, else announced
    issuer varchar not null,
    domain varchar not null,
    scope varchar not null,            -- AFG (national) or an ISO 3166-2:AF province code
    summary varchar not null,
    citation_url varchar not null,
    citation_publisher varchar not null,
    citation_title varchar not null,
    citation_date varchar not null,
    evidence varchar not null,
    source_id varchar not null,
    recorded_at timestamp not null,
    superseded_at timestamp,
    run_id varchar not null
);

create table point_notes (
    indicator_code varchar not null,
    geo_code varchar not null,
    period_start date not null,
    frequency varchar not null,
    sex varchar not null,
    age_group varchar not null,
    source_id varchar not null,
    basis varchar[],                   -- decree ids that set a derived point
    citation_url varchar,
    citation_publisher varchar,
    citation_title varchar,
    citation_date varchar,
    evidence varchar,
    recorded_at timestamp not null
);
