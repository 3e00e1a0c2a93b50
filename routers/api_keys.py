"""API keys of an operator's application (`router`), and a key holder's checks of its own key."""

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field, StrictInt

from routers.deps import KEY_ERRORS, OPERATOR, CurrentApiKey, OwnedApplication, ServicesDep
from routers.errors import ALWAYS, documented
from routers.pages import Cursor, Limit
from routers.schemas import Answer, Page
from services.api_keys import ApiKey, KeyTerms, Quota, RateLimit, Scope, is_active
from services.errors import ErrorCode
from services.key_limits import LimitState

router = APIRouter(tags=["api keys"], responses=documented(*OPERATOR.errors, *ALWAYS))
key_holder_router = APIRouter(
    tags=["machine clients"], responses=documented(*KEY_ERRORS, ErrorCode.STORAGE_UNAVAILABLE)
)


class LimitOut(BaseModel):
    """A limit as it stands: `remaining` of `requests` in this window of `window_seconds`,
    which ends in `reset` seconds."""

    name: str
    requests: int
    window_seconds: int
    remaining: int
    reset: int


class KeyOut(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None
    is_active: bool
    scopes: list[Scope]
    rate_limit: RateLimit | None
    quota: Quota | None
    limits: list[LimitOut]

    @classmethod
    def of(cls, key: ApiKey, limits: Sequence[LimitState]) -> "KeyOut":
        return cls(
            **key.model_dump(exclude={"key_hash", "app_id", "revoked_at"}),
            is_active=is_active(key),
            limits=[LimitOut(**vars(limit)) for limit in limits],
        )


class IssuedKey(BaseModel):
    id: str
    api_key: str
    name: str
    prefix: str
    created_at: str
    expires_at: str | None
    scopes: list[Scope]
    rate_limit: RateLimit | None
    quota: Quota | None


class KeyCheck(BaseModel):
    valid: bool
    app_id: str
    key_name: str
    expires_at: str | None
    scopes: list[Scope]


class Greeting(BaseModel):
    message: str
    app_id: str
    key_name: str


@router.post(
    "/app/{app_id}/api-key",
    status_code=status.HTTP_201_CREATED,
    responses=documented(ErrorCode.BODY_TIMEOUT, ErrorCode.TOO_LARGE),
)
def api_keys_create(
    app: OwnedApplication, services: ServicesDep, body: KeyTerms | None = None
) -> IssuedKey:
    key, secret = services.api_keys.issue(app, body or KeyTerms())
    return IssuedKey(api_key=secret, **key.model_dump())


class Rotation(BaseModel):
    grace_seconds: StrictInt = Field(
        default=3600,
        ge=0,
        le=604_800,
        description="How long the old key keeps working, up to a week; 0 stops it at once",
    )


@router.post(
    "/app/{app_id}/api-key/{key_id}/rotate",
    status_code=status.HTTP_201_CREATED,
    responses=documented(*OPERATOR.errors, ErrorCode.BODY_TIMEOUT, ErrorCode.TOO_LARGE),
)
def api_keys_rotate(
    app: OwnedApplication, key_id: str, services: ServicesDep, body: Rotation | None = None
) -> IssuedKey:
    """A new key with the same name, scopes and limits; the old one stops after the grace."""
    grace = (body or Rotation()).grace_seconds
    key, secret = services.api_keys.rotate(app, key_id, grace)
    return IssuedKey(api_key=secret, **key.model_dump())


class AuditEventOut(Answer):
    event: str
    actor: str
    target: str
    at: str
    details: dict[str, object]


@router.get(
    "/app/{app_id}/audit",
    response_model=Page[AuditEventOut],
    responses=documented(*OPERATOR.errors, ErrorCode.INVALID_CURSOR),
)
def audit_list(
    app: OwnedApplication, services: ServicesDep, limit: Limit = 50, cursor: Cursor = None
) -> Any:
    """Changes to the application and its keys, newest first; never a secret."""
    return services.audit.list(app, limit, cursor)


@router.get("/app/{app_id}/api-keys")
def api_keys_list(app: OwnedApplication, services: ServicesDep) -> list[KeyOut]:
    return [KeyOut.of(key, limits) for key, limits in services.api_keys.listed(app)]


@router.delete("/app/{app_id}/api-key/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def api_keys_revoke(app: OwnedApplication, key_id: str, services: ServicesDep) -> Response:
    services.api_keys.revoke(app, key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@key_holder_router.post("/verify-key")
async def keys_verify(verified: CurrentApiKey) -> KeyCheck:
    return KeyCheck(
        valid=True,
        app_id=verified.app.id,
        key_name=verified.key.name,
        expires_at=verified.key.expires_at,
        scopes=verified.key.scopes,
    )


@key_holder_router.get("/protected")
async def keys_protected(verified: CurrentApiKey) -> Greeting:
    return Greeting(
        message=f"Hello, {verified.app.name}: your API key is valid.",
        app_id=verified.app.id,
        key_name=verified.key.name,
    )
