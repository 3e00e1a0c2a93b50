"""The product's rules: accounts, applications, keys, ingestion, usage and alerts."""
