"""Threshold alerts of one application."""

from typing import Annotated

from fastapi import APIRouter, Depends

from routers.deps import ApplicationSubject, ServicesDep
from routers.errors import documented
from routers.pages import Cursor, Limit
from routers.schemas import AlertOut, Page
from services.applications import Application


def routes(subject: ApplicationSubject, tag: str) -> APIRouter:
    router = APIRouter(tags=[tag], responses=documented(401, 422, 503))
    App = Annotated[Application, Depends(subject)]

    @router.get("/alerts", responses=documented(400))
    def alerts(
        app: App, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[AlertOut]:
        page = services.alerts.list(app, limit, cursor)
        return Page[AlertOut].of(page.items, page.next_cursor, AlertOut.of)

    return router
