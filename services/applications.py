"""Applications: an operator's own, and nobody else's."""

from collections.abc import Callable

from pydantic import BaseModel

from services.clock import new_id, now_text
from storage.ports import ApiKeys, Applications
from storage.records import Application, User

__all__ = ["Application", "ApplicationDraft", "ApplicationService"]


class ApplicationDraft(BaseModel):
    name: str
    application_id: str
    email: str
    domain: str
    threshold_kwh: float | None = None
    alert_emails: list[str] = []
    alert_sns_topic_arn: str | None = None


class ApplicationService:
    def __init__(
        self, applications: Applications, api_keys: ApiKeys, on_delete: Callable[[str], None]
    ) -> None:
        self._applications = applications
        self._api_keys = api_keys
        self._on_delete = on_delete

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
        return app

    def list(self, owner: User) -> list[Application]:
        return self._applications.list_by_owner(owner.user_id)

    def get(self, owner: User, app_id: str) -> Application | None:
        app = self._applications.get(app_id)
        return app if app is not None and app.owner_id == owner.user_id else None

    def update(self, owner: User, app_id: str, draft: ApplicationDraft) -> Application | None:
        app = self.get(owner, app_id)
        if app is None:
            return None
        updated = app.model_copy(update={**draft.model_dump(), "updated_at": now_text()})
        self._applications.put(updated)
        return updated

    def delete(self, owner: User, app_id: str) -> bool:
        """Remove the application; its keys stop working at once on this instance."""
        app = self.get(owner, app_id)
        if app is None:
            return False
        self._applications.delete(app.id)
        self._api_keys.delete_for_app(app.id)
        self._on_delete(app.id)
        return True
