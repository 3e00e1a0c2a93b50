"""Streaming reader for energy-usage CSV files (the layouts of docs/csv-formats.md).

`read_csv` detects the layout from the file's first lines (generic, Green Button, London LCL,
European `;` exports) and yields batches of readings in UTC, with every rejected row's line.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from itertools import islice
from math import isfinite
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TypeVar

from services.csv_file_checks import MAX_LINE_BYTES, UnreadableFile, check_whole_file
from storage.records import Reading

if TYPE_CHECKING:
    from _csv import Reader as CsvRows


__all__ = ["Batch", "Reading", "RowError", "UnreadableFile", "read_csv"]

_Found = TypeVar("_Found")


class RowError(NamedTuple):
    line: int  # 1-based physical line of the original file
    error: str


class Batch(NamedTuple):
    readings: list[Reading]
    errors: list[RowError]


HEAD_BYTES = 64 * 1024
QUOTED_CHARACTERS = 40
MAX_METER_ID = 200
# The csv module's own bound on one cell; lines are bounded before any row is read.
csv.field_size_limit(MAX_LINE_BYTES)
HEADER_SEARCH_LINES = 50
KWH_PER_THERM = 29.3071
# Beyond any real meter, and inside what every store keeps (DynamoDB numbers: 1e-130..1e126).
MAX_KWH = 1e15
MIN_KWH = 1e-100

_NO_HEADER = (
    f"No header row was found in the first {HEADER_SEARCH_LINES} lines; the file needs "
    "a time column (such as timestamp or date) and a usage column (such as kwh)."
)
_NO_METER = "The file has no meter column; send meter_id with the upload."

# Header aliases, normalised by `_normalise` and in order of preference.
_METER_NAMES = (
    "meterid", "meter", "userid", "customerid", "accountid", "deviceid", "siteid", "lclid",
)  # fmt: skip
_TIMESTAMP_NAMES = ("timestamp", "datetime", "readingtime", "intervalstart")
_START_TIME_NAME = "starttime"
_TIME_OF_DAY_NAMES = ("time", _START_TIME_NAME)
_DATE_NAME = "date"
# kWh = value * multiplier / divisor: dividing keeps Wh values exactly rounded.
_Scale = tuple[float, float]
_KWH: _Scale = (1.0, 1.0)
_THERMS: _Scale = (KWH_PER_THERM, 1.0)
_UNIT_SCALES: dict[str, _Scale] = {
    "wh": (1.0, 1000.0),
    "kwh": _KWH,
    "mwh": (1000.0, 1.0),
    "therm": _THERMS,
    "therms": _THERMS,
}
# Usage columns, with the unit their name implies (a unit column overrides it).
_USAGE_NAMES: dict[str, _Scale] = {
    "kwh": _KWH,
    "usage": _KWH,
    "usagekwh": _KWH,
    "usage(kwh)": _KWH,
    "usage(therms)": _THERMS,
    "consumption": _KWH,
    "energy": _KWH,
    "energykwh": _KWH,
    "value": _KWH,
    "kwh/hh(perhalfhour)": _KWH,
    "import(kwh)": _KWH,
}
_IMPORT_NAME, _EXPORT_NAME = "import(kwh)", "export(kwh)"
_UNIT_NAMES = ("unit", "units")
_TYPE_NAME = "type"
_GREEN_BUTTON_START = [_TYPE_NAME, _DATE_NAME, _START_TIME_NAME]
_GREEN_BUTTON_METER_KEYS = ("service", "accountnumber")
_LCL_METER_NAME = "lclid"
_DELIMITERS = (",", ";", "\t")
_IGNORED_IN_NAMES = re.compile(r"[\s_\-\ufeff]+")
_SLASHED_OR_SHORT_HOUR = re.compile(
    r"(?:(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
    r"|(?P<us_month>\d{1,2})/(?P<us_day>\d{1,2})/(?P<us_year>\d{4}))"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?)?",
    re.ASCII,
)
_UTC_STAMP_CACHE_SIZE = 8192
# Characters 4, 7, 10, 13, 16 and 19 of 'YYYY-MM-DDTHH:MM:SSZ': text of that length with these
# is already in the output shape once datetime.fromisoformat accepts it.
_UTC_SEPARATORS = "--T::Z"


class _Rejected(Exception):
    """A row is rejected; the message is the sentence for the upload report."""


def quoted(cell: str) -> str:
    """A cell as an error message quotes it: its start only, so reports stay small."""
    return repr(cell) if len(cell) <= QUOTED_CHARACTERS else repr(cell[:QUOTED_CHARACTERS]) + "…"


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read each row of one file, resolved once from its header."""

    delimiter: str
    width: int
    meter: int | None
    default_meter: str | None  # for a file without meter column, or an empty meter cell
    stamp: int  # the timestamp column, or the date column when time_of_day is set
    time_of_day: int | None
    usage: int
    export: int | None  # subtracted from usage (solar accounts)
    unit: int | None
    header_scale: _Scale  # the usage column's unit when there is no unit column
    kind: int | None  # Green Button TYPE
    zone: tzinfo  # of timestamps without offset

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"

    @property
    def is_simple(self) -> bool:
        """Rows need only a meter, one timestamp cell and one kWh number: the fast path."""
        optional = (self.time_of_day, self.export, self.unit, self.kind)
        return optional == (None,) * 4 and not self.decimal_comma and self.header_scale == _KWH


