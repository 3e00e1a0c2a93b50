"""Cells: numbers in either decimal notation, and dates and times in the ways exports write
them. A cell that is not what its column holds raises ValueError with a sentence."""

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal

from services.csv_reader.columns.vocabulary import MISSING_VALUES

Decimal = Literal[".", ","]
DateOrder = Literal["ymd", "dmy", "mdy"]
QUOTED_CHARACTERS = 40
DIGIT = re.compile(r"\d")
# What a number in any notation is made of: digits, marks, groups, a sign, an exponent.
NUMBERISH = re.compile(
    r"[+-]?[\d.,' \u00a0\u202f\u2009]*\d[\d.,' \u00a0\u202f\u2009]*(?:[eE][+-]?\d+)?"
)
NUMERIC_DATE = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2}(?!\d))"
    r"|(?P<iso_year>\d{4})(?P<iso_sep>[/.-])(?P<iso_month>\d{1,2})(?P=iso_sep)(?P<iso_day>\d{1,2})"
    r"|(?P<compact>\d{8})"
)
TIME_OF_DAY = re.compile(
    r"(?P<hour>\d{1,2})(?:(?P<sep>[:.h])?(?P<minute>\d{2}))"
    r"(?:(?P=sep)?(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?"
    r"\s*(?P<half>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
RANGE = re.compile(r"(?P<start>.+?)\s+(?:to|bis|tot|au|a|al|-|\u2013)\s+(?P<end>.+)", re.IGNORECASE)
THOUSANDS_DOTS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?")
THOUSANDS_COMMAS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?")
SPACED_GROUPS = re.compile(r"[+-]?\d{1,3}(?:[ '\u00a0\u202f\u2009]\d{3})+(?:[.,]\d*)?")
GROUP_SPACES = str.maketrans("", "", " '\u00a0\u202f\u2009")
# A day's name before a date, in any language: a word and a space, a comma or a dot.
WEEKDAY = re.compile(r"[^\W\d_]{2,12}\.?,?\s+(?=\d)")
AMERICAS = ("America/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")
EPOCH_RANGE = (946_684_800, 4_102_444_800)  # 2000 to 2100
EPOCH = re.compile(r"(\d{10})(?:\.0+)?")


class Missing(Exception):
    """The cell says there is no value."""


def quoted(cell: str) -> str:
    """A cell as an error message quotes it: its start only, so reports stay small."""
    return repr(cell) if len(cell) <= QUOTED_CHARACTERS else repr(cell[:QUOTED_CHARACTERS]) + "…"


def is_missing(cell: str) -> bool:
    return cell.strip().casefold() in MISSING_VALUES


def number(cell: str, decimal: Decimal) -> float:
    """A plain ASCII decimal written with `decimal` as its decimal mark; Missing for the words
    that mean no value. A mark of the other notation is a thousands group or an error."""
    text = cell.strip()
    if text.isascii() and "_" not in text:
        plain = text if decimal == "." else text.replace(",", ".") if "." not in text else ","
        if "," not in plain:  # the common case, at the speed of float()
            try:
                value = float(plain)
            except ValueError:
                pass
            else:
                if math.isfinite(value):
                    return value
    return _number(text, decimal)


def _number(text: str, decimal: Decimal) -> float:
    if text.casefold() in MISSING_VALUES or DIGIT.search(text) is None:
        raise Missing  # words, in any language, say there is no value
    if not text.isascii() and SPACED_GROUPS.fullmatch(text) is None:
        raise ValueError(f"{quoted(text)} is not a number.")
    original = text
    if SPACED_GROUPS.fullmatch(text):
        text = text.translate(GROUP_SPACES)
    if "_" in text:
        raise ValueError(f"{quoted(text)} is not a number.")
    text = _in_point_notation(text, decimal)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{quoted(original)} is not a number.") from None
    if not math.isfinite(value):
        raise ValueError(f"{quoted(text)} is not a finite number.")
    return value


def _in_point_notation(text: str, decimal: Decimal) -> str:
    if decimal == ",":
        if "." in text:
            if not THOUSANDS_DOTS.fullmatch(text):
                raise ValueError(
                    f"{quoted(text)} is not a number in this column's notation, which writes "
                    "a decimal comma."
                )
            text = text.replace(".", "")
        return text.replace(",", ".")
    if "," in text:
        if not THOUSANDS_COMMAS.fullmatch(text):
            raise ValueError(
                f"{quoted(text)} is not a number in this column's notation, which writes a "
                "decimal point."
            )
        text = text.replace(",", "")
    return text


def any_number(cell: str) -> float | None:
    """A number in whichever notation it is written (a comma or a point as the decimal mark,
    the last one when both appear), for judging a column before its notation is known."""
    text = cell.strip()
    if not text or not (text[0].isdigit() or text[0] in "+-."):
        return None
    try:
        value = float(text)  # the common case
    except ValueError:
        if NUMBERISH.fullmatch(text) is None:  # garbage costs no sentence it would not use
            return None
    else:
        if math.isfinite(value) and "_" not in text:
            return value
    if "," in text and "." in text:
        decimal: Decimal = "," if text.rfind(",") > text.rfind(".") else "."
    else:
        decimal = "," if "," in text else "."
    try:
        return number(text, decimal)
    except (ValueError, Missing):
        return None


@lru_cache(maxsize=4096)
def moment(cell: str, day_first: bool) -> datetime:
    """A date, or a date and time, naive or with its offset."""
    text = cell.strip()
    if "  " in text or "\u00a0" in text or "\t" in text:
        text = " ".join(text.replace("\u00a0", " ").split())
    if not text:
        raise Missing
    if not text[0].isdigit():
        text = _without_weekday(text)
    parsed = None
    if text[4:5] in "-/" and text[:4].isdigit():  # only a year first can be ISO 8601
        try:
            parsed = datetime.fromisoformat(text)
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


@lru_cache(maxsize=4096)
def time_of_day(cell: str) -> timedelta:
    """A time of day as the time since midnight (24:00 is the next midnight)."""
    text = cell.strip()
    since = _since_midnight(text)
    if since is None or since > timedelta(hours=24):
        raise ValueError(f"{quoted(text)} is not a time of day.")
    return since


def looks_like_clock(cell: str) -> bool:
    """A time of day written with a colon or an `h` (`07:15`, `7:15 pm`, `07h15`), as values
    alone can tell it: a bare `0715` could as well be a postcode, `7.15` a number."""
    found = TIME_OF_DAY.fullmatch(cell.strip())
    if not found or found.group("sep") not in (":", "h"):
        return False
    try:
        return _since_midnight(cell.strip()) is not None
    except ValueError:
        return False


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
    """A date or a date and time, in either day order."""
    text = _without_weekday(cell.strip())
    if not text or not text[0].isdigit() or len(text) < 6:
        return False
    if text.isdigit() and not _compact_date(text):
        return False
    for day_first in (True, False):
        try:
            moment(text, day_first)
        except (ValueError, Missing):
            continue
        return True
    return False


def timed(cell: str) -> bool:
    """A cell that holds a time: a date, a date and time, epoch seconds, or a range of two."""
    text = cell.strip()
    return looks_like_moment(text) or is_epoch(text) or is_range(text, True)


def _compact_date(digits: str) -> bool:
    """YYYYMMDD or YYYYMMDDHHMM[SS] of this century or the last."""
    if len(digits) not in (8, 12, 14) or digits[:2] not in ("19", "20"):
        return False
    return 1 <= int(digits[4:6]) <= 12 and 1 <= int(digits[6:8]) <= 31


def has_clock(cell: str) -> bool:
    """Whether a moment cell gives a time of day besides the date."""
    return ":" in cell or bool(re.search(r"\d{8}\d{4}", cell))


def is_epoch(cell: str) -> bool:
    """Epoch seconds of this century, whole (`1736895600`, or `1736895600.000`)."""
    text = EPOCH.fullmatch(cell.strip())
    return bool(text) and EPOCH_RANGE[0] <= int(text.group(1)) < EPOCH_RANGE[1]  # type: ignore[union-attr]


def epoch(cell: str) -> datetime:
    found = EPOCH.fullmatch(cell.strip())
    if found is None:
        raise ValueError(f"{quoted(cell.strip())} is not a time in epoch seconds.")
    return datetime.fromtimestamp(int(found.group(1)), UTC)


def is_compact_clock(cell: str) -> bool:
    """A time of day written `hhmmss` (`000000`, `134500`), as loggers write it."""
    text = cell.strip()
    if len(text) != 6 or not text.isdigit():
        return False
    return int(text[:2]) < 24 and int(text[2:4]) < 60 and int(text[4:]) < 60


def date_parts(cell: str) -> tuple[int, int, str] | None:
    """The first two numbers of a date written `A/B/YYYY` (or with `.` or `-`), which may be a
    day and a month either way round, and the date's text; None for dates that start with
    their year."""
    found = NUMERIC_DATE.match(_without_weekday(cell.strip()))
    if not found or not found.group("a"):
        return None
    return int(found.group("a")), int(found.group("b")), found.group(0)


def _without_weekday(text: str) -> str:
    """A date without what is written before it: the day's name (`Mon 01/02/2025`,
    `keskiviikko 15.6.2022`) or Excel's guard (`="2024-05-01 00:59"`)."""
    if text[:1].isdigit() or not text:
        return text
    if text.startswith(('="', "'")):
        return text.lstrip("='\"").rstrip('"')
    weekday = WEEKDAY.match(text)
    return text[weekday.end() :] if weekday else text


def habitual_order(semicolon: bool, european: bool, zone: str | None) -> DateOrder:
    """Day or month first when no value says: the habits of the file's delimiter, words, zone."""
    if semicolon or european:
        return "dmy"
    if zone is None:
        return "mdy"
    return "mdy" if zone.startswith(AMERICAS) else "dmy"


def _numeric_moment(text: str, first_is_day: bool) -> datetime:
    found = NUMERIC_DATE.match(text)
    if not found:
        raise ValueError(f"Timestamp {quoted(text)} is not a date and time this service reads.")
    midnight = _midnight(found.group(0), first_is_day)
    rest = text[found.end() :].strip(" T,.")  # `2025.03.24.` ends its date in a dot
    if not rest:
        return midnight
    since = _since_midnight(rest)
    if since is None:
        raise ValueError(f"Timestamp {quoted(text)} is not a date and time this service reads.")
    return midnight + since


@lru_cache(maxsize=4096)
def _midnight(date_text: str, first_is_day: bool) -> datetime:
    found = NUMERIC_DATE.fullmatch(date_text)
    assert found is not None
    return datetime.combine(_date(found, first_is_day), time())


@lru_cache(maxsize=4096)
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
        year_text = found.group("year")
        year_ = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return date(year_, month_, day_)
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
