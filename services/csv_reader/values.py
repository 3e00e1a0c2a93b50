"""Cells: numbers in either decimal convention, and dates and times in the ways exports write
them. A cell that is not what its column holds raises ValueError with a sentence."""

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from services.csv_reader.vocabulary import MISSING_VALUES

QUOTED_CHARACTERS = 40
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMERIC_DATE = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})"
    r"|(?P<iso_year>\d{4})(?P<iso_sep>[/.])(?P<iso_month>\d{1,2})(?P=iso_sep)(?P<iso_day>\d{1,2})"
    r"|(?P<compact>\d{8})"
)
TIME_OF_DAY = re.compile(
    r"(?P<hour>\d{1,2})(?::?(?P<minute>\d{2}))(?::?(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
RANGE = re.compile(r"(?P<start>.+?)\s+(?:to|bis|tot|au|a|al|-|\u2013)\s+(?P<end>.+)", re.IGNORECASE)
THOUSANDS_DOTS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
THOUSANDS_COMMAS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
AMERICAS = ("America/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")


class Missing(Exception):
    """The cell says there is no value."""


def quoted(cell: str) -> str:
    """A cell as an error message quotes it: its start only, so reports stay small."""
    return repr(cell) if len(cell) <= QUOTED_CHARACTERS else repr(cell[:QUOTED_CHARACTERS]) + "…"


def number(cell: str, decimal_comma: bool) -> float:
    """A plain ASCII decimal; Missing for the words that mean no value."""
    text = cell.strip().replace("\u00a0", "")
    if text.lower() in MISSING_VALUES:
        raise Missing
    if not text.isascii() or "_" in text:
        raise ValueError(f"{quoted(text)} is not a number.")
    if "," in text:
        if decimal_comma:
            text = text.replace(".", "").replace(",", ".")
        elif THOUSANDS_COMMAS.fullmatch(text):
            text = text.replace(",", "")
    elif decimal_comma and "." in text and THOUSANDS_DOTS.fullmatch(text):
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{quoted(text)} is not a number.") from None
    if not math.isfinite(value):
        raise ValueError(f"{quoted(text)} is not a finite number.")
    return value


# Files repeat their dates down a day's rows and their times of day across days.
PARSED_CACHE = 4096


@lru_cache(maxsize=PARSED_CACHE)
def moment(cell: str, day_first: bool) -> datetime:
    """A date, or a date and time, naive or with its offset."""
    text = " ".join(cell.replace("\u00a0", " ").split())
    if not text:
        raise Missing
    try:
        # Only text that starts with a year can be ISO 8601; day-first dates skip the try.
        parsed = datetime.fromisoformat(text) if text[:4].isdigit() else None
    except ValueError:
        parsed = None
    if parsed is None:
        parsed = _numeric_moment(text, day_first)
    if parsed.microsecond:
        raise ValueError(
            f"Timestamp {quoted(text)} has a fraction of a second; readings are kept to the "
            "whole second."
        )
    return parsed


def time_of_day(cell: str) -> timedelta:
    """A time of day as the time since midnight (24:00 is the next midnight)."""
    text = cell.strip()
    since = _since_midnight(text)
    if since is None or since > timedelta(hours=24):
        raise ValueError(f"{quoted(text)} is not a time of day.")
    return since


def range_start(cell: str) -> str:
    """The first moment of a range written in one cell ("A to B")."""
    found = RANGE.fullmatch(" ".join(cell.replace("\u00a0", " ").split()))
    if not found:
        raise ValueError(f"{quoted(cell.strip())} is not a range of two times.")
    return found.group("start")


def is_range(cell: str, day_first: bool) -> bool:
    found = RANGE.fullmatch(" ".join(cell.replace("\u00a0", " ").split()))
    if not found:
        return False
    try:
        moment(found.group("start"), day_first)
        moment(found.group("end"), day_first)
    except (ValueError, Missing):
        return False
    return True


def looks_like_moment(cell: str) -> bool:
    try:
        moment(cell, day_first=True)
    except (ValueError, Missing):
        try:
            moment(cell, day_first=False)
        except (ValueError, Missing):
            return False
    return True


def has_clock(cell: str) -> bool:
    """Whether a moment cell gives a time of day besides the date."""
    return ":" in cell or bool(re.search(r"\d{8}\d{4}", cell))


def epoch(cell: str) -> datetime:
    return datetime.fromtimestamp(int(cell.strip()), UTC)


def day_first(dates: list[str], semicolon: bool, european: bool, zone: str | None) -> bool:
    """Decided once for a file: its values when one component is above 12, else its habits."""
    for cell in dates:
        found = NUMERIC_DATE.search(cell)
        if found and found.group("a"):
            first, second = int(found.group("a")), int(found.group("b"))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    if semicolon or european:
        return True
    if zone is None:
        return False
    return not zone.startswith(AMERICAS)


def _numeric_moment(text: str, first_is_day: bool) -> datetime:
    found = NUMERIC_DATE.match(text)
    if not found:
        raise ValueError(f"Timestamp {quoted(text)} is not a date and time this service reads.")
    midnight = _midnight(found.group(0), first_is_day)
    rest = text[found.end() :].strip(" T,")
    if not rest:
        return midnight
    since = _since_midnight(rest)
    if since is None:
        raise ValueError(f"Timestamp {quoted(text)} is not a date and time this service reads.")
    return midnight + since


@lru_cache(maxsize=PARSED_CACHE)
def _midnight(date_text: str, first_is_day: bool) -> datetime:
    found = NUMERIC_DATE.fullmatch(date_text)
    assert found is not None
    return datetime.combine(_date(found, first_is_day), time())


@lru_cache(maxsize=PARSED_CACHE)
def _since_midnight(text: str) -> timedelta | None:
    """The time since midnight a clock text says; None if it is no clock at all."""
    found = TIME_OF_DAY.fullmatch(text)
    return _clock(found) if found else None


def _date(found: re.Match[str], first_is_day: bool) -> date:
    try:
        if found.group("compact"):
            digits = found.group("compact")
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if found.group("iso_year"):
            year, month, day = (found.group(name) for name in ("iso_year", "iso_month", "iso_day"))
            return date(int(year), int(month), int(day))
        first, second = int(found.group("a")), int(found.group("b"))
        day_, month_ = (first, second) if first_is_day else (second, first)
        return date(int(found.group("year")), month_, day_)
    except ValueError:
        raise ValueError(f"{quoted(found.group(0))} is not a date.") from None


def _clock(found: re.Match[str]) -> timedelta:
    hour, minute = int(found.group("hour")), int(found.group("minute") or 0)
    second = int(found.group("second") or 0)
    if (found.group("fraction") or "0").strip(".,0"):
        raise ValueError(
            f"Timestamp {quoted(found.group(0))} has a fraction of a second; readings are kept "
            "to the whole second."
        )
    half = (found.group("half") or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"{quoted(found.group(0))} is not a time of day.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and (minute or second)):
        raise ValueError(f"{quoted(found.group(0))} is not a time of day.")
    return timedelta(hours=hour, minutes=minute, seconds=second)
