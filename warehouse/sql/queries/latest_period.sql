-- The end of the latest period an adapter's current (not superseded) observations cover: how
-- recent its data is, whatever day the file arrived.
select max(o.period_end)
from observations as o
join batches as b using (batch_id)
where b.adapter = $adapter and o.superseded_at is null
