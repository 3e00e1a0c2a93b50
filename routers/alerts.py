"""Threshold alerts of one application."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from routers.deps import ServicesDep, Subject
from routers.errors import ALWAYS, documented
from routers.pages import Cursor, Limit
from routers.schemas import AlertOut, Page
from services.applications import Application
from services.errors import ErrorCode


def routes(subject: Subject) -> APIRouter:
    router = APIRouter(tags=[subject.tag], responses=documented(*subject.errors, *ALWAYS))
    Reader = Annotated[Application, Depends(subject.application("alerts:read"))]

    @router.get(
        "/alerts", response_model=Page[AlertOut], responses=documented(ErrorCode.INVALID_CURSOR)
    )
    def alerts_list(
        app: Reader, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> Any:
        return services.alerts.list(app, limit, cursor)

    return router
