"""The sign-in throttle: limits over any window, per email for attempts, per client for failures,
on a clock the tests move."""

import pytest

from services.errors import ErrorCode, TooManyRequests
from services.sign_in_throttle import SignInThrottle
from tests.support import FakeClock

WINDOW = 60.0


def test_an_email_gets_its_attempts_then_waits_out_the_window() -> None:
    clock = FakeClock()
    throttle = SignInThrottle(attempts_per_email=2, failures_per_client=100, clock=clock)
    throttle.attempt("Ada@example.com", "1.2.3.4")
    clock.advance(10)
    throttle.attempt("ada@example.com", "5.6.7.8")
    with pytest.raises(TooManyRequests, match="this email; try again in 50 seconds") as refused:
        throttle.attempt("ada@example.com", "9.9.9.9")
    assert refused.value.retry_after == 50
    assert refused.value.code == ErrorCode.RATE_LIMITED
    throttle.attempt("bob@example.com", "1.2.3.4")
    clock.advance(WINDOW - 10 - 0.5)
    with pytest.raises(TooManyRequests) as still:
        throttle.attempt("ada@example.com", "1.2.3.4")
    assert still.value.retry_after == 1
    clock.advance(0.5)
    throttle.attempt("ada@example.com", "1.2.3.4")


def test_the_window_slides_with_each_attempt() -> None:
    clock = FakeClock()
    throttle = SignInThrottle(attempts_per_email=2, failures_per_client=100, clock=clock)
    throttle.attempt("ada@example.com", "1.2.3.4")
    clock.advance(40)
    throttle.attempt("ada@example.com", "1.2.3.4")
    clock.advance(20)  # the first attempt is a window old: only the second still counts
    throttle.attempt("ada@example.com", "1.2.3.4")
    with pytest.raises(TooManyRequests) as refused:
        throttle.attempt("ada@example.com", "1.2.3.4")
    assert refused.value.retry_after == 40
    clock.advance(40)
    throttle.attempt("ada@example.com", "1.2.3.4")


def test_a_client_is_limited_by_its_failures_only() -> None:
    clock = FakeClock()
    throttle = SignInThrottle(attempts_per_email=100, failures_per_client=2, clock=clock)
    for n in range(5):
        throttle.attempt(f"u{n}@example.com", "1.2.3.4")
    throttle.failed("1.2.3.4")
    clock.advance(15)
    throttle.failed("1.2.3.4")
    with pytest.raises(TooManyRequests, match="your address; try again in 45 seconds") as refused:
        throttle.attempt("new@example.com", "1.2.3.4")
    assert refused.value.retry_after == 45
    throttle.attempt("new@example.com", "4.3.2.1")
    clock.advance(45)
    throttle.attempt("new@example.com", "1.2.3.4")
