"""API keys: shown once, stored as a peppered hash, checked in constant time, briefly cached."""

import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from cachetools import TTLCache
from pydantic import BaseModel, Field, field_validator

from services import metrics
from services.audit import AuditService
from services.clock import new_id, now_text, to_text, utc_now
from services.errors import ErrorCode, InvalidInput, NotFound, StorageUnavailable, Unauthorized
from services.key_limits import KeyLimits, LimitState
from storage.ports import ApiKeys, Applications
from storage.records import SCOPES, ApiKey, Application, Quota, RateLimit, Scope

__all__ = [
    "SCOPES",
    "ApiKey",
    "ApiKeyService",
    "KeyTerms",
    "Quota",
    "RateLimit",
    "Scope",
    "VerifiedKey",
]

KEY_PREFIX = "sk_"
KEY_BYTES = 32
DISPLAY_PREFIX_LENGTH = 12
KEY_SHAPE = re.compile(r"sk_[A-Za-z0-9_-]{43,200}")
LAST_USED_EVERY = timedelta(minutes=1)
CACHE_LIMIT = 10_000
# A cached key is checked again in the background once this share of the cache time is over,
# so that busy keys never wait for storage and a revoked one still goes within the cache time.
REFRESH_AFTER = 0.8
logger = logging.getLogger(__name__)
BAD_KEY = "The API key is missing, malformed, expired or revoked."
NO_KEY = "This application has no API key with this id."
NO_ACTIVE_KEY = "This application has no working API key with this id to rotate."


