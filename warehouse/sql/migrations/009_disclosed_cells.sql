-- Every stored row whose value a published snapshot showed (docs/protection.md, "Threat
-- model"): the attacker remembers it, so the disclosure audit treats it as known for ever and
-- never hides it to protect another cell. Filled by each publish (queries/record_disclosed.sql).
create table disclosed_cells (
    indicator_code varchar not null,
    geo_code varchar not null,
    period_start date not null,
    frequency varchar not null,
    sex varchar not null,
    age_group varchar not null,
    source_id varchar not null,
    recorded_at timestamp not null
);
-- A warehouse protected before this table existed may have published any of its public
-- cells: count them all as shown.
insert into disclosed_cells
    select distinct indicator_code, geo_code, period_start, frequency, sex, age_group,
        source_id, recorded_at
    from public_cells
    where obs_status <> 'S' and value is not null;
-- Protection tables now span sources and age groups: protect everything again.
delete from protection_inputs;
