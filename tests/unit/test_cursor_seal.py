"""Sealed cursors: only what this service handed out, for the list it was handed out for."""

import base64
import json

import pytest

from services.cursors import CursorSeal
from services.errors import InvalidCursor

SEAL = CursorSeal("secret")


def storage_cursor(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def test_a_sealed_cursor_opens_for_its_own_list_only() -> None:
    sealed = SEAL.seal("uploads:app_1", storage_cursor(["up_1"]))
    assert sealed is not None
    assert SEAL.open("uploads:app_1", sealed) == storage_cursor(["up_1"])
    for other in ("uploads:app_2", "alerts:app_1"):
        with pytest.raises(InvalidCursor):
            SEAL.open(other, sealed)
    with pytest.raises(InvalidCursor):
        CursorSeal("another secret").open("uploads:app_1", sealed)


@pytest.mark.parametrize(
    "forged",
    [
        storage_cursor(["up_1"]),
        storage_cursor(["up_1"]) + ".",
        storage_cursor(["up_2"]) + "." + "A" * 22,
        "." + "A" * 22,
        storage_cursor([[[[[]]]]] * 1) + "." + "x",
        "[" * 100_000,
        "x" * 10_000,
    ],
)
def test_forged_or_altered_cursors_are_refused(forged: str) -> None:
    with pytest.raises(InvalidCursor):
        SEAL.open("uploads:app_1", forged)


def test_no_cursor_is_the_first_page() -> None:
    assert SEAL.open("uploads:app_1", None) is None
    assert SEAL.seal("uploads:app_1", None) is None
