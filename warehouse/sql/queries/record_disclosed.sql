-- Remember every public row whose value the snapshot being published shows (table
-- disclosed_cells): from now on the disclosure audit treats it as known. Only the units
-- protected since the last publish can show a value not yet recorded (unpublished_periods):
-- every other public cell is as that publish recorded it.
insert into disclosed_cells
    select indicator_code, geo_code, period_start, frequency, sex, age_group, source_id,
        recorded_at
    from public_cells
    semi join unpublished_periods using (indicator_code, period_start)
    where obs_status <> 'S' and value is not null
    except
    select *
    from disclosed_cells
    semi join unpublished_periods using (indicator_code, period_start);
delete from unpublished_periods;
