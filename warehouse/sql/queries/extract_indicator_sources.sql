-- Every public-tier indicator of the snapshot with the sources (and their licences) behind
-- its public rows; indicators without rows still get an (empty) file of their own.
with
public_indicators as (
    select code from indicators where tier = 'public'
),
used as (
    select distinct indicator_code, source_id from public_observations
),
final as (
    select i.code as indicator_code, u.source_id, s.licence
    from public_indicators as i
    left join used as u on u.indicator_code = i.code
    left join sources as s on s.id = u.source_id
)
select * from final
order by indicator_code, source_id