class KeyTerms(BaseModel):
    """What a new key may do: its scopes (every one by default) and limits (none by default)."""

    name: str | None = Field(default=None, max_length=100)
    expires_at: datetime | None = None
    scopes: list[Scope] = Field(default_factory=lambda: list(SCOPES), min_length=1)
    rate_limit: RateLimit | None = None
    quota: Quota | None = None

    @field_validator("expires_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """In UTC; a time without an offset is UTC already."""
        if value is None or value.tzinfo is None:
            return value.replace(tzinfo=UTC) if value else None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("must be inside the years 0001 to 9999 in UTC") from None


class _Refused(Exception):
    """A key refused, and why: counted in the metrics, never told to the client."""

    def __init__(self, outcome: str) -> None:
        super().__init__(outcome)
        self.outcome = outcome


class VerifiedKey(NamedTuple):
    """A key that passed verification, and the application it belongs to."""

    key: ApiKey
    app: Application
    expires_at: float  # epoch seconds; infinity for a key that never expires
    refresh_at: float  # the service's clock, in seconds, after which the copy is checked again


class ApiKeyService:
    def __init__(
        self,
        api_keys: ApiKeys,
        applications: Applications,
        pepper: str,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        audit: AuditService,
        limits: KeyLimits,
    ) -> None:
        self._api_keys = api_keys
        self._audit = audit
        self._limits = limits
        self._applications = applications
        self._pepper = pepper.encode()
        self._clock = clock  # seconds, for the cache time only: expiry dates are wall-clock
        # Read on the event loop, written from worker threads: every access takes the lock.
        self._cache: TTLCache[str, VerifiedKey] = TTLCache(
            CACHE_LIMIT, ttl=cache_seconds, timer=clock
        )
        self._cache_lock = threading.Lock()
        self._refresh_after = cache_seconds * REFRESH_AFTER
        self._refreshing: set[str] = set()
        self._refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="key-refresh")

    def issue(self, app: Application, terms: KeyTerms) -> tuple[ApiKey, str]:
        """The stored key and its secret, which is never available again."""
        expires_at = terms.expires_at
        if expires_at is not None and expires_at <= utc_now():
            raise InvalidInput("expires_at must be in the future.")
        secret = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        key = ApiKey(
            id=new_id("key"),
            app_id=app.id,
            name=terms.name or "default",
            prefix=secret[:DISPLAY_PREFIX_LENGTH],
            key_hash=self._hash(secret),
            created_at=now_text(),
            expires_at=to_text(expires_at) if expires_at else None,
            scopes=sorted(set(terms.scopes), key=SCOPES.index),
            rate_limit=terms.rate_limit,
            quota=terms.quota,
        )
        self._api_keys.add(key)
        self._audit.record(app, "key.created", key.id, **_described(key))
        return key, secret

    def rotate(self, app: Application, key_id: str, grace_seconds: int) -> tuple[ApiKey, str]:
        """A new key with the old one's name, scopes and limits; the old one stops once
        `grace_seconds` are over (or when it stopped anyway, if sooner)."""
        old = next((key for key in self.list(app) if key.id == key_id), None)
        if old is None or not is_active(old):
            raise NotFound(NO_ACTIVE_KEY)
        terms = KeyTerms(
            name=old.name, scopes=old.scopes, rate_limit=old.rate_limit, quota=old.quota
        )
        new, secret = self.issue(app, terms)
        ends = to_text(utc_now() + timedelta(seconds=grace_seconds))
        self._api_keys.expire(app.id, key_id, ends)
        self._forget(lambda cached: cached.key.id == key_id)
        self._audit.record(
            app, "key.rotated", key_id, replaced_by=new.id, grace_seconds=grace_seconds
        )
        return new, secret

    def list(self, app: Application) -> list[ApiKey]:
        return self._api_keys.list_for_app(app.id)

    def listed(self, app: Application) -> Sequence[tuple[ApiKey, Sequence[LimitState]]]:
        """The application's keys, each with its limits as they stand."""
        return [(key, self._limits.standing(key)) for key in self.list(app)]

    def revoke(self, app: Application, key_id: str) -> None:
        revoked = self._api_keys.revoke(app.id, key_id, now_text())
        self._forget(lambda cached: cached.key.id == key_id)
        if not revoked:
            raise NotFound(NO_KEY)
        self._audit.record(app, "key.revoked", key_id)

    def forget_app(self, app_id: str) -> None:
        """Drop what this instance remembers of the application's keys (changed or deleted)."""
        self._forget(lambda cached: cached.app.id == app_id)

    def cached(self, secret: str) -> VerifiedKey | None:
        """The key as this instance verified it moments ago; no I/O on the caller's thread."""
        key_hash = self._hash(secret)
        with self._cache_lock:
            verified = self._cache.get(key_hash)
            refresh = (
                verified is not None
                and verified.refresh_at <= self._clock()
                and key_hash not in self._refreshing
            )
            if refresh:
                self._refreshing.add(key_hash)
        if verified is None:
            return None
        if verified.expires_at <= time.time():
            metrics.key_verified("expired", cached=True)
            raise Unauthorized(BAD_KEY, ErrorCode.INVALID_API_KEY)
        if refresh:
            self._refresher.submit(self._refresh, secret, key_hash)
        metrics.key_verified("valid", cached=True)
        return verified

    def close(self) -> None:
        self._refresher.shutdown(wait=False, cancel_futures=True)

    def verify(self, secret: str) -> VerifiedKey:
        """The key of a request, checked in storage, then cached."""
        try:
            verified = self._verify(secret)
        except _Refused as refused:
            metrics.key_verified(refused.outcome, cached=False)
            raise Unauthorized(BAD_KEY, ErrorCode.INVALID_API_KEY) from None
        metrics.key_verified("valid", cached=False)
        return verified

    def _verify(self, secret: str) -> VerifiedKey:
        if not KEY_SHAPE.fullmatch(secret):
            raise _Refused("malformed")
        key_hash = self._hash(secret)
        key = self._api_keys.find_by_hash(key_hash)
        if key is None or not hmac.compare_digest(key.key_hash, key_hash):
            raise _Refused("unknown")
        if key.revoked_at is not None:
            raise _Refused("revoked")
        if not is_active(key):
            raise _Refused("expired")
        app = self._applications.get(key.app_id)
        if app is None:
            raise _Refused("unknown")  # its application was deleted
        self._record_use(key)
        expires_at = (
            datetime.fromisoformat(key.expires_at).timestamp() if key.expires_at else float("inf")
        )
        verified = VerifiedKey(key, app, expires_at, self._clock() + self._refresh_after)
        with self._cache_lock:
            self._cache[key_hash] = verified
        return verified

    def _refresh(self, secret: str, key_hash: str) -> None:
        try:
            self._verify(secret)  # not a request's verification: not counted
        except _Refused:
            with self._cache_lock:
                self._cache.pop(key_hash, None)
        except StorageUnavailable:
            logger.warning("an API key could not be checked again; its cached copy expires")
        finally:
            with self._cache_lock:
                self._refreshing.discard(key_hash)

    def _hash(self, secret: str) -> str:
        return hmac.new(self._pepper, secret.encode(), hashlib.sha256).hexdigest()

    def _record_use(self, key: ApiKey) -> None:
        now = utc_now()
        if key.last_used_at is None or key.last_used_at < to_text(now - LAST_USED_EVERY):
            self._api_keys.touch(key.app_id, key.id, to_text(now))

    def _forget(self, matches: Callable[[VerifiedKey], bool]) -> None:
        with self._cache_lock:
            for key_hash in [h for h, verified in self._cache.items() if matches(verified)]:
                del self._cache[key_hash]


def is_active(key: ApiKey) -> bool:
    return key.revoked_at is None and (key.expires_at is None or key.expires_at > now_text())


def _described(key: ApiKey) -> dict[str, object]:
    """What the audit log says of a new key: never its secret or its hash."""
    return key.model_dump(
        mode="json", include={"name", "prefix", "expires_at", "scopes", "rate_limit", "quota"}
    )
