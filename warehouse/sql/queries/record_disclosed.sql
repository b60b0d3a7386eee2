-- Remember every public row whose value the snapshot being published shows (table
-- disclosed_cells): from now on the disclosure audit treats it as known.
insert into disclosed_cells
    select indicator_code, geo_code, period_start, frequency, sex, age_group, source_id,
        recorded_at
    from public_cells
    where obs_status <> 'S' and value is not null
    except
    select * from disclosed_cells
