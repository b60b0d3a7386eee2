-- Every stored row whose value a published snapshot showed (docs/protection.md, "Threat
-- model"): the attacker remembers it, so the disclosure audit treats it as known for ever and
-- never hides it to protect another cell. Filled by each publish (queries/record_disclosed.sql).
create table disclosed_cells as
    select indicator_code, geo_code, period_start, frequency, sex, age_group, source_id,
        recorded_at
    from observations
    where false;
-- A warehouse protected before this table existed may have published any of its public
-- cells: count them all as shown.
insert into disclosed_cells
    select distinct indicator_code, geo_code, period_start, frequency, sex, age_group,
        source_id, recorded_at
    from public_cells
    where obs_status <> 'S' and value is not null;
-- Protection tables now span sources and age groups: protect everything again.
delete from protection_inputs;
-- How many loaded and quarantined rows of each batch belong to restricted-tier indicators:
-- /v1/quality counts them for restricted keys only, so nobody else learns that restricted
-- rows arrived.
alter table batches add column restricted_loaded bigint default 0;
alter table batches add column restricted_quarantined bigint default 0;
update batches set restricted_loaded = (
    select count(*)
    from observations as o
    join indicators as i on i.code = o.indicator_code
    where o.batch_id = batches.batch_id and i.tier <> 'public'
);
update batches set restricted_quarantined = (
    select count(*)
    from quarantine as q
    where q.batch_id = batches.batch_id
      and exists (
          select 1 from indicators as i
          where i.tier <> 'public' and contains(q.raw::varchar, '"' || i.code || '"')
      )
);
