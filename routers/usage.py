"""Stored energy readings of one application."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from routers.deps import ServicesDep, Subject
from routers.errors import ALWAYS, documented
from routers.pages import Cursor, Limit
from routers.schemas import Page, ReadingOut
from services.applications import Application
from services.errors import ErrorCode
from services.usage import Summary


def routes(subject: Subject) -> APIRouter:
    router = APIRouter(tags=[subject.tag], responses=documented(*subject.errors, *ALWAYS))
    Reader = Annotated[Application, Depends(subject.application("usage:read"))]

    @router.get(
        "/usage", response_model=Page[ReadingOut], responses=documented(ErrorCode.INVALID_CURSOR)
    )
    def usage_list(
        app: Reader,
        services: ServicesDep,
        meter_id: str | None = None,
        start: Annotated[str | None, Query(description="Inclusive ISO 8601 lower bound")] = None,
        end: Annotated[
            str | None,
            Query(description="Inclusive ISO 8601 upper bound; a date alone covers that day"),
        ] = None,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Any:
        return services.usage.query(app, meter_id, start, end, limit, cursor)

    @router.get("/usage/summary", response_model=UsageSummary)
    def usage_summary(
        app: Reader,
        services: ServicesDep,
        interval: Annotated[Literal["hour", "day", "month"], Query()],
        start: Annotated[str, Query(description=BOUND.format("first"), max_length=64)],
        end: Annotated[str, Query(description=BOUND.format("end, excluded"), max_length=64)],
        meter_id: Annotated[
            str | None, Query(description="One meter; every meter summed without it")
        ] = None,
        timezone: Annotated[
            str, Query(description="IANA name of the buckets' calendar", max_length=64)
        ] = "UTC",
    ) -> Response:
        summary = services.usage.summary(app, interval, start, end, meter_id, timezone)
        # Serialised once here: FastAPI would validate thousands of buckets over again.
        return Response(UsageSummary.of(summary).model_dump_json(), media_type="application/json")

    return router


BOUND = "ISO 8601 date or date and time of the range's {}; in `timezone` without an offset"


class SummaryBucket(BaseModel):
    start: str
    end: str
    kwh: float
    max_kwh: float | None
    readings: int


class UsageSummary(BaseModel):
    interval: Literal["hour", "day", "month"]
    timezone: str
    meter_id: str | None
    start: str
    end: str
    total_kwh: float = Field(
        description="One meter's total, or without `meter_id`, the consumption meters' (no "
        "channel suffix): export and generation are never added to it"
    )
    channels: dict[str, float] = Field(
        description="Without `meter_id`: each channel's total over the range "
        '(`{"export": 12.5, "generation": 30.1}`), `{}` when the range has none'
    )
    buckets: list[SummaryBucket]

    @classmethod
    def of(cls, summary: Summary) -> "UsageSummary":
        return cls(
            interval=summary.interval,
            timezone=summary.timezone,
            meter_id=summary.meter_id,
            start=summary.start.isoformat(),
            end=summary.end.isoformat(),
            total_kwh=summary.total_kwh,
            channels=summary.channels,
            buckets=[
                SummaryBucket(
                    start=bucket.start.isoformat(),
                    end=bucket.end.isoformat(),
                    kwh=bucket.total.kwh,
                    max_kwh=bucket.total.max_kwh,
                    readings=bucket.total.readings,
                )
                for bucket in summary.buckets
            ],
        )
