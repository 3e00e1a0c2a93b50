"""The audit log: changes to an application and its keys, by whom and when, newest first.

Only the application's owner can change it, so the actor is always `user:<owner id>`.
"""

from services.clock import new_id, now_text
from services.cursors import CursorSeal
from storage.ports import AuditLog
from storage.records import Application, AuditEvent, AuditEventName, Page

__all__ = ["AuditEvent", "AuditService"]


class AuditService:
    def __init__(self, log: AuditLog, cursors: CursorSeal) -> None:
        self._log = log
        self._cursors = cursors

    def record(
        self, app: Application, event: AuditEventName, target: str, **details: object
    ) -> None:
        self._log.add(
            AuditEvent(
                event_id=new_id("aud"),
                app_id=app.id,
                event=event,
                actor=f"user:{app.owner_id}",
                target=target,
                at=now_text(),
                details=details,
            )
        )

    def list(self, app: Application, limit: int, cursor: str | None) -> Page[AuditEvent]:
        return self._cursors.page(
            f"audit:{app.id}", cursor, lambda opened: self._log.list_recent(app.id, limit, opened)
        )
