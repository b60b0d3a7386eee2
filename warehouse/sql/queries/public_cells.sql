-- Public-tier observations with their primary suppression flag: counts at province level
-- below the indicator's threshold (1 .. threshold-1; a true zero reveals nobody).
with
obs as (
    select o.*, i.value_type, i.aggregation, i.suppression_threshold, g.level
    from observations as o
    join indicators as i on i.code = o.indicator_code
    join geographies as g on g.code = o.geo_code
    where i.tier = 'public'
),
final as (
    select
        *,
        coalesce(
            value_type = 'count'
            and level = 'province'
            and value >= 1
            and value < suppression_threshold,
            false
        ) as suppressed
    from obs
)
select * from final