def read_csv(
    stream: BinaryIO,
    *,
    meter_id: str | None = None,
    timezone: tzinfo | None = None,
    batch_size: int = 5000,
) -> Iterator[Batch]:
    """Stream readings from a CSV file in batches of at most batch_size rows (accepted+rejected).

    `stream` is a seekable binary file: it is read once through to check the rules about the
    whole file, then again for its rows. Raises UnreadableFile at once when the file cannot be
    read at all.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    text = _open_text(stream)
    plan, header_line = _find_header(text, (meter_id or "").strip() or None, timezone or UTC)
    rows = csv.reader(text, delimiter=plan.delimiter)
    return _batches(text, rows, plan, header_line, batch_size)


def _open_text(stream: BinaryIO) -> io.TextIOWrapper:
    check_whole_file(stream)
    stream.seek(0)
    return io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")


def _find_header(text: io.TextIOWrapper, meter_id: str | None, zone: tzinfo) -> tuple[_Plan, int]:
    """The plan of the first header line, and that line's number; earlier lines are preamble."""
    preamble: dict[str, str] = {}
    line_number = non_blank = 0
    while non_blank < HEADER_SEARCH_LINES and (line := text.readline(HEAD_BYTES)):
        line_number += 1
        if not line.strip():
            continue
        non_blank += 1
        plan = _plan_for_line(line, preamble, meter_id, zone)
        if plan is not None:
            return plan, line_number
        _remember_preamble(line, preamble)
    raise UnreadableFile(_NO_HEADER if non_blank else "The file has only blank lines.")


def _plan_for_line(
    line: str, preamble: dict[str, str], meter_id: str | None, zone: tzinfo
) -> _Plan | None:
    for delimiter in sorted(_DELIMITERS, key=line.count, reverse=True):
        if delimiter in line:
            names = next(csv.reader([line], delimiter=delimiter))
            plan = _plan_for_header(names, delimiter, preamble, meter_id, zone)
            if plan is not None:
                return plan
    return None


def _remember_preamble(line: str, preamble: dict[str, str]) -> None:
    """Keep the `key,value` lines a Green Button file may name its meter with."""
    fields = next(csv.reader([line]), [])
    if len(fields) >= 2 and fields[1].strip():
        preamble.setdefault(_normalise(fields[0]), fields[1].strip())


def _normalise(name: str) -> str:
    return _IGNORED_IN_NAMES.sub("", name).lower()


