"""Applications: an operator's own, and nobody else's."""

from collections.abc import Callable

from pydantic import BaseModel

from services.audit import AuditService
from services.clock import new_id, now_text
from services.errors import NotFound
from services.purges import ApplicationPurge
from storage.ports import Applications
from storage.records import Application, CsvColumns, User

__all__ = [
    "Application",
    "ApplicationChanges",
    "ApplicationDraft",
    "ApplicationService",
    "CsvColumns",
]

NO_APPLICATION = "No application with this id."


class ApplicationDraft(BaseModel):
    """Every field an operator sets on an application."""

    name: str
    application_id: str
    email: str
    domain: str
    threshold_kwh: float | None = None
    alert_emails: list[str] = []
    alert_sns_topic_arn: str | None = None
    csv_columns: CsvColumns | None = None


class ApplicationChanges(BaseModel):
    """Some of those fields; only the ones given (`model_fields_set`) change."""

    name: str | None = None
    application_id: str | None = None
    email: str | None = None
    domain: str | None = None
    threshold_kwh: float | None = None
    alert_emails: list[str] | None = None
    alert_sns_topic_arn: str | None = None
    csv_columns: CsvColumns | None = None


class ApplicationService:
    def __init__(
        self,
        applications: Applications,
        purge: ApplicationPurge,
        on_change: Callable[[str], None],
        audit: AuditService,
    ) -> None:
        self._applications = applications
        self._audit = audit
        self._purge = purge
        # Called with the id of an application that changed or is gone, for cached copies.
        self._on_change = on_change

    def create(self, owner: User, draft: ApplicationDraft) -> Application:
        now = now_text()
        app = Application(
            id=new_id("app"),
            owner_id=owner.user_id,
            created_at=now,
            updated_at=now,
            **draft.model_dump(),
        )
        self._applications.put(app)
        self._audit.record(app, "app.created", app.id, name=app.name)
        return app

    def list(self, owner: User) -> list[Application]:
        return self._applications.list_by_owner(owner.user_id)

    def get(self, owner: User, app_id: str) -> Application:
        app = self._applications.get(app_id)
        if app is None or app.owner_id != owner.user_id:
            raise NotFound(NO_APPLICATION)
        return app

    def replace(self, app: Application, draft: ApplicationDraft) -> Application:
        saved = self._save(app.model_copy(update=draft.model_dump()))
        changed = [
            name
            for name in ApplicationDraft.model_fields
            if getattr(saved, name) != getattr(app, name)
        ]
        self._audit.record(saved, "app.updated", app.id, changed=changed)
        return saved

    def change(self, app: Application, changes: ApplicationChanges) -> Application:
        given = changes.model_dump(include=changes.model_fields_set)
        if given.get("alert_emails", []) is None:
            given["alert_emails"] = []
        draft = ApplicationDraft.model_validate(
            {**app.model_dump(include=set(ApplicationDraft.model_fields)), **given}
        )
        return self.replace(app, draft)

    def delete(self, app: Application) -> None:
        """Remove the application at once (its keys stop working); its data in the background."""
        self._applications.delete(app.id)
        self._on_change(app.id)
        self._purge.start(app.id)

    def _save(self, app: Application) -> Application:
        saved = app.model_copy(update={"updated_at": now_text()})
        self._applications.put(saved)
        self._on_change(app.id)
        return saved
