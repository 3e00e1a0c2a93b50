"""Operator accounts: register, sign in, sign out, who am I."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, EmailStr, Field

from routers.deps import TOKEN_ERRORS, AccessToken, CurrentOperator, ServicesDep
from routers.errors import ApiError, documented, validated
from routers.password_work import run_password_work
from services.accounts import IssuedToken
from services.errors import ErrorCode
from services.json_text import NotJson, parsed

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    responses=documented(ErrorCode.BUSY, ErrorCode.STORAGE_UNAVAILABLE),
)
BODY_ERRORS = (
    ErrorCode.BODY_TIMEOUT,
    ErrorCode.TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.VALIDATION_FAILED,
)
SIGN_IN_ERRORS = documented(ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED, *BODY_ERRORS)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SIGN_IN_TYPES = (
    'Send the credentials as JSON {"email": ..., "password": ...} or as a form with '
    "username (the email) and password."
)
NOT_JSON = 'The request body is not valid JSON: send {"email": ..., "password": ...}.'


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=8, max_length=1024)


class SignIn(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


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


SIGN_IN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SignIn.model_json_schema()},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 320,
                            "description": "The email",
                        },
                        "password": {"type": "string", "minLength": 1, "maxLength": 1024},
                        "grant_type": {"type": "string", "enum": ["password"]},
                    },
                }
            },
        },
    }
}


async def read_sign_in(request: Request) -> SignIn:
    """The email and password of a JSON body or of an OAuth2 password form, whichever came."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in FORM_TYPES:
        async with request.form(max_files=0, max_fields=20) as form:
            fields = {
                "email": form.get("username") or form.get("email"),
                "password": form.get("password"),
            }
    elif media_type == "application/json" or media_type.endswith("+json"):
        try:
            body = parsed(await request.body(), "The request body")
        except NotJson as error:
            detail = f'{error} Send {{"email": ..., "password": ...}}.'
            raise ApiError(ErrorCode.VALIDATION_FAILED, detail) from None
        if not isinstance(body, dict):
            raise ApiError(ErrorCode.VALIDATION_FAILED, NOT_JSON)
        fields = {
            "email": body.get("email", body.get("username")),
            "password": body.get("password"),
        }
    else:
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, SIGN_IN_TYPES)
    return validated(SignIn, fields)


SignInBody = Annotated[SignIn, Depends(read_sign_in)]


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    responses=documented(
        ErrorCode.EMAIL_TAKEN,
        ErrorCode.BODY_TIMEOUT,
        ErrorCode.TOO_LARGE,
        ErrorCode.VALIDATION_FAILED,
    ),
)
async def auth_register(body: Credentials, request: Request, services: ServicesDep) -> Registered:
    user, issued = await run_password_work(
        request, services.accounts.register, body.email, body.password
    )
    return Registered(user_id=user.user_id, email=user.email, access_token=issued.access_token)


@router.post(
    "/login",
    openapi_extra=SIGN_IN_BODY,
    responses=SIGN_IN_ERRORS,
    summary="Sign in (JSON or password form)",
)
@router.post(
    "/token",
    openapi_extra=SIGN_IN_BODY,
    responses=SIGN_IN_ERRORS,
    summary="Sign in, for Swagger's Authorize",
    name="auth_token",
)
async def auth_login(body: SignInBody, request: Request, services: ServicesDep) -> Token:
    client = request.client.host if request.client else "unknown"
    issued = await run_password_work(
        request, services.accounts.login, body.email, body.password, client
    )
    return Token.of(issued)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=documented(*TOKEN_ERRORS))
def auth_logout(token: AccessToken, services: ServicesDep) -> Response:
    services.accounts.logout(token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", responses=documented(*TOKEN_ERRORS))
def auth_me(operator: CurrentOperator) -> Me:
    return Me(user_id=operator.user_id, email=operator.email, created_at=operator.created_at)
