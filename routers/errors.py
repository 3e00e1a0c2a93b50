"""Every failure becomes `{"detail": "<a sentence>"}` with its status; never a stack trace."""

import json
import logging
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.errors import (
    Conflict,
    InvalidCursor,
    InvalidInput,
    NotFound,
    ServiceError,
    StorageUnavailable,
    TooLarge,
    TooManyRequests,
    Unauthorized,
)

logger = logging.getLogger("wattkey.errors")

SERVICE_STATUS: dict[type[ServiceError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    TooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    TooManyRequests: status.HTTP_429_TOO_MANY_REQUESTS,
}
UNAVAILABLE = "A storage dependency is unavailable; retry in a few seconds."
BAD_CURSOR = "The cursor is not one this API returned; start again without it."
UNEXPECTED = "Something went wrong on our side; it has been logged with this request's id."
Model = TypeVar("Model", bound=BaseModel)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StorageUnavailable, _unavailable)
    app.add_exception_handler(InvalidCursor, _bad_cursor)
    app.add_exception_handler(ClientDisconnect, _disconnected)


def validated(model: type[Model], data: Mapping[str, Any]) -> Model:
    """`model` from request data a route parsed itself; a problem is the client's 422."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None


def describe_validation(error: RequestValidationError) -> str:
    """One sentence per problem, naming the field: `password: String should have at least...`."""
    problems = []
    for item in error.errors():
        if item["type"] == "json_invalid":
            problems.append(
                f"The request body is not valid JSON (near character {item['loc'][-1]})"
            )
            continue
        where = ".".join(str(part) for part in item["loc"] if part not in ("body", "query", "path"))
        problems.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
    return "; ".join(problems) + "."


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    code = next(
        (code for kind, code in SERVICE_STATUS.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    headers = {"WWW-Authenticate": "Bearer"} if code == status.HTTP_401_UNAUTHORIZED else {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return JSONResponse(
        {"detail": describe_validation(error)},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def _unavailable(request: Request, error: Exception) -> JSONResponse:
    logger.warning("storage unavailable", extra={"reason": str(error)})
    return JSONResponse(
        {"detail": UNAVAILABLE},
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": "5"},
    )


async def _bad_cursor(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": BAD_CURSOR}, status_code=status.HTTP_400_BAD_REQUEST)


async def _disconnected(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": "The client stopped sending the request."}, status_code=400)


class UnexpectedErrorMiddleware:
    """Turns any other exception into a logged 500, inside the request-id and CORS middleware.

    Starlette answers an unhandled exception in its outermost layer, where neither the request
    id nor the CORS headers would reach the response; this sits just above the routes instead.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("unexpected error")
            if started:
                raise
            await send_detail(send, status.HTTP_500_INTERNAL_SERVER_ERROR, UNEXPECTED)


async def send_detail(send: Send, status_code: int, detail: str) -> None:
    """A whole `{"detail": ...}` answer, for middleware that answers below FastAPI."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
