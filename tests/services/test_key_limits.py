"""A key's rate limit and quota on the calendar: windows that roll over exactly at their
ends, quotas that end at UTC midnight and at the start of a month, and what a refusal says."""

from datetime import UTC, datetime

import pytest

from services.errors import ErrorCode
from services.key_limits import KeyLimits, KeyOverLimit
from storage.ports import Storage
from storage.records import ApiKey, Quota, RateLimit
from tests.support import FakeClock


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def key(rate: RateLimit | None = None, quota: Quota | None = None) -> ApiKey:
    return ApiKey(
        id="key_1",
        app_id="app_1",
        name="gateway",
        prefix="sk_abc",
        key_hash="hash",
        created_at="2026-01-01T00:00:00Z",
        rate_limit=rate,
        quota=quota,
    )


def test_a_rate_window_rolls_over_exactly_at_its_end(storage: Storage) -> None:
    clock = FakeClock(at("2026-12-02T10:00:00"))
    limits = KeyLimits(storage.request_counters, clock)
    limited = key(rate=RateLimit(requests=2, per_seconds=60))

    assert [s.remaining for s in limits.admit(limited)] == [1]
    clock.advance(59)
    assert [s.remaining for s in limits.admit(limited)] == [0]
    with pytest.raises(KeyOverLimit) as refused:
        limits.admit(limited)
    clock.advance(1)

    assert refused.value.retry_after == 1
    assert refused.value.code is ErrorCode.RATE_LIMITED
    (state,) = limits.admit(limited)
    assert (state.remaining, state.reset, state.window_seconds) == (1, 60, 60)


def test_a_daily_quota_ends_at_utc_midnight(storage: Storage) -> None:
    clock = FakeClock(at("2026-12-02T23:59:00"))
    limits = KeyLimits(storage.request_counters, clock)
    limited = key(quota=Quota(requests=1, period="day"))
    limits.admit(limited)

    with pytest.raises(KeyOverLimit) as refused:
        limits.admit(limited)
    clock.advance(60)

    assert refused.value.retry_after == 60
    assert "quota" in str(refused.value)
    assert [s.remaining for s in limits.admit(limited)] == [0]


def test_a_monthly_quota_ends_at_the_start_of_the_next_month(storage: Storage) -> None:
    clock = FakeClock(at("2026-12-31T12:00:00"))
    limits = KeyLimits(storage.request_counters, clock)
    limited = key(quota=Quota(requests=1, period="month"))

    (state,) = limits.admit(limited)
    with pytest.raises(KeyOverLimit):
        limits.admit(limited)
    clock.now = at("2027-01-01T00:00:00")

    assert (state.window_seconds, state.reset) == (31 * 86_400, 12 * 3600)
    assert [s.remaining for s in limits.admit(limited)] == [0]


def test_a_refusal_by_one_limit_spends_nothing_of_the_other(storage: Storage) -> None:
    clock = FakeClock(at("2026-12-02T10:00:00"))
    limits = KeyLimits(storage.request_counters, clock)
    limited = key(RateLimit(requests=1, per_seconds=60), Quota(requests=3, period="day"))
    limits.admit(limited)

    for _ in range(5):
        with pytest.raises(KeyOverLimit) as refused:
            limits.admit(limited)
    clock.advance(60)

    assert [s.remaining for s in refused.value.limits] == [0, 2]
    assert [s.remaining for s in limits.admit(limited)] == [0, 1]
    assert [s.remaining for s in limits.standing(limited)] == [0, 1]
    assert limits.standing(key()) == []
