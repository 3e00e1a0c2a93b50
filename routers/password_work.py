"""Password hashing on a few threads of its own, behind a short queue.

argon2 is slow on purpose. Run on the thread pool every other request shares, a flood of
sign-ins would leave key checks, health and reads waiting; here it takes at most half the
cores, and once the queue is full a sign-in is refused at once with `Retry-After`.
"""

import os
from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from routers.errors import ApiError
from services.errors import ErrorCode

THREADS = max(1, (os.cpu_count() or 2) // 2)
MAX_WAITING = 32
BUSY = "Too many sign-ins are being checked at once; retry in a second."
Result = TypeVar("Result")


def create_limiter() -> anyio.CapacityLimiter:
    """Called on the event loop at startup: anyio limiters belong to one loop."""
    return anyio.CapacityLimiter(THREADS)


async def run_password_work(request: Request, work: Callable[..., Result], *args: str) -> Result:
    limiter: anyio.CapacityLimiter = request.app.state.password_limiter
    if limiter.statistics().tasks_waiting >= MAX_WAITING:
        raise ApiError(ErrorCode.BUSY, BUSY, {"Retry-After": "1"})
    return await anyio.to_thread.run_sync(work, *args, limiter=limiter)
