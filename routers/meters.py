"""The meters of one application, with the span of their readings."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from routers.deps import ServicesDep, Subject
from routers.errors import ALWAYS, documented
from routers.pages import Cursor, Limit
from routers.schemas import Answer, Page
from services.applications import Application
from services.errors import ErrorCode


class MeterOut(Answer):
    meter_id: str
    first_timestamp: str
    last_timestamp: str


def routes(subject: Subject) -> APIRouter:
    router = APIRouter(tags=[subject.tag], responses=documented(*subject.errors, *ALWAYS))
    Reader = Annotated[Application, Depends(subject.application("usage:read"))]

    @router.get(
        "/meters", response_model=Page[MeterOut], responses=documented(ErrorCode.INVALID_CURSOR)
    )
    def meters_list(
        app: Reader, services: ServicesDep, limit: Limit = 100, cursor: Cursor = None
    ) -> Any:
        return services.usage.meters(app, limit, cursor)

    return router
