"""The meters of one application, with the span of their readings."""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from routers.deps import ServicesDep, Subject
from routers.errors import ALWAYS, documented
from routers.pages import Cursor, Limit
from routers.schemas import Page
from services.applications import Application
from services.errors import ErrorCode
from services.usage import MeterSpan


class MeterOut(BaseModel):
    meter_id: str
    first_timestamp: str
    last_timestamp: str

    @classmethod
    def of(cls, span: MeterSpan) -> "MeterOut":
        return cls.model_validate(span.model_dump())


def routes(subject: Subject) -> APIRouter:
    router = APIRouter(tags=[subject.tag], responses=documented(*subject.errors, *ALWAYS))
    App = Annotated[Application, Depends(subject.dependency)]

    @router.get("/meters", responses=documented(ErrorCode.INVALID_CURSOR))
    def meters_list(
        app: App, services: ServicesDep, limit: Limit = 100, cursor: Cursor = None
    ) -> Page[MeterOut]:
        page = services.usage.meters(app, limit, cursor)
        return Page[MeterOut].of(page.items, page.next_cursor, MeterOut.of)

    return router
