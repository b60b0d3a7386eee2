-- Which sources hold invented demonstration figures (catalog `demo: true`): the API, the
-- extracts and the chart page mark every value from them, so demo data never passes for real.
alter table sources add column demo boolean default false;
