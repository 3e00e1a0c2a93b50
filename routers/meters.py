"""The meters of one application, with the span of their readings."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from routers.deps import ApplicationSubject, ServicesDep
from routers.errors import documented
from routers.pages import Cursor, Limit
from routers.schemas import Page
from services.applications import Application
from services.usage import MeterSpan


class MeterOut(BaseModel):
    meter_id: str
    first_timestamp: str
    last_timestamp: str

    @classmethod
    def of(cls, span: MeterSpan) -> "MeterOut":
        return cls.model_validate(span.model_dump())


def routes(subject: ApplicationSubject, tag: str) -> APIRouter:
    router = APIRouter(tags=[tag], responses=documented(401, 422, 503))
    App = Annotated[Application, Depends(subject)]

    @router.get("/meters", responses=documented(400))
    def meters(
        app: App, services: ServicesDep, limit: Limit = 100, cursor: Cursor = None
    ) -> Page[MeterOut]:
        page = services.usage.meters(app, limit, cursor)
        return Page[MeterOut].of(page.items, page.next_cursor, MeterOut.of)

    return router
