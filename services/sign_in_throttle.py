"""Sign-in attempts per email, and failed ones per client address, in one-minute windows.

Counted in this process: a guesser spread over several instances gets each instance's
allowance, which still turns millions of guesses into a few dozen a minute.
"""

import threading
import time

from cachetools import TTLCache

from services.errors import TooManyRequests

WINDOW_SECONDS = 60
ATTEMPTS_PER_EMAIL = 10
FAILURES_PER_CLIENT = 30
TRACKED = 100_000


class SignInThrottle:
    def __init__(
        self,
        attempts_per_email: int = ATTEMPTS_PER_EMAIL,
        failures_per_client: int = FAILURES_PER_CLIENT,
        window_seconds: float = WINDOW_SECONDS,
    ) -> None:
        self._per_email = attempts_per_email
        self._per_client = failures_per_client
        self._window = window_seconds
        self._counts: TTLCache[tuple[str, int], int] = TTLCache(TRACKED, ttl=window_seconds)
        self._lock = threading.Lock()

    def attempt(self, email: str, client: str) -> None:
        """Count an attempt; TooManyRequests when the email or the client is over its limit."""
        if self._add(f"client:{client}", 0) >= self._per_client:
            self._refuse("your address")
        if self._add(f"email:{email.lower()}", 1) > self._per_email:
            self._refuse("this email")

    def failed(self, client: str) -> None:
        self._add(f"client:{client}", 1)

    def _add(self, who: str, attempts: int) -> int:
        """The count of `who` in this window after adding `attempts`."""
        window = int(time.time() // self._window)
        with self._lock:
            count = self._counts.get((who, window), 0) + attempts
            self._counts[(who, window)] = count
        return count

    def _refuse(self, whose: str) -> None:
        retry_after = int(self._window - time.time() % self._window) + 1
        raise TooManyRequests(
            f"Too many sign-in attempts for {whose}; try again in {retry_after} seconds.",
            retry_after,
        )
