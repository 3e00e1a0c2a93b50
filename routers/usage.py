"""Stored energy readings of one application."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from routers.deps import ApplicationSubject, ServicesDep
from routers.errors import documented
from routers.pages import Cursor, Limit
from routers.schemas import Page, ReadingOut
from services.applications import Application
from services.usage import Reading


def routes(subject: ApplicationSubject, tag: str) -> APIRouter:
    router = APIRouter(tags=[tag], responses=documented(401, 422, 503))
    App = Annotated[Application, Depends(subject)]

    @router.get("/usage", responses=documented(400))
    def usage(
        app: App,
        services: ServicesDep,
        meter_id: str | None = None,
        start: Annotated[str | None, Query(description="Inclusive ISO 8601 lower bound")] = None,
        end: Annotated[
            str | None,
            Query(description="Inclusive ISO 8601 upper bound; a date alone covers that day"),
        ] = None,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Page[ReadingOut]:
        page = services.usage.query(app, meter_id, start, end, limit, cursor)
        return Page[ReadingOut].of(page.items, page.next_cursor, _reading)

    return router


def _reading(reading: Reading) -> ReadingOut:
    return ReadingOut(meter_id=reading.meter_id, timestamp=reading.timestamp, kwh=reading.kwh)
