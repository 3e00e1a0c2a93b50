"""Answers under an Idempotency-Key: the first is kept, and every retry of it gets it again."""

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio
from fastapi import Depends, Header, Response
from fastapi.responses import JSONResponse

from routers.errors import ApiError
from services.applications import Application
from services.errors import ErrorCode, StorageUnavailable
from services.idempotency import IdempotencyService, RecordedAnswer

REPLAYED = "Idempotent-Replayed"
logger = logging.getLogger(__name__)

KEY_SHAPE = re.compile(r"[\x20-\x7e]{1,255}")
BAD_KEY = "Idempotency-Key must be 1 to 255 printable ASCII characters (letters, digits, -, _...)."


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="1 to 255 printable ASCII characters. Makes retries safe: the first "
            "answer (status and body) is kept 24 hours and given again, with "
            "`Idempotent-Replayed: true`, to the same request under the same key. Another "
            "request under the key is a 422; a retry while the first runs, a 409.",
        ),
    ] = None,
) -> str | None:
    if key is not None and not KEY_SHAPE.fullmatch(key):
        raise ApiError(ErrorCode.VALIDATION_FAILED, BAD_KEY)
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]


async def answer_once(
    idempotency: IdempotencyService,
    app: Application,
    key: str | None,
    fingerprint: str,
    run: Callable[[], Awaitable[JSONResponse]],
    unused: Callable[[], None],
) -> Response:
    """`run`'s answer, or without running it the one a request under `key` got before;
    `unused` is called when `run` is not."""
    if key is None:
        return await run()
    try:
        recorded = await anyio.to_thread.run_sync(idempotency.claim, app, key, fingerprint)
    except BaseException:
        unused()
        raise
    if recorded is not None:
        unused()
        return Response(
            recorded.body,
            status_code=recorded.status_code,
            media_type="application/json",
            headers={REPLAYED: "true"},
        )
    try:
        response = await run()
    except BaseException:
        await anyio.to_thread.run_sync(_release, idempotency, app, key)
        raise
    answer = RecordedAnswer(status_code=response.status_code, body=bytes(response.body).decode())
    await anyio.to_thread.run_sync(_keep, idempotency, app, key, fingerprint, answer)
    return response


def _release(idempotency: IdempotencyService, app: Application, key: str) -> None:
    try:
        idempotency.release(app, key)
    except StorageUnavailable:
        logger.warning("an Idempotency-Key stays claimed until its claim runs out")


def _keep(
    idempotency: IdempotencyService,
    app: Application,
    key: str,
    fingerprint: str,
    answer: RecordedAnswer,
) -> None:
    # The request succeeded and its answer goes out either way; a retry within the claim's
    # time is told to wait, a later one runs again.
    try:
        idempotency.answer(app, key, fingerprint, answer)
    except StorageUnavailable:
        logger.warning("the answer under an Idempotency-Key was not kept")
