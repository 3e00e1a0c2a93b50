"""The embedded default: one SQLite file (WAL) and a folder of objects under DATA_DIR."""
