"""Every failure becomes `{"detail": "<a sentence>"}` with its status; never a stack trace."""

import json
import logging
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
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
# What FastAPI says (as a 400) of a body it cannot even decode, such as bytes that are not UTF-8.
UNPARSABLE_BODY = "There was an error parsing the body"
NOT_JSON_TEXT = "The request body is not valid JSON: it is not UTF-8 text."
Model = TypeVar("Model", bound=BaseModel)


class ErrorBody(BaseModel):
    """Every error answer."""

    detail: str = Field(description="A sentence saying what went wrong and what to do")


MEANINGS = {
    400: "A cursor this API did not hand out",
    401: "Missing, wrong, expired or revoked credentials",
    404: "Nothing the caller may see has this id",
    408: "The request body stopped arriving",
    409: "It exists already, or the same request is still being answered (see Retry-After)",
    413: "The request body is over its limit",
    415: "A body of a media type this route does not read",
    422: "A parameter or the body is not what the route takes",
    429: "Over a limit; see Retry-After",
    503: "A dependency is unavailable or busy; see Retry-After",
}


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each with the ErrorBody schema."""
    return {code: {"model": ErrorBody, "description": MEANINGS[code]} for code in codes}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
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


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    headers = dict(error.headers or {})
    if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers["Allow"] = ", ".join(_methods_of(request))
    if error.status_code == status.HTTP_400_BAD_REQUEST and error.detail == UNPARSABLE_BODY:
        return JSONResponse({"detail": NOT_JSON_TEXT}, status_code=422)
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


def _methods_of(request: Request) -> list[str]:
    """Every method the API documents for the request's path, not only one route's."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    code = next(
        (code for kind, code in SERVICE_STATUS.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    headers = {"WWW-Authenticate": "Bearer"} if code == status.HTTP_401_UNAUTHORIZED else {}
    if isinstance(error, ServiceError) and error.retry_after is not None:
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
