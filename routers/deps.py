"""Typed dependencies: the services, and one per permission (an operator, an application's key)."""

from typing import Annotated

import anyio
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from services.accounts import User
from services.api_keys import KeyAccess
from services.applications import Application
from services.platform import Services

bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)

NO_TOKEN = "Sign in first: send `Authorization: Bearer <access_token>`."
NO_KEY = "Send the application's API key in the X-API-Key header."
NO_APPLICATION = "No application with this id."


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_token(token: Annotated[str | None, Depends(bearer)]) -> str:
    if not token:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, NO_TOKEN, headers={"WWW-Authenticate": "Bearer"}
        )
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
    app = services.applications.get(operator, app_id)
    if app is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NO_APPLICATION)
    return app


OwnedApplication = Annotated[Application, Depends(get_owned_application)]


async def get_key_access(
    request: Request, services: ServicesDep, secret: Annotated[str | None, Depends(api_key_header)]
) -> KeyAccess:
    if not secret:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NO_KEY)
    # A key this instance verified moments ago is answered without leaving the event loop.
    access = services.api_keys.cached(secret)
    if access is None:
        access = await anyio.to_thread.run_sync(services.api_keys.verify, secret)
    request.state.caller = f"app:{access.app.id}"
    return access


KeyHolder = Annotated[KeyAccess, Depends(get_key_access)]


def get_key_application(access: KeyHolder) -> Application:
    return access.app


KeyApplication = Annotated[Application, Depends(get_key_application)]
