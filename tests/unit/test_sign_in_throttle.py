"""The sign-in throttle: limits over any window, per email for attempts, per client for failures."""

import time

import pytest

from services.errors import TooManyRequests
from services.sign_in_throttle import SignInThrottle


def test_an_email_gets_its_attempts_then_waits_out_the_window() -> None:
    throttle = SignInThrottle(attempts_per_email=2, failures_per_client=100, window_seconds=0.5)
    throttle.attempt("Ada@example.com", "1.2.3.4")
    throttle.attempt("ada@example.com", "5.6.7.8")
    with pytest.raises(TooManyRequests, match="this email") as refused:
        throttle.attempt("ada@example.com", "9.9.9.9")
    assert refused.value.retry_after == 1
    throttle.attempt("bob@example.com", "1.2.3.4")
    time.sleep(0.55)
    throttle.attempt("ada@example.com", "1.2.3.4")


def test_a_client_is_limited_by_its_failures_only() -> None:
    throttle = SignInThrottle(attempts_per_email=100, failures_per_client=2, window_seconds=0.5)
    for n in range(5):
        throttle.attempt(f"u{n}@example.com", "1.2.3.4")
    throttle.failed("1.2.3.4")
    throttle.failed("1.2.3.4")
    with pytest.raises(TooManyRequests, match="your address"):
        throttle.attempt("new@example.com", "1.2.3.4")
    throttle.attempt("new@example.com", "4.3.2.1")
