-- When content new to the warehouse last arrived from an adapter. A batch is recorded only for
-- bytes not ingested before, so this is when the source last brought an update we loaded.
select max(loaded_at) from batches where adapter = $adapter and status = 'loaded';
