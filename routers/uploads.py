"""Uploads of one application: send CSV files, read their reports."""

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse, StreamingResponse

from routers.deps import ServicesDep, Subject
from routers.errors import ALWAYS, documented
from routers.idempotent import REPLAYED, IdempotencyKey, answer_once
from routers.pages import Cursor, Limit
from routers.schemas import Page, Previews, UploadReport, UploadReports
from routers.upload_body import OPENAPI_BODY, receive_files
from services.applications import Application
from services.errors import ErrorCode
from services.uploads import request_fingerprint

REPLAY_HEADER = {
    REPLAYED: {
        "description": "`true` when this is the kept answer to an earlier request under the "
        "same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


def routes(subject: Subject) -> APIRouter:
    router = APIRouter(tags=[subject.tag], responses=documented(*subject.errors, *ALWAYS))
    Reader = Annotated[Application, Depends(subject.application("usage:read"))]
    Sender = Annotated[Application, Depends(subject.application("uploads:write"))]

    @router.post(
        "/uploads",
        status_code=status.HTTP_201_CREATED,
        openapi_extra=OPENAPI_BODY,
        responses={
            200: {"model": Previews, "description": "A dry run: how each file would be read"},
            201: {"model": UploadReports, "headers": REPLAY_HEADER},
            202: {
                "model": UploadReports,
                "description": "Processing continues",
                "headers": REPLAY_HEADER,
            },
            **documented(
                ErrorCode.NOT_GZIP,
                ErrorCode.CLIENT_DISCONNECTED,
                *subject.errors,
                ErrorCode.APPLICATION_DELETED,
                ErrorCode.BODY_TIMEOUT,
                ErrorCode.IN_PROGRESS,
                ErrorCode.TOO_LARGE,
                ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                *ALWAYS,
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ),
        },
    )
    async def uploads_create(
        request: Request, app: Sender, services: ServicesDep, idempotency_key: IdempotencyKey
    ) -> Any:
        files, options = await receive_files(request, services.spool)
        if options.dry_run:
            previews = await anyio.to_thread.run_sync(services.uploads.preview, app, files, options)
            return JSONResponse(Previews(previews=previews).model_dump(mode="json"))

        async def accept() -> JSONResponse:
            reports, finished = await anyio.to_thread.run_sync(
                services.uploads.accept, app, files, options
            )
            body = UploadReports.model_validate({"uploads": reports})
            code = status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED
            return JSONResponse(body.model_dump(mode="json"), status_code=code)

        def discard() -> None:
            for incoming in files:
                incoming.discard()

        fingerprint = request_fingerprint(files, options)
        return await answer_once(
            services.idempotency, app, idempotency_key, fingerprint, accept, discard
        )

    @router.get(
        "/uploads",
        response_model=Page[UploadReport],
        responses=documented(ErrorCode.INVALID_CURSOR),
    )
    def uploads_list(
        app: Reader, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
    ) -> Any:
        return services.uploads.list(app, limit, cursor)

    @router.get(
        "/uploads/{upload_id}",
        response_model=UploadReport,
        responses=documented(*subject.errors, ErrorCode.NOT_FOUND),
    )
    def uploads_get(upload_id: str, app: Reader, services: ServicesDep) -> Any:
        return services.uploads.get(app, upload_id)

    @router.get(
        "/uploads/{upload_id}/errors.csv",
        response_class=StreamingResponse,
        responses={
            200: {
                "content": {"text/csv": {"schema": {"type": "string"}}},
                "description": "`line,error`, then every problem of the file, line by line",
            },
            **documented(*subject.errors, ErrorCode.NOT_FOUND, ErrorCode.IN_PROGRESS),
        },
    )
    def uploads_errors(upload_id: str, app: Reader, services: ServicesDep) -> StreamingResponse:
        chunks = services.uploads.rejected_lines(app, upload_id)
        filename = f"{upload_id}-errors.csv"
        return StreamingResponse(
            chunks,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    return router
