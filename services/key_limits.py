"""The rate limit and quota of a key, as windows of the request counters, and what the
answer tells the client of them (the IETF RateLimit fields' figures).

Fixed windows: a rate limit's windows start at multiples of its length from the epoch, a
quota's at UTC midnights or month starts. They are exact and cost one counter update a
request; a client may spend a window's allowance at its end and the next one's at the start
of the next, which the quota bounds over the day or month.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.errors import TooManyRequests
from storage.ports import RequestCounters
from storage.records import ApiKey, Quota, RateLimit, Window


@dataclass(frozen=True)
class LimitState:
    """One limit of a request: `q` requests a window of `w` seconds, `remaining` of them
    left, the window ending in `reset` seconds."""

    name: str
    requests: int
    window_seconds: int
    remaining: int
    reset: int


class KeyOverLimit(TooManyRequests):
    """A request refused by a limit; `limits` are the figures its answer carries."""

    def __init__(self, message: str, retry_after: int, limits: list[LimitState]) -> None:
        super().__init__(message, retry_after)
        self.limits = limits


class KeyLimits:
    def __init__(self, counters: RequestCounters, clock: Callable[[], float] = time.time) -> None:
        self._counters = counters
        self._clock = clock

    def admit(self, key: ApiKey) -> list[LimitState]:
        """Count the request against every limit of the key, all or none; the limits' state
        after it. KeyOverLimit when one is spent (nothing counted then)."""
        states = self._admit(key, wait=True)
        assert states is not None  # a waiting count always answers
        return states

    def admit_now(self, key: ApiKey) -> list[LimitState] | None:
        """`admit` when the store answers without waiting (see RequestCounters.admit_now),
        for a caller on the event loop; None when it would have to wait."""
        return self._admit(key, wait=False)

    def _admit(self, key: ApiKey, wait: bool) -> list[LimitState] | None:
        now = self._clock()
        windows = _windows(key, now)
        if not windows:
            return []
        count = self._counters.admit if wait else self._counters.admit_now
        admission = count(key.app_id, key.id, windows)
        if admission is None:
            return None
        states = [
            _state(window, count, now, _length(key, window))
            for window, count in zip(windows, admission.counts, strict=True)
        ]
        if admission.admitted:
            return states
        spent = [state for state in states if state.remaining == 0]
        retry_after = max(state.reset for state in spent)
        names = " and ".join(f"its {state.name} limit" for state in spent)
        raise KeyOverLimit(
            f"This API key has used {names}; try again in {retry_after} seconds.",
            retry_after,
            states,
        )

    def standing(self, key: ApiKey) -> list[LimitState]:
        """The key's limits as they stand now, counting nothing (for its operator to see)."""
        now = self._clock()
        windows = _windows(key, now)
        if not windows:
            return []
        counts = self._counters.counts(key.app_id, key.id, windows)
        return [
            _state(window, count, now, _length(key, window))
            for window, count in zip(windows, counts, strict=True)
        ]


def _windows(key: ApiKey, now: float) -> list[Window]:
    return [
        *([_rate_window(key.rate_limit, now)] if key.rate_limit else []),
        *([_quota_window(key.quota, now)] if key.quota else []),
    ]


def _rate_window(limit: RateLimit, now: float) -> Window:
    index = int(now // limit.per_seconds)
    return Window("rate", str(index), limit.requests, (index + 1) * limit.per_seconds)


def _quota_window(quota: Quota, now: float) -> Window:
    start, end = _period(quota, now)
    return Window("quota", start.strftime("%Y-%m-%d"), quota.requests, int(end.timestamp()))


def _period(quota: Quota, now: float) -> tuple[datetime, datetime]:
    moment = datetime.fromtimestamp(now, UTC)
    if quota.period == "day":
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + timedelta(days=1)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def _length(key: ApiKey, window: Window) -> int:
    if window.name == "rate" and key.rate_limit:
        return key.rate_limit.per_seconds
    assert key.quota is not None
    start, end = _period(key.quota, window.ends_at - 1)
    return int((end - start).total_seconds())


def _state(window: Window, count: int, now: float, length: int) -> LimitState:
    return LimitState(
        name=window.name,
        requests=window.limit,
        window_seconds=length,
        remaining=max(0, window.limit - count),
        reset=max(1, math.ceil(window.ends_at - now)),
    )
