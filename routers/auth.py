"""Operator accounts: register, sign in, sign out, who am I."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, EmailStr, Field

from routers.deps import AccessToken, CurrentOperator, ServicesDep
from services.accounts import IssuedToken

router = APIRouter(prefix="/auth", tags=["auth"])


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=1024)


class SignIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class Registered(BaseModel):
    user_id: str
    email: str
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int

    @classmethod
    def of(cls, issued: IssuedToken) -> "Token":
        return cls(access_token=issued.access_token, expires_in=issued.expires_in)


class Me(BaseModel):
    user_id: str
    email: str
    created_at: str


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(body: Credentials, services: ServicesDep) -> Registered:
    user, issued = services.accounts.register(body.email, body.password)
    return Registered(user_id=user.user_id, email=user.email, access_token=issued.access_token)


@router.post("/login")
def login(body: SignIn, services: ServicesDep) -> Token:
    return Token.of(services.accounts.login(body.email, body.password))


@router.post("/token", summary="Sign in with an OAuth2 password form (Swagger's Authorize)")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], services: ServicesDep) -> Token:
    return Token.of(services.accounts.login(form.username, form.password))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(token: AccessToken, services: ServicesDep) -> Response:
    services.accounts.logout(token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me")
def me(operator: CurrentOperator) -> Me:
    return Me(user_id=operator.user_id, email=operator.email, created_at=operator.created_at)
