"""Every failure becomes `{"detail": "<a sentence>", "code": "<its name>"}` with its status;
never a stack trace."""

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

from services.errors import ErrorCode, InvalidCursor, ServiceError, StorageUnavailable

logger = logging.getLogger("wattkey.errors")

# Each code's status and what it means; the OpenAPI entry of a route lists the codes it gives.
CATALOGUE: dict[ErrorCode, tuple[int, str]] = {
    ErrorCode.INVALID_CURSOR: (400, "A cursor this API did not hand out"),
    ErrorCode.NOT_GZIP: (400, "A body sent as gzip that is not gzip"),
    ErrorCode.CLIENT_DISCONNECTED: (400, "The client stopped sending the request"),
    ErrorCode.MISSING_TOKEN: (401, "No `Authorization: Bearer` token was sent"),
    ErrorCode.INVALID_TOKEN: (401, "The token is wrong, expired or signed out"),
    ErrorCode.INVALID_CREDENTIALS: (401, "The email or the password is wrong"),
    ErrorCode.MISSING_API_KEY: (401, "No `X-API-Key` header was sent"),
    ErrorCode.INVALID_API_KEY: (401, "The API key is wrong, expired or revoked"),
    ErrorCode.MISSING_SCOPE: (403, "The API key lacks the scope the route needs"),
    ErrorCode.NOT_FOUND: (404, "Nothing the caller may see has this id"),
    ErrorCode.APPLICATION_DELETED: (404, "The application was deleted while the file arrived"),
    ErrorCode.METHOD_NOT_ALLOWED: (405, "The path does not take this method; see Allow"),
    ErrorCode.BODY_TIMEOUT: (408, "The request body stopped arriving"),
    ErrorCode.EMAIL_TAKEN: (409, "An operator with this email exists already"),
    ErrorCode.IN_PROGRESS: (409, "The same request is still being answered; see Retry-After"),
    ErrorCode.TOO_LARGE: (413, "The request body is over its limit"),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: (415, "A body of a media type this route does not read"),
    ErrorCode.VALIDATION_FAILED: (422, "A parameter or the body is not what the route takes"),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: (422, "The Idempotency-Key was used for another request"),
    ErrorCode.RATE_LIMITED: (429, "Over a limit; see Retry-After"),
    ErrorCode.INTERNAL_ERROR: (500, "A fault on the server's side, logged with the request id"),
    ErrorCode.BUSY: (503, "Too much work of this kind at once; see Retry-After"),
    ErrorCode.STORAGE_UNAVAILABLE: (503, "A storage dependency is unavailable; see Retry-After"),
}
# The codes of the errors Starlette raises itself, by status.
STARLETTE_CODES = {
    400: ErrorCode.VALIDATION_FAILED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_FAILED,
}
UNAVAILABLE = "A storage dependency is unavailable; retry in a few seconds."
BAD_CURSOR = "The cursor is not one this API returned; start again without it."
UNEXPECTED = "Something went wrong on our side; it has been logged with this request's id."
# What FastAPI says (as a 400) of a body it cannot even decode, such as bytes that are not UTF-8.
UNPARSABLE_BODY = "There was an error parsing the body"
NOT_JSON_TEXT = "The request body is not valid JSON: it is not UTF-8 text."
Model = TypeVar("Model", bound=BaseModel)
# What any route can answer: a parameter it cannot take, a store it cannot reach.
ALWAYS = (ErrorCode.VALIDATION_FAILED, ErrorCode.STORAGE_UNAVAILABLE)


class ErrorBody(BaseModel):
    """Every error answer."""

    detail: str = Field(description="A sentence saying what went wrong and what to do")
    code: ErrorCode = Field(description="The error's stable name, for clients to branch on")


class ApiError(StarletteHTTPException):
    """An error a router or a middleware finds before any service is asked."""

    def __init__(
        self, code: ErrorCode, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(status_of(code), detail, dict(headers or {}))
        self.code = code


def status_of(code: ErrorCode) -> int:
    return CATALOGUE[code][0]


def error_body(code: ErrorCode, detail: str) -> dict[str, str]:
    return {"detail": detail, "code": code.value}


def documented(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these codes: one entry per status, naming its codes, with an
    example of each. A route's entry for a status replaces its router's: list them all."""
    by_status: dict[int, list[ErrorCode]] = {}
    for code in dict.fromkeys(codes):
        by_status.setdefault(status_of(code), []).append(code)
    return {
        status_code: {
            "model": ErrorBody,
            "description": "; ".join(f"`{code}`: {CATALOGUE[code][1]}" for code in members),
            "content": {
                "application/json": {
                    "examples": {
                        code.value: {
                            "summary": CATALOGUE[code][1],
                            "value": error_body(code, CATALOGUE[code][1] + "."),
                        }
                        for code in members
                    }
                }
            },
        }
        for status_code, members in sorted(by_status.items())
    }


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
        return _answer(ErrorCode.VALIDATION_FAILED, NOT_JSON_TEXT)
    code = getattr(error, "code", None) or STARLETTE_CODES.get(
        error.status_code, ErrorCode.VALIDATION_FAILED
    )
    return JSONResponse(
        error_body(code, str(error.detail)), status_code=error.status_code, headers=headers
    )


def _answer(code: ErrorCode, detail: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, detail), status_code=status_of(code), headers=headers)


def _methods_of(request: Request) -> list[str]:
    """Every method the API documents for the request's path, not only one route's."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods.update(method.upper() for method in operations)
    return sorted(methods)


async def _service_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    headers = {"WWW-Authenticate": "Bearer"} if status_of(error.code) == 401 else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return _answer(error.code, str(error), headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _answer(ErrorCode.VALIDATION_FAILED, describe_validation(error))


async def _unavailable(request: Request, error: Exception) -> JSONResponse:
    logger.warning("storage unavailable", extra={"reason": str(error)})
    return _answer(ErrorCode.STORAGE_UNAVAILABLE, UNAVAILABLE, {"Retry-After": "5"})


async def _bad_cursor(request: Request, error: Exception) -> JSONResponse:
    return _answer(ErrorCode.INVALID_CURSOR, BAD_CURSOR)


async def _disconnected(request: Request, error: Exception) -> JSONResponse:
    return _answer(ErrorCode.CLIENT_DISCONNECTED, "The client stopped sending the request.")


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
            await send_error(send, ErrorCode.INTERNAL_ERROR, UNEXPECTED)


async def send_error(send: Send, code: ErrorCode, detail: str) -> None:
    """A whole error answer, for middleware that answers below FastAPI."""
    body = json.dumps(error_body(code, detail)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status_of(code),
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
