"""Time and identifiers: UTC text timestamps and ids that sort by creation time."""

import secrets
import time
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


class OutOfRange(ValueError):
    """A moment that has no UTC equivalent inside years 1 to 9999."""


def to_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z`, to the second; years always have four digits, so text order
    is time order."""
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise OutOfRange(f"{moment.isoformat()} is outside the years 0001 to 9999 in UTC") from None
    return utc.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def now_text() -> str:
    return to_text(utc_now())


def new_id(prefix: str) -> str:
    """`prefix_` + 13 hex digits of microseconds + 10 random hex digits: sorts by creation time."""
    return f"{prefix}_{time.time_ns() // 1000:013x}{secrets.token_hex(5)}"


def creation_order(identifier: str) -> int:
    """An id of `new_id` as an integer that orders ids by creation: its microseconds and the
    first random byte (60 bits, so that it fits every store's integers)."""
    digits = identifier.partition("_")[2]
    return int(digits[:15], 16)
