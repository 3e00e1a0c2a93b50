"""Sign-in attempts per email, and failed ones per client address, over the last minute.

Each key keeps the times of its recent attempts (a sliding log, at most the limit of them), so
the limit holds over any minute, with no window edge to burst across. Counted in this process:
a guesser spread over several instances gets each instance's allowance, which still turns
millions of guesses into a few dozen a minute.
"""

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from cachetools import TTLCache

from services.errors import TooManyRequests

WINDOW_SECONDS = 60.0
ATTEMPTS_PER_EMAIL = 10
FAILURES_PER_CLIENT = 30
TRACKED = 100_000


class SignInThrottle:
    def __init__(
        self,
        attempts_per_email: int = ATTEMPTS_PER_EMAIL,
        failures_per_client: int = FAILURES_PER_CLIENT,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window_seconds
        self._limits = {"email": attempts_per_email, "client": failures_per_client}
        self._clock = clock
        self._logs: TTLCache[str, deque[float]] = TTLCache(TRACKED, ttl=window_seconds, timer=clock)
        self._lock = threading.Lock()

    def attempt(self, email: str, client: str) -> None:
        """Count an attempt; TooManyRequests when the email or the client is over its limit."""
        with self._lock:
            self._refuse_when_full("client", client, "your address")
            self._refuse_when_full("email", email.lower(), "this email")
            self._log("email", email.lower()).append(self._clock())

    def failed(self, client: str) -> None:
        with self._lock:
            self._log("client", client).append(self._clock())

    def _refuse_when_full(self, kind: str, who: str, whose: str) -> None:
        log = self._log(kind, who)
        if len(log) < self._limits[kind]:
            return
        retry_after = max(1, math.ceil(log[0] + self._window - self._clock()))
        raise TooManyRequests(
            f"Too many sign-in attempts for {whose}; try again in {retry_after} seconds.",
            retry_after,
        )

    def _log(self, kind: str, who: str) -> deque[float]:
        """The times of `who`'s attempts within the window; at most the limit are kept."""
        key = f"{kind}:{who}"
        log = self._logs.get(key)
        if log is None:
            log = self._logs[key] = deque(maxlen=self._limits[kind])
        else:
            self._logs[key] = log  # renews its time to live
        horizon = self._clock() - self._window
        while log and log[0] <= horizon:
            log.popleft()
        return log
