"""The leases one process holds on pieces of work, renewed on one thread until released.

A lease lets exactly one process of all instances work on a thing; when that process dies
its leases run out and another takes the work over. A process of this host that is no longer
running (or whose id this very process now has) holds nothing: its leases are taken at once,
so a restarted server goes on with its own work without waiting for them to expire.
"""

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable

from services.processes import is_running
from storage.errors import StorageUnavailable
from storage.ports import Leases
from storage.records import Lease

logger = logging.getLogger(__name__)
HOST = socket.gethostname()
_LIVE_HERE: set[str] = set()  # owners of this process's keepers, not yet closed


class LeaseKeeper:
    def __init__(
        self, leases: Leases, seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._leases = leases
        self._seconds = seconds
        self._clock = clock
        self.owner = f"{HOST}/{os.getpid()}/{secrets.token_hex(4)}"
        _LIVE_HERE.add(self.owner)
        self._held: dict[str, int] = {}  # name -> when our hold on it ends, as last written
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._renewer = threading.Thread(target=self._renew_forever, name="leases", daemon=True)
        self._renewer.start()

    def take(self, name: str) -> bool:
        """Hold `name` (or renew our hold); False when another live process holds it."""
        now = int(self._clock())
        lease = Lease(name, self.owner, now + self._seconds)
        holder = self._leases.claim(lease, now)
        if holder is not None and _abandoned(holder.owner):
            holder = self._leases.claim(lease, now, replacing=holder.owner)
        if holder is not None:
            return False
        with self._lock:
            self._held[name] = lease.expires_at
        return True

    def holds(self, name: str) -> bool:
        """Whether our hold is still ours: False once it was lost to another process, or ran
        out because storage could not be reached to renew it."""
        with self._lock:
            until = self._held.get(name)
        return until is not None and until > self._clock()

    def release(self, name: str) -> None:
        with self._lock:
            held = self._held.pop(name, None) is not None
        if held:
            try:
                self._leases.release(name, self.owner)
            except StorageUnavailable:
                logger.warning("a lease could not be released; it runs out", extra={"lease": name})

    def close(self) -> None:
        self._stopping.set()
        self._renewer.join(timeout=5)
        _LIVE_HERE.discard(self.owner)

    def _renew_forever(self) -> None:
        while not self._stopping.wait(self._seconds / 3):
            with self._lock:
                names = list(self._held)
            for name in names:
                self._renew(name)

    def _renew(self, name: str) -> None:
        now = int(self._clock())
        lease = Lease(name, self.owner, now + self._seconds)
        try:
            holder = self._leases.claim(lease, now)
        except StorageUnavailable:
            return  # tried again shortly; `holds` says False once the hold has run out
        with self._lock:
            if name not in self._held:
                return  # released meanwhile
            if holder is None:
                self._held[name] = lease.expires_at
            else:
                del self._held[name]
                logger.warning("a lease was taken over by another process", extra={"lease": name})


def _abandoned(owner: str) -> bool:
    """Whether `owner` is a process of this host that is gone, or an earlier one whose id this
    process has now (a restarted container's first process has the same id)."""
    host, _, rest = owner.partition("/")
    pid_text = rest.partition("/")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return owner not in _LIVE_HERE
    return not is_running(pid)
