"""S3-compatible object storage for published snapshots and extracts (docs/deploy.md)."""
