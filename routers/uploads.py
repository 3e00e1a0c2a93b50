"""Uploads of one application: send CSV files, read their reports."""

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse

from routers.deps import ApplicationSubject, ServicesDep
from routers.errors import documented
from routers.pages import Cursor, Limit
from routers.schemas import Page, UploadReport, UploadReports
from routers.upload_body import OPENAPI_BODY, receive_files
from services.applications import Application


def routes(subject: ApplicationSubject, tag: str) -> APIRouter:
    router = APIRouter(tags=[tag], responses=documented(401, 422, 503))
    App = Annotated[Application, Depends(subject)]

    @router.post(
        "/uploads",
        status_code=status.HTTP_201_CREATED,
        openapi_extra=OPENAPI_BODY,
        responses={
            202: {"model": UploadReports, "description": "Processing continues"},
            **documented(408, 413, 415),
        },
    )
    async def upload(request: Request, app: App, services: ServicesDep) -> Any:
        files, options = await receive_files(request, services.spool)
        reports, finished = await anyio.to_thread.run_sync(
            services.ingestion.accept, app, files, options
        )
        body = UploadReports(uploads=[UploadReport.of(report) for report in reports])
        code = status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED
        return JSONResponse(body.model_dump(mode="json"), status_code=code)

    @router.get("/uploads", responses=documented(400))
    def list_uploads(
        app: App, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> Page[UploadReport]:
        page = services.ingestion.list(app, limit, cursor)
        return Page[UploadReport].of(page.items, page.next_cursor, UploadReport.of)

    @router.get("/uploads/{upload_id}", responses=documented(404))
    def get_upload(upload_id: str, app: App, services: ServicesDep) -> UploadReport:
        return UploadReport.of(services.ingestion.get(app, upload_id))

    return router
