"""The read-only HTTP API over the current published snapshot (it imports `warehouse` only)."""
