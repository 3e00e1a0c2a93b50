"""Receiving upload files: multipart `files` parts or one raw text/csv body, spooled to disk."""

from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import Request
from starlette.datastructures import FormData, QueryParams, UploadFile

from routers.errors import ApiError, validated
from services.errors import ErrorCode
from services.incoming import IncomingFile, Spool
from services.uploads import UploadOptions

OPTION_NAMES = ("threshold_kwh", "meter_id", "timezone", "columns", "force", "dry_run")
FILE_FIELDS = ("files", "file")
RAW_TYPES = ("text/csv", "text/plain", "application/csv", "application/octet-stream")
CHUNK_BYTES = 1024 * 1024
MAX_FILES = 100

UNSUPPORTED_TYPE = (
    "Send CSV files as multipart/form-data parts named `files`, "
    "or one file as a raw body with Content-Type: text/csv."
)
NO_FILES = "The request has no files: add one or more multipart parts named `files`."

COLUMNS = {
    "type": "string",
    "description": "JSON naming the columns of a layout the reader does not know: "
    '{"time", "usage", "clock"?, "meter"?, "unit"?, "cumulative"?, "time_is_end"?}',
    "example": '{"time": "Zeit", "usage": "Wert", "unit": "Wh"}',
}
FORCE = {
    "type": "boolean",
    "description": "Read the file even when the same file with the same options completed "
    "within DUPLICATE_WINDOW_HOURS (otherwise it is answered by that upload: `duplicate_of`).",
}
DRY_RUN = {
    "type": "boolean",
    "description": "Read the files and answer `200 {previews}` with how each would be read "
    "(layout, meters, first readings, problems); nothing is stored.",
}
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                        },
                        "threshold_kwh": {"type": "number"},
                        "meter_id": {"type": "string"},
                        "timezone": {"type": "string", "example": "Europe/London"},
                        "columns": COLUMNS,
                        "force": FORCE,
                        "dry_run": DRY_RUN,
                    },
                }
            },
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    "parameters": [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {"type": kind},
            "description": "The same as the multipart field, which wins when both are given.",
        }
        for name, kind in (
            ("threshold_kwh", "number"),
            ("meter_id", "string"),
            ("timezone", "string"),
            ("columns", "string"),
            ("force", "boolean"),
            ("dry_run", "boolean"),
            ("filename", "string"),
        )
    ],
}


async def receive_files(request: Request, spool: Spool) -> tuple[list[IncomingFile], UploadOptions]:
    """The spooled files and their options; options are checked before any file is kept.

    Options come as query parameters, or as form fields of a multipart body, which win; what
    the query string holds is checked either way.
    """
    query = _given_options(request.query_params)
    validated(UploadOptions, query)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _multipart(request, spool, query)
    if media_type in RAW_TYPES:
        incoming = await _spool(request.query_params.get("filename"), request.stream(), spool)
        return [incoming], validated(UploadOptions, query)
    raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_TYPE)


async def _multipart(
    request: Request, spool: Spool, query: dict[str, str]
) -> tuple[list[IncomingFile], UploadOptions]:
    async with request.form(max_files=MAX_FILES, max_fields=100) as form:
        parts = [part for name in FILE_FIELDS for part in form.getlist(name)]
        files = [part for part in parts if isinstance(part, UploadFile)]
        if not files:
            raise ApiError(ErrorCode.VALIDATION_FAILED, NO_FILES)
        options = validated(UploadOptions, {**query, **_given_options(form)})
        spooled: list[IncomingFile] = []
        try:
            for part in files:
                spooled.append(await _spool(part.filename, _chunks(part), spool))
        except BaseException:
            for incoming in spooled:
                incoming.discard()
            raise
    return spooled, options


def _given_options(fields: FormData | QueryParams) -> dict[str, str]:
    """The options a client filled in; an empty field (as HTML forms send) is not given, and
    one sent twice is refused rather than one of them taken."""
    for name in OPTION_NAMES:
        if len(fields.getlist(name)) > 1:
            raise ApiError(ErrorCode.VALIDATION_FAILED, f"{name} is given twice; send it once.")
    return {
        name: value
        for name in OPTION_NAMES
        if isinstance(value := fields.get(name), str) and value.strip()
    }


async def _chunks(part: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await part.read(CHUNK_BYTES):
        yield chunk


async def _spool(filename: str | None, chunks: AsyncIterator[bytes], spool: Spool) -> IncomingFile:
    incoming = await anyio.to_thread.run_sync(spool.receive, filename)
    try:
        async for chunk in chunks:
            await anyio.to_thread.run_sync(incoming.write, chunk)
    except BaseException:
        incoming.discard()
        raise
    return incoming
