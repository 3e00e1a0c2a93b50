"""Requests made under an Idempotency-Key: run once, answered the same way on every retry.

The first request under a key claims it, runs, and keeps its answer for a day; a retry of the
same request gets that answer again, a different request under the key is refused, and a
retry while the first still runs is told to wait. A claim whose request died with its
process (no answer within CLAIM_SECONDS) lets the next retry run the request again.
"""

import time
from collections.abc import Callable

from services.errors import ErrorCode, InProgress, InvalidInput
from storage.ports import IdempotencyKeys
from storage.records import Application, IdempotencyRecord, RecordedAnswer

__all__ = ["IdempotencyService", "RecordedAnswer"]

KEPT_SECONDS = 24 * 3600
# Longer than any answer takes: an upload request answers once its files are stored (and small
# ones read), which is seconds.
CLAIM_SECONDS = 120
RETRY_AFTER_SECONDS = 1
OTHER_REQUEST = (
    "This Idempotency-Key was used in the last 24 hours with a different request (other files "
    "or options); send a new key for a new request."
)
STILL_RUNNING = (
    "A request with this Idempotency-Key is still being answered; retry in a moment to get "
    "its answer."
)


class IdempotencyService:
    def __init__(self, keys: IdempotencyKeys, clock: Callable[[], float] = time.time) -> None:
        self._keys = keys
        self._clock = clock

    def claim(self, app: Application, key: str, fingerprint: str) -> RecordedAnswer | None:
        """None: the caller runs the request, then calls `answer` or `release`. Otherwise the
        first answer, to give again. Raises InvalidInput for another request under the key,
        InProgress while the first is unanswered."""
        now = int(self._clock())
        claim = IdempotencyRecord(
            app_id=app.id,
            key=key,
            fingerprint=fingerprint,
            claimed_until=now + CLAIM_SECONDS,
            expires_at=now + KEPT_SECONDS,
        )
        held = self._keys.claim(claim, now)
        if held is None:
            return None
        if held.fingerprint != fingerprint:
            raise InvalidInput(OTHER_REQUEST, ErrorCode.IDEMPOTENCY_KEY_REUSED)
        if held.answer is None:
            raise InProgress(STILL_RUNNING, RETRY_AFTER_SECONDS)
        return held.answer

    def answer(self, app: Application, key: str, fingerprint: str, answer: RecordedAnswer) -> None:
        now = int(self._clock())
        self._keys.answer(
            IdempotencyRecord(
                app_id=app.id,
                key=key,
                fingerprint=fingerprint,
                claimed_until=now,
                expires_at=now + KEPT_SECONDS,
                answer=answer,
            )
        )

    def release(self, app: Application, key: str) -> None:
        self._keys.release(app.id, key)
