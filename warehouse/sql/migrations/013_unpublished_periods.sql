-- The protection units (indicator, period start) whose public cells changed since a publish
-- last recorded what it showed: the next publish compares only their cells with
-- disclosed_cells (queries/record_disclosed.sql) instead of every public cell. Each
-- protection adds the units it rewrote (warehouse/protection.py).
create table unpublished_periods (indicator_code varchar not null, period_start date not null);
-- Cells protected before this table existed may not be recorded yet: compare them all once.
insert into unpublished_periods
    select distinct indicator_code, period_start
    from public_cells;
