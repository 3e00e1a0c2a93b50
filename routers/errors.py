"""Every failure becomes `{"detail": "<a sentence>"}` with its status; never a stack trace."""

import logging

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.requests import ClientDisconnect

from services.errors import Conflict, InvalidInput, NotFound, ServiceError, TooLarge, Unauthorized
from storage.errors import InvalidCursor, StorageUnavailable

logger = logging.getLogger("wattkey.errors")

SERVICE_STATUS: dict[type[ServiceError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    TooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
}
UNAVAILABLE = "A storage dependency is unavailable; retry in a few seconds."
BAD_CURSOR = "The cursor is not one this API returned; start again without it."


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(StorageUnavailable, _unavailable)
    app.add_exception_handler(InvalidCursor, _bad_cursor)
    app.add_exception_handler(ClientDisconnect, _disconnected)
    app.add_exception_handler(Exception, _unexpected)


def describe_validation(error: RequestValidationError | ValidationError) -> str:
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
    headers = {"WWW-Authenticate": "Bearer"} if code == status.HTTP_401_UNAUTHORIZED else None
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError | ValidationError)
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


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    logger.exception("unexpected error", exc_info=error)
    return JSONResponse(
        {"detail": "Something went wrong on our side; it has been logged."},
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