def _plan_for_header(
    names: list[str],
    delimiter: str,
    preamble: dict[str, str],
    meter_id: str | None,
    zone: tzinfo,
) -> _Plan | None:
    normalised = [_normalise(name) for name in names]
    position: dict[str, int] = {}
    for index, name in enumerate(normalised):
        position.setdefault(name, index)
    stamp, time_of_day = _time_columns(position)
    usage_name = next((name for name in _USAGE_NAMES if name in position), None)
    if stamp is None or usage_name is None:
        return None
    green_button = normalised[:3] == _GREEN_BUTTON_START
    if green_button:
        meter_id = meter_id or _first_of(_GREEN_BUTTON_METER_KEYS, preamble)
    meter = _first_of(_METER_NAMES, position)
    if meter is None and meter_id is None:
        raise UnreadableFile(_NO_METER)
    return _Plan(
        delimiter=delimiter,
        width=len(names),
        meter=meter,
        default_meter=meter_id,
        stamp=stamp,
        time_of_day=time_of_day,
        usage=position[usage_name],
        export=position.get(_EXPORT_NAME) if usage_name == _IMPORT_NAME else None,
        unit=_first_of(_UNIT_NAMES, position),
        header_scale=_USAGE_NAMES[usage_name],
        kind=position[_TYPE_NAME] if green_button else None,
        # LCL DateTime values are UTC whatever the upload's time zone.
        zone=UTC if _LCL_METER_NAME in position else zone,
    )


def _time_columns(position: dict[str, int]) -> tuple[int | None, int | None]:
    """(timestamp or date column, time-of-day column) from the header's positions."""
    timestamp = _first_of(_TIMESTAMP_NAMES, position)
    if timestamp is not None:
        return timestamp, None
    date = position.get(_DATE_NAME)
    if date is not None:
        return date, _first_of(_TIME_OF_DAY_NAMES, position)
    return position.get(_START_TIME_NAME), None


def _first_of(names: Iterable[str], found: dict[str, _Found]) -> _Found | None:
    return next((found[name] for name in names if name in found), None)


def _batches(
    text: io.TextIOWrapper, rows: "CsvRows", plan: _Plan, header_line: int, size: int
) -> Iterator[Batch]:
    utc_of = _UtcCache(plan.zone)
    try:
        while True:
            lines_before = rows.line_num
            batch = _read_batch(rows, plan, utc_of, header_line, size)
            if rows.line_num == lines_before:
                return
            if batch.readings or batch.errors:
                yield batch
    finally:
        text.detach()  # the caller's stream stays open: closing it is the caller's business


def _read_batch(
    rows: "CsvRows", plan: _Plan, utc_of: "_UtcCache", header_line: int, size: int
) -> Batch:
    readings: list[Reading] = []
    errors: list[RowError] = []
    add = readings.append
    # The hot loop below handles the common layouts inline; anything else or any doubt goes
    # to `_convert`, the general path, which also words the errors.
    fast_width = plan.width if plan.is_simple else -1
    meter_index = -1 if plan.meter is None else plan.meter
    stamp_index, usage_index, default_meter = plan.stamp, plan.usage, plan.default_meter
    from_iso = datetime.fromisoformat
    new_tuple = tuple.__new__  # skips the NamedTuple's Python-level __new__: ~0.07 µs a row
    try:
        for row in islice(rows, size):
            if len(row) == fast_width:
                meter = row[meter_index].strip() if meter_index >= 0 else default_meter
                stamp = row[stamp_index]
                try:
                    if len(stamp) == 20 and stamp[4::3] == _UTC_SEPARATORS:  # as in _to_utc
                        from_iso(stamp)
                        utc = stamp
                    else:
                        utc = utc_of[stamp]
                    usage = row[usage_index]
                    kwh = float(usage)
                except ValueError:
                    pass  # `_convert` below says what is wrong
                else:
                    # float() also reads `1_000` and other scripts' digits: those go the
                    # general way, which refuses them.
                    plain = usage.isascii() and "_" not in usage
                    if (
                        plain
                        and meter
                        and len(meter) <= MAX_METER_ID
                        and (MIN_KWH <= abs(kwh) <= MAX_KWH or kwh == 0.0)
                    ):
                        add(new_tuple(Reading, (meter, utc, kwh)))
                        continue
            if not any(cell.strip() for cell in row):
                continue
            try:
                add(_convert(row, plan, utc_of))
            except _Rejected as rejection:
                errors.append(
                    RowError(_first_line(row, header_line + rows.line_num), str(rejection))
                )
    except csv.Error as problem:  # ends this batch early; the next one resumes after the row
        errors.append(RowError(header_line + rows.line_num, f"The row cannot be read: {problem}."))
    return Batch(readings, errors)


