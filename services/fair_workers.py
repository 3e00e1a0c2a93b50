"""Background jobs of many applications on a few threads, shared fairly: each application's
jobs wait in a queue of their own, the threads take the next job of each application in turn,
and no application runs on more than all threads but one, so one tenant's files never keep
another's waiting behind them."""

import logging
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

logger = logging.getLogger(__name__)
# How long a background step waits at most while clients wait: it slows, it never stops.
GIVE_WAY_SECONDS = 0.5


class FairWorkers:
    def __init__(self, threads: int, name: str) -> None:
        self._per_app = max(1, threads - 1)
        self._queues: dict[str, deque[Callable[[], None]]] = {}
        self._running: Counter[str] = Counter()
        self._turn = 0  # where the next round over the applications starts
        self._changed = threading.Condition()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, app_id: str, job: Callable[[], None]) -> None:
        with self._changed:
            if self._closed:
                return
            self._queues.setdefault(app_id, deque()).append(job)
            self._changed.notify()

    def close(self) -> None:
        """Drop the jobs still waiting and wait for the running ones to end."""
        with self._changed:
            self._closed = True
            self._queues.clear()
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        while True:
            with self._changed:
                taken = self._take()
                while taken is None and not self._closed:
                    self._changed.wait()
                    taken = self._take()
                if taken is None:
                    return
                app_id, job = taken
                self._running[app_id] += 1
            try:
                job()
            except Exception:
                logger.exception("a background job failed")
            finally:
                with self._changed:
                    self._running[app_id] -= 1
                    self._changed.notify_all()

    def _take(self) -> tuple[str, Callable[[], None]] | None:
        """The next application's next job, round the applications; the lock is held."""
        apps = list(self._queues)
        for step in range(len(apps)):
            app_id = apps[(self._turn + step) % len(apps)]
            if self._running[app_id] < self._per_app:
                queue = self._queues[app_id]
                job = queue.popleft()
                if not queue:
                    del self._queues[app_id]
                self._turn = (self._turn + step + 1) % max(1, len(apps))
                return app_id, job
        return None


class ClientsFirst:
    """Work a client waits for goes before background work: while any runs, each step of
    background work pauses (at most GIVE_WAY_SECONDS), so the waiting client has the
    interpreter to itself most of the time."""

    def __init__(self) -> None:
        self._waiting = 0
        self._lock = threading.Lock()
        self._none_waiting = threading.Event()
        self._none_waiting.set()

    @contextmanager
    def waiting(self) -> Iterator[None]:
        with self._lock:
            self._waiting += 1
            self._none_waiting.clear()
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1
                if not self._waiting:
                    self._none_waiting.set()

    def give_way(self) -> None:
        self._none_waiting.wait(GIVE_WAY_SECONDS)
