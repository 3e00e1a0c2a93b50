"""Ports (Protocols) and their adapters: `local` (SQLite, files) and `aws`."""