def _first_line(row: list[str], last_line: int) -> int:
    """The line a row starts on: quoted cells may hold line breaks (CRLF, LF or CR)."""
    text = "".join(row)
    return last_line - (text.count("\n") + text.count("\r") - text.count("\r\n"))


def _convert(row: list[str], plan: _Plan, utc_of: "_UtcCache") -> Reading:
    if len(row) != plan.width:
        raise _Rejected(f"The row has {len(row)} fields but the header has {plan.width}.")
    if plan.kind is not None:
        _check_kind(row[plan.kind])
    meter = _meter_of(row, plan)
    return Reading(meter, _timestamp_of(row, plan, utc_of, meter), _kwh_of(row, plan))


def _check_kind(kind: str) -> None:
    lowered = kind.lower()
    if "electric" not in lowered and "gas" not in lowered:
        raise _Rejected(f"TYPE {quoted(kind.strip())} is neither electric nor gas usage.")


def _meter_of(row: list[str], plan: _Plan) -> str:
    meter = "" if plan.meter is None else row[plan.meter].strip()
    if len(meter) > MAX_METER_ID:
        raise _Rejected(f"The meter id {quoted(meter)} is longer than {MAX_METER_ID} characters.")
    if meter:
        return meter
    if plan.default_meter:
        return plan.default_meter
    raise _Rejected("The meter is empty; fill it in or send meter_id with the upload.")


def _timestamp_of(row: list[str], plan: _Plan, utc_of: "_UtcCache", meter: str) -> str:
    stamp = row[plan.stamp].strip()
    if not stamp:
        raise _Rejected("The timestamp is missing.")
    if plan.time_of_day is not None:
        time_of_day = row[plan.time_of_day].strip()
        if not time_of_day:
            raise _Rejected("The time of day is missing.")
        stamp = f"{stamp} {time_of_day}"
    try:
        return utc_of[stamp]
    except _Repeated as repeated:
        return utc_of.in_file_order(meter, stamp, repeated.moment)
    except _BadTime as bad:
        raise _Rejected(str(bad)) from None
    except ValueError:
        raise _Rejected(
            f"Timestamp {quoted(stamp)} is not a date and time this service reads; "
            "use ISO 8601 such as 2025-01-01T00:00:00Z."
        ) from None


def _kwh_of(row: list[str], plan: _Plan) -> float:
    kwh = _number(row[plan.usage], plan.decimal_comma)
    if plan.export is not None:
        kwh -= _number(row[plan.export], plan.decimal_comma)
    multiplier, divisor = plan.header_scale if plan.unit is None else _unit_scale(row[plan.unit])
    kwh = kwh * multiplier / divisor
    if not (MIN_KWH <= abs(kwh) <= MAX_KWH or kwh == 0.0):
        raise _Rejected(
            f"The reading {kwh:g} kWh is out of range; readings are 0 or between "
            f"{MIN_KWH:g} and {MAX_KWH:g} kWh in magnitude."
        )
    return kwh


def _number(text: str, decimal_comma: bool) -> float:
    cleaned = text.strip()
    if cleaned.lower() in ("", "null"):
        raise _Rejected("The reading is missing.")
    try:
        if not cleaned.isascii() or "_" in cleaned:
            raise ValueError(cleaned)
        value = float(cleaned.replace(",", ".") if decimal_comma else cleaned)
    except ValueError:
        raise _Rejected(f"kWh value {quoted(cleaned)} is not a number.") from None
    if not isfinite(value):
        raise _Rejected(f"kWh value {quoted(cleaned)} is not a finite number.")
    return value


