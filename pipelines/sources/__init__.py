"""Source adapters: each reads one source format into raw batches and conforms them."""
