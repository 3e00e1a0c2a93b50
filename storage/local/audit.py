"""The audit log of each application in SQLite, newest first by time-ordered ids."""

from storage.local.database import Database
from storage.local.uploads import newest_first
from storage.records import AuditEvent, Page


class SqliteAuditLog:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, event: AuditEvent) -> None:
        self._db.run(
            "INSERT INTO audit_events (app_id, event_id, doc) VALUES (?, ?, ?)",
            (event.app_id, event.event_id, event.model_dump_json()),
        )

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[AuditEvent]:
        return newest_first(self._db, AuditEvent, "audit_events", "event_id", app_id, limit, cursor)

    def delete_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM audit_events WHERE app_id = ?", [app_id])
