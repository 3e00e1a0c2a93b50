"""Counting requests of limited keys: all windows or none, exact under a concurrent burst, on
one store or on two instances sharing it."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from storage.local.backend import open_local_storage
from storage.ports import Storage
from storage.records import Admission, Window
from tests.aws_servers import OpenAws, new_prefix

RATE = Window("rate", "1000", 3, 2_000_000_000)
QUOTA = Window("quota", "2026-12-02", 5, 2_000_000_000)


def admit(storage: Storage, *windows: Window, key: str = "key-1") -> Admission:
    return storage.request_counters.admit("app-1", key, windows)


def test_requests_are_counted_up_to_the_limit(storage: Storage) -> None:
    answers = [admit(storage, RATE) for _ in range(4)]

    assert answers == [
        Admission(True, (1,)),
        Admission(True, (2,)),
        Admission(True, (3,)),
        Admission(False, (3,)),
    ]
    assert admit(storage, RATE, key="key-2") == Admission(True, (1,))


def test_a_new_window_starts_again_from_nothing(storage: Storage) -> None:
    for _ in range(3):
        admit(storage, RATE)

    assert admit(storage, RATE._replace(window="1001")) == Admission(True, (1,))
    assert admit(storage, RATE._replace(window="1001")) == Admission(True, (2,))


def test_a_request_refused_by_one_limit_counts_against_none(storage: Storage) -> None:
    for _ in range(3):
        assert admit(storage, RATE, QUOTA).admitted

    assert admit(storage, RATE, QUOTA) == Admission(False, (3, 3))
    assert admit(storage, RATE, QUOTA) == Admission(False, (3, 3))
    # The next rate window admits again; the quota had counted only the admitted three.
    next_minute = RATE._replace(window="1001")
    assert admit(storage, next_minute, QUOTA) == Admission(True, (1, 4))
    assert admit(storage, next_minute, QUOTA) == Admission(True, (2, 5))
    assert admit(storage, next_minute, QUOTA) == Admission(False, (2, 5))


def test_a_burst_admits_exactly_the_limit(storage: Storage) -> None:
    ten = Window("rate", "7", 10, 2_000_000_000)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: admit(storage, ten), range(40)))

    assert sum(answer.admitted for answer in answers) == 10
    assert sorted(answer.counts[0] for answer in answers if answer.admitted) == list(range(1, 11))


def test_an_applications_counts_go_with_it(storage: Storage) -> None:
    for _ in range(3):
        admit(storage, RATE)

    storage.request_counters.delete_app("app-1")

    assert admit(storage, RATE) == Admission(True, (1,))


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_two_instances_on_one_store_count_together(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "aws":
        open_aws: OpenAws = request.getfixturevalue("open_aws")
        prefix = new_prefix()
        first, second = open_aws(prefix), open_aws(prefix)
        first.lifecycle.prepare()
    else:
        first, second = open_local_storage(tmp_path), open_local_storage(tmp_path)
        first.lifecycle.prepare()
    ten = Window("rate", "7", 10, 2_000_000_000)
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda n: admit((first, second)[n % 2], ten), range(40)))
    finally:
        if backend == "local":
            first.lifecycle.close()
            second.lifecycle.close()

    assert sum(answer.admitted for answer in answers) == 10