def _unit_scale(unit: str) -> _Scale:
    cleaned = unit.strip()
    if not cleaned:
        raise _Rejected("The unit is missing.")
    scale = _UNIT_SCALES.get(cleaned.lower())
    if scale is None:
        raise _Rejected(f"Unit {quoted(cleaned)} is unknown; use Wh, kWh, MWh or therms.")
    return scale


class _BadTime(ValueError):
    """A timestamp that names no moment; the message is the sentence for the report."""


class _Repeated(ValueError):
    """A local time the clocks went through twice; the file's order says which pass."""

    def __init__(self, moment: datetime) -> None:
        super().__init__(moment.isoformat())
        self.moment = moment


class _UtcCache(dict[str, str]):
    """Timestamp text -> UTC text. Files repeat timestamps across meters: convert each once.

    A repeated local time is not cached: its first pass for a meter is the earlier offset,
    any later pass the later offset, in the order of the file.
    """

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self._zone = zone
        self._passes: dict[tuple[str, str], int] = {}

    def __missing__(self, stamp: str) -> str:
        if len(self) >= _UTC_STAMP_CACHE_SIZE:
            self.clear()
        utc = self[stamp] = _to_utc(stamp.strip(), self._zone)
        return utc

    def in_file_order(self, meter: str, stamp: str, moment: datetime) -> str:
        passes = self._passes[meter, stamp] = self._passes.get((meter, stamp), 0) + 1
        return _utc_text(moment.replace(tzinfo=self._zone, fold=min(passes - 1, 1)))


def _to_utc(stamp: str, zone: tzinfo) -> str:
    """'YYYY-MM-DDTHH:MM:SSZ' for a timestamp; ValueError when it is not one."""
    if len(stamp) == 20 and stamp[4::3] == _UTC_SEPARATORS:
        datetime.fromisoformat(stamp)  # rejects impossible dates and non-digits
        return stamp
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        moment = _parse_slashed_or_short_hour(stamp)
    if moment.microsecond:
        raise _BadTime(
            f"Timestamp {quoted(stamp)} has a fraction of a second; readings are kept to the "
            "whole second."
        )
    if moment.tzinfo is None and zone is not UTC:
        _check_local_time(moment, zone, stamp)
        moment = moment.replace(tzinfo=zone)
    if moment.tzinfo is None:
        return moment.isoformat() + "Z"
    try:
        return _utc_text(moment)
    except OverflowError:
        raise _BadTime(
            f"Timestamp {quoted(stamp)} is outside the years 0001 to 9999 in UTC."
        ) from None


def _check_local_time(moment: datetime, zone: tzinfo, stamp: str) -> None:
    """Raise for a local time that clocks skipped, or that they went through twice."""
    earlier = moment.replace(tzinfo=zone, fold=0)
    if earlier.utcoffset() == moment.replace(tzinfo=zone, fold=1).utcoffset():
        return
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment:
        raise _Repeated(moment)
    raise _BadTime(
        f"Timestamp {quoted(stamp)} does not exist in {zone}: the clocks went forward past it."
    )


def _utc_text(moment: datetime) -> str:
    # isoformat() without arguments is the quickest; [:19] drops the offset.
    return moment.astimezone(UTC).isoformat()[:19] + "Z"


def _parse_slashed_or_short_hour(stamp: str) -> datetime:
    match = _SLASHED_OR_SHORT_HOUR.fullmatch(stamp)
    if match is None:
        raise ValueError(f"{stamp!r} is not a timestamp")
    part = match.groupdict()
    if (part["fraction"] or "0").strip(".,0"):
        raise _BadTime(
            f"Timestamp {quoted(stamp)} has a fraction of a second; readings are kept to the "
            "whole second."
        )
    return datetime(
        int(part["year"] or part["us_year"]),
        int(part["month"] or part["us_month"]),
        int(part["day"] or part["us_day"]),
        int(part["hour"] or 0),
        int(part["minute"] or 0),
        int(part["second"] or 0),
    )
