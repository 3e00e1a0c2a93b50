"""API keys: shown once, stored as a peppered hash, checked in constant time, briefly cached."""

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from services.clock import new_id, now_text, to_text, utc_now
from services.errors import InvalidInput, Unauthorized
from storage.ports import ApiKeys, Applications
from storage.records import ApiKey, Application

__all__ = ["ApiKey", "ApiKeyService", "KeyAccess"]

KEY_PREFIX = "sk_"
KEY_BYTES = 32
DISPLAY_PREFIX_LENGTH = 12
KEY_SHAPE = re.compile(r"sk_[A-Za-z0-9_-]{43,200}")
LAST_USED_EVERY = timedelta(minutes=1)
CACHE_LIMIT = 10_000
BAD_KEY = "The API key is missing, malformed, expired or revoked."


class KeyAccess(NamedTuple):
    key: ApiKey
    app: Application


class _Cached(NamedTuple):
    access: KeyAccess
    fresh_until: float
    key_expires_at: float


class ApiKeyService:
    def __init__(
        self, api_keys: ApiKeys, applications: Applications, pepper: str, cache_seconds: float
    ) -> None:
        self._api_keys = api_keys
        self._applications = applications
        self._pepper = pepper.encode()
        self._cache_seconds = cache_seconds
        self._cache: dict[str, _Cached] = {}

    def issue(
        self, app: Application, name: str | None, expires_at: datetime | None
    ) -> tuple[ApiKey, str]:
        """The stored key and its secret, which is never available again."""
        if expires_at is not None and expires_at <= utc_now():
            raise InvalidInput("expires_at must be in the future.")
        secret = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        key = ApiKey(
            id=new_id("key"),
            app_id=app.id,
            name=name or "default",
            prefix=secret[:DISPLAY_PREFIX_LENGTH],
            key_hash=self._hash(secret),
            created_at=now_text(),
            expires_at=to_text(expires_at) if expires_at else None,
        )
        self._api_keys.add(key)
        return key, secret

    def list(self, app: Application) -> list[ApiKey]:
        return self._api_keys.list_for_app(app.id)

    def revoke(self, app: Application, key_id: str) -> bool:
        revoked = self._api_keys.revoke(app.id, key_id, now_text())
        self._forget(lambda cached: cached.key.id == key_id)
        return revoked

    def forget_app(self, app_id: str) -> None:
        self._forget(lambda cached: cached.app.id == app_id)

    def cached(self, secret: str) -> KeyAccess | None:
        """The access this key grants when this instance checked it moments ago; no I/O."""
        entry = self._cache.get(self._hash(secret))
        if entry is None or entry.fresh_until < time.monotonic():
            return None
        if entry.key_expires_at <= time.time():
            raise Unauthorized(BAD_KEY)
        return entry.access

    def verify(self, secret: str) -> KeyAccess:
        if not KEY_SHAPE.fullmatch(secret):
            raise Unauthorized(BAD_KEY)
        key_hash = self._hash(secret)
        key = self._api_keys.find_by_hash(key_hash)
        if key is None or not hmac.compare_digest(key.key_hash, key_hash) or not is_active(key):
            raise Unauthorized(BAD_KEY)
        app = self._applications.get(key.app_id)
        if app is None:
            raise Unauthorized(BAD_KEY)
        self._record_use(key)
        access = KeyAccess(key, app)
        self._remember(key_hash, access)
        return access

    def _hash(self, secret: str) -> str:
        return hmac.new(self._pepper, secret.encode(), hashlib.sha256).hexdigest()

    def _record_use(self, key: ApiKey) -> None:
        now = utc_now()
        if key.last_used_at is None or key.last_used_at < to_text(now - LAST_USED_EVERY):
            self._api_keys.touch(key.app_id, key.id, to_text(now))

    def _remember(self, key_hash: str, access: KeyAccess) -> None:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        expires = access.key.expires_at
        key_expires_at = datetime.fromisoformat(expires).timestamp() if expires else float("inf")
        fresh_until = time.monotonic() + self._cache_seconds
        self._cache[key_hash] = _Cached(access, fresh_until, key_expires_at)

    def _forget(self, matches: Callable[[KeyAccess], bool]) -> None:
        for key_hash, entry in list(self._cache.items()):
            if matches(entry.access):
                self._cache.pop(key_hash, None)


def is_active(key: ApiKey) -> bool:
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now_text())
