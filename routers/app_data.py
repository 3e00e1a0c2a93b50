"""Uploads, usage and alerts of one application.

The same routes serve two subjects: a machine client with the application's key (`/uploads`...)
and the operator who owns it (`/app/{app_id}/uploads`...). `data_router` builds them for either.
"""

from collections.abc import Callable
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse

from routers.deps import ServicesDep
from routers.schemas import (
    AlertOut,
    AlertPage,
    ReadingOut,
    UploadPage,
    UploadReport,
    UploadReports,
    UsagePage,
)
from routers.upload_body import OPENAPI_BODY, receive_files
from services.applications import Application
from services.ingestion import UploadOptions

NO_UPLOAD = "No upload with this id."
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]


def data_router(subject: Callable[..., Application], tag: str) -> APIRouter:
    router = APIRouter(tags=[tag])
    Subject = Annotated[Application, Depends(subject)]

    @router.post(
        "/uploads",
        status_code=status.HTTP_201_CREATED,
        openapi_extra=OPENAPI_BODY,
        responses={202: {"model": UploadReports, "description": "Processing continues"}},
    )
    async def upload(request: Request, app: Subject, services: ServicesDep) -> Any:
        settings = request.app.state.settings
        files, raw_options = await receive_files(request, settings.max_upload_bytes)
        try:
            options = UploadOptions.model_validate(raw_options)
        except BaseException:
            for incoming in files:
                incoming.discard()
            raise
        reports, finished = await anyio.to_thread.run_sync(
            services.ingestion.accept, app, files, options
        )
        body = UploadReports(uploads=[UploadReport.of(report) for report in reports])
        code = status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED
        return JSONResponse(body.model_dump(mode="json"), status_code=code)

    @router.get("/uploads")
    def list_uploads(
        app: Subject, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> UploadPage:
        page = services.ingestion.list(app, limit, cursor)
        return UploadPage(
            items=[UploadReport.of(u) for u in page.items], next_cursor=page.next_cursor
        )

    @router.get("/uploads/{upload_id}")
    def get_upload(upload_id: str, app: Subject, services: ServicesDep) -> UploadReport:
        found = services.ingestion.get(app, upload_id)
        if found is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, NO_UPLOAD)
        return UploadReport.of(found)

    @router.get("/usage")
    def usage(
        app: Subject,
        services: ServicesDep,
        meter_id: str | None = None,
        start: Annotated[str | None, Query(description="Inclusive ISO 8601 lower bound")] = None,
        end: Annotated[str | None, Query(description="Inclusive ISO 8601 upper bound")] = None,
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> UsagePage:
        page = services.usage.query(app, meter_id, start, end, limit, cursor)
        items = [
            ReadingOut(meter_id=r.meter_id, timestamp=r.timestamp, kwh=r.kwh) for r in page.items
        ]
        return UsagePage(items=items, next_cursor=page.next_cursor)

    @router.get("/alerts")
    def alerts(
        app: Subject, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> AlertPage:
        page = services.alerts.list(app, limit, cursor)
        return AlertPage(items=[AlertOut.of(a) for a in page.items], next_cursor=page.next_cursor)

    return router
