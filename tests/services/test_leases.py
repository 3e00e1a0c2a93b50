"""The leases a process holds: one process of all at a time, renewed while it works, taken
over when they run out, and at once when their owner is a process of this host that is gone."""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.leases import HOST, LeaseKeeper
from storage.local.backend import open_local_storage
from storage.ports import Storage
from storage.records import Lease
from tests.support import FakeClock

START = 1_700_000_000.0


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Storage]:
    opened = open_local_storage(tmp_path)
    opened.lifecycle.prepare()
    yield opened
    opened.lifecycle.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def keeper(storage: Storage, clock: FakeClock | None = None, seconds: int = 30) -> LeaseKeeper:
    return LeaseKeeper(storage.leases, seconds, clock or time.time)


def test_one_process_holds_a_name_until_its_lease_runs_out(
    local: Storage, clock: FakeClock
) -> None:
    first, second = keeper(local, clock), keeper(local, clock)
    try:
        assert first.take("upload:a/1")
        assert not second.take("upload:a/1")
        assert first.holds("upload:a/1")
        clock.advance(31)  # the renewer, every 10 s of real time, has not run
        assert not first.holds("upload:a/1")
        assert second.take("upload:a/1")
    finally:
        first.close()
        second.close()


def test_a_released_name_is_free_at_once(local: Storage, clock: FakeClock) -> None:
    first, second = keeper(local, clock), keeper(local, clock)
    try:
        assert first.take("n")
        first.release("n")
        assert not first.holds("n")
        assert second.take("n")
    finally:
        first.close()
        second.close()


def test_a_held_lease_is_renewed_while_the_work_goes_on(local: Storage) -> None:
    first, second = keeper(local, seconds=3), keeper(local, seconds=3)
    try:
        assert first.take("n")
        time.sleep(4.5)  # past the first lease: renewed every second
        assert first.holds("n")
        assert not second.take("n")
    finally:
        first.close()
        second.close()


def test_the_lease_of_a_process_of_this_host_that_is_gone_is_taken_at_once(
    local: Storage, clock: FakeClock
) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    local.leases.claim(Lease("n", f"{HOST}/{gone.pid}/dead", int(START) + 3600), int(START))
    heir = keeper(local, clock)
    try:
        assert heir.take("n")
    finally:
        heir.close()


@pytest.mark.parametrize("owner", [f"{HOST}/1/alive", "other-host/999999/x"])
def test_a_live_process_or_one_of_another_host_keeps_its_lease(
    local: Storage, clock: FakeClock, owner: str
) -> None:
    local.leases.claim(Lease("n", owner, int(START) + 3600), int(START))
    other = keeper(local, clock)
    try:
        assert not other.take("n")
    finally:
        other.close()
