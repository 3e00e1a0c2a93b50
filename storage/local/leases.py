"""Leases in SQLite: one row per piece of work, claimed inside one write transaction."""

from storage.local.database import Database
from storage.records import Lease


class SqliteLeases:
    def __init__(self, database: Database) -> None:
        self._db = database

    def claim(self, lease: Lease, now: int, replacing: str | None = None) -> Lease | None:
        with self._db.writing() as connection:
            row = connection.execute(
                "SELECT owner, expires_at FROM leases WHERE name = ?", (lease.name,)
            ).fetchone()
            holder = Lease(lease.name, *row) if row else None
            if holder and holder.owner not in (lease.owner, replacing) and holder.expires_at > now:
                return holder
            connection.execute(
                "INSERT OR REPLACE INTO leases (name, owner, expires_at) VALUES (?, ?, ?)", lease
            )
        return None

    def release(self, name: str, owner: str) -> None:
        self._db.run("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))
