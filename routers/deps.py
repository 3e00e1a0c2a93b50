"""Typed dependencies: the services, and one per permission (an operator, an application's key).

Trivial ones are `async def`: FastAPI runs a plain `def` dependency in the thread pool.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from routers.errors import ApiError
from services.accounts import User
from services.api_keys import SCOPES, Scope, VerifiedKey
from services.applications import Application
from services.container import Services
from services.errors import ErrorCode
from services.key_limits import KeyOverLimit

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)

NO_TOKEN = "Sign in first: send `Authorization: Bearer <access_token>`."
NO_KEY = "Send the application's API key in the X-API-Key header."


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_token(token: Annotated[str | None, Depends(bearer)]) -> str:
    if not token:
        raise ApiError(ErrorCode.MISSING_TOKEN, NO_TOKEN, {"WWW-Authenticate": "Bearer"})
    return token


AccessToken = Annotated[str, Depends(get_token)]


def get_current_operator(request: Request, services: ServicesDep, token: AccessToken) -> User:
    user = services.accounts.authenticate(token)
    request.state.caller = f"user:{user.user_id}"
    return user


CurrentOperator = Annotated[User, Depends(get_current_operator)]


def get_owned_application(
    app_id: str, operator: CurrentOperator, services: ServicesDep
) -> Application:
    return services.applications.get(operator, app_id)


OwnedApplication = Annotated[Application, Depends(get_owned_application)]


class ApiKeyCheck(APIKeyHeader):
    """The `X-API-Key` security scheme and its verification, as one dependency.

    One dependency, not a scheme plus a checker: FastAPI's work per dependency is a large
    part of a request whose key this instance verified moments ago.
    """

    def __init__(self, scope: Scope | None = None) -> None:
        super().__init__(name="X-API-Key", auto_error=False)
        self.scope = scope

    async def __call__(self, request: Request) -> VerifiedKey:  # type: ignore[override]
        secret = request.headers.get(self.model.name)
        if not secret:
            raise ApiError(ErrorCode.MISSING_API_KEY, NO_KEY)
        services = await get_services(request)
        # A key this instance verified moments ago is answered without leaving the event loop.
        verified = services.api_keys.cached(secret)
        if verified is None:
            verified = await anyio.to_thread.run_sync(services.api_keys.verify, secret)
        request.state.caller = f"app:{verified.app.id}"
        if self.scope is not None and self.scope not in verified.key.scopes:
            raise ApiError(
                ErrorCode.MISSING_SCOPE,
                f"This API key lacks the scope {self.scope}; use a key that has it.",
            )
        key = verified.key
        if key.rate_limit is not None or key.quota is not None:  # unlimited keys pay nothing
            await _count_request(request, services, verified)
        return verified


async def _count_request(request: Request, services: Services, verified: VerifiedKey) -> None:
    """Count the request against the key's limits; their figures go on the answer, a 429
    included (see RateLimitHeaders)."""
    try:
        # A local file nobody is writing counts here at once; else on a thread, waiting.
        limits = services.key_limits.admit_now(verified.key)
        if limits is None:
            limits = await anyio.to_thread.run_sync(services.key_limits.admit, verified.key)
    except KeyOverLimit as refused:
        request.state.rate_limits = refused.limits
        raise
    request.state.rate_limits = limits


get_current_api_key = ApiKeyCheck()
CurrentApiKey = Annotated[VerifiedKey, Depends(get_current_api_key)]
# One check per scope, made once: FastAPI caches a dependency's answer by the object.
SCOPED_CHECKS = {scope: ApiKeyCheck(scope) for scope in SCOPES}


def key_holder_application(scope: Scope) -> Callable[..., Awaitable[Application]]:
    """The application of a key that has `scope`."""
    check = SCOPED_CHECKS[scope]

    async def application(verified: Annotated[VerifiedKey, Depends(check)]) -> Application:
        return verified.app

    return application


def operator_application(scope: Scope) -> Callable[..., Application]:
    """The operator's own application; an operator may do everything a scope allows."""
    return get_owned_application


TOKEN_ERRORS = (ErrorCode.MISSING_TOKEN, ErrorCode.INVALID_TOKEN)
KEY_ERRORS = (ErrorCode.MISSING_API_KEY, ErrorCode.INVALID_API_KEY)


@dataclass(frozen=True)
class Subject:
    """Who an application's routes answer: its key holders, or its operator in the console.

    `errors` are the codes its dependency can give; `tag` groups its routes in /docs.
    """

    application: Callable[[Scope], Callable[..., Application | Awaitable[Application]]]
    tag: str
    errors: tuple[ErrorCode, ...]


KEY_HOLDER = Subject(
    key_holder_application,
    "machine clients",
    (*KEY_ERRORS, ErrorCode.MISSING_SCOPE, ErrorCode.RATE_LIMITED),
)
OPERATOR = Subject(operator_application, "console", (*TOKEN_ERRORS, ErrorCode.NOT_FOUND))
