-- What suppression depends on besides the observations themselves: each indicator's tier,
-- kind and threshold, and each place's level and parent.
select md5(
    coalesce((
        select string_agg(
            concat_ws('|', code, tier, value_type, aggregation, suppression_threshold), ';'
            order by code
        )
        from indicators
    ), '')
    || '#'
    || coalesce((
        select string_agg(concat_ws('|', code, level, parent), ';' order by code)
        from geographies
    ), '')
)
