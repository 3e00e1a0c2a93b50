"""One data row under a layout: the points it holds, one per quantity (and per interval of a
wide row), each still in the file's own time, kind and channel."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from services.csv_reader import values, vocabulary
from services.csv_reader.layout import Layout, Quantity, Times, Wide, guarded_id
from services.csv_reader.values import Missing, quoted
from services.csv_reader.vocabulary import Channel, Kind, folded, says

MAX_METER_ID = 200
CHANNEL_SUFFIX = {
    "": "",
    "export": ":export",
    "generation": ":generation",
    "gas": ":gas",
    "load": ":load",
}
MISSING = "missing value"


class Rejected(Exception):
    """The row is rejected; the message is the sentence for the upload report."""


class Point(NamedTuple):
    meter: str  # with its channel's suffix
    source: str  # which column (and type) it came from: tariffs and phases are summed
    when: datetime  # naive: in the file's zone
    value: float  # kWh, or kW for power, or the register's kWh
    kind: Kind
    at_end: bool


class _Type(NamedTuple):
    """What a type column's cell says of its row's value."""

    channel: Channel | None  # None: the row's type names no direction, the column's holds
    scale: float | None
    kind: Kind | None


class RowReader:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._types: dict[str, _Type | None] = {}
        self._loads = {q.column for q in layout.quantities if q.channel == "load"}
        self._has_import = any(q.channel == "" for q in layout.quantities)

    def time_key(self, row: list[str]) -> tuple[str, ...]:
        time = self.layout.time
        columns = [time.date] if isinstance(time, Wide) else [time.first, time.second]
        return tuple(row[i] for i in columns if i is not None and i < len(row))

    def points(self, row: list[str]) -> list[Point]:
        row = self._fitted(row)
        meter = self._meter(row)
        kind_of_row = self._type(row)
        if isinstance(self.layout.time, Wide):
            return self._wide(row, meter, self.layout.time)
        when, at_end = moment_of(self.layout, row)
        found: list[Point] = []
        missing = 0
        type_column = self.layout.type_column
        of_type = "" if type_column is None else "|" + row[type_column].strip().lower()
        for quantity in self.layout.quantities:
            try:
                value, kind, channel = self._value(row, quantity, kind_of_row)
            except Missing:
                missing += 1
                continue
            base = quantity.meter or meter
            found.append(
                Point(base + CHANNEL_SUFFIX[channel], quantity.source + of_type, when, value,
                      kind, at_end)
            )  # fmt: skip
        if not found and missing:
            raise Rejected(MISSING)
        return found

    def _fitted(self, row: list[str]) -> list[str]:
        """Rows may leave off trailing fields, or end in empty ones the header has not."""
        width = self.layout.width
        if len(row) > width and not any(cell.strip() for cell in row[width:]):
            return row[:width]
        if len(row) > width:
            raise Rejected(f"The row has {len(row)} fields but the header has {width}.")
        return row + [""] * (width - len(row))

    def _meter(self, row: list[str]) -> str:
        column = self.layout.meter_column
        meter = guarded_id(row[column]) if column is not None else ""
        if len(meter) > MAX_METER_ID:
            raise Rejected(
                f"The meter id {quoted(meter)} is longer than {MAX_METER_ID} characters."
            )
        if meter:
            return meter
        if self.layout.meter_id:
            return self.layout.meter_id
        if column is None:  # value columns named by their meter's id
            return ""
        raise Rejected("The meter is empty; fill it in or send meter_id with the upload.")

    def _type(self, row: list[str]) -> _Type | None:
        column = self.layout.type_column
        if column is None:
            return None
        cell = row[column].strip()
        if cell not in self._types:
            self._types[cell] = _classify_type(cell)
        found = self._types[cell]
        if found is None:
            raise Rejected(f"{quoted(cell)} names no energy reading this service reads.")
        return found

    def _value(
        self, row: list[str], quantity: Quantity, kind_of_row: _Type | None
    ) -> tuple[float, Kind, Channel]:
        cell = row[quantity.column]
        try:
            value = values.number(cell, self.layout.decimal_comma)
        except ValueError as error:
            raise Rejected(f"kWh value {error!s}") from None
        scale, kind = self._scale(row, quantity, kind_of_row)
        if quantity.factor_column is not None:
            value *= values.number(row[quantity.factor_column], decimal_comma=False)
        channel = quantity.channel
        if kind_of_row is not None and kind_of_row.channel is not None:
            channel = kind_of_row.channel
        if channel == "" and quantity.column in self._loads:
            channel = "load"
        if channel == "load" and not self._has_import:
            channel = ""
        return scaled(value, scale), kind, channel

    def _scale(
        self, row: list[str], quantity: Quantity, kind_of_row: _Type | None
    ) -> tuple[float, Kind]:
        if kind_of_row is not None and kind_of_row.scale is not None:
            return kind_of_row.scale, kind_of_row.kind or quantity.kind
        if quantity.scale is not None:
            return quantity.scale, quantity.kind
        assert quantity.unit_column is not None
        unit = row[quantity.unit_column].strip()
        if not unit or unit in vocabulary.MISSING_VALUES:
            raise Missing
        scale, kind = _unit(folded(unit).replace(" ", ""))
        if scale is None or kind is None:
            raise Rejected(f"Unit {quoted(unit)} is unknown; use Wh, kWh, MWh, kW, W or therms.")
        return scale, kind

    def _wide(self, row: list[str], meter: str, wide: Wide) -> list[Point]:
        day = _moment(row[wide.date], self.layout.day_first)
        channel = self._type(row)
        suffix = CHANNEL_SUFFIX[(channel.channel if channel else None) or ""]
        source = row[self.layout.type_column].strip() if self.layout.type_column is not None else ""
        found = []
        missing = 0
        for column, start in wide.starts:
            try:
                value = values.number(row[column], self.layout.decimal_comma)
            except Missing:
                missing += 1
                continue
            except ValueError as error:
                raise Rejected(f"kWh value {error}") from None
            found.append(Point(meter + suffix, source, day + start, value, "energy", False))
        if not found and missing:
            raise Rejected(MISSING)
        return found


def scaled(value: float, scale: float) -> float:
    """Dividing by 1,000 keeps Wh exactly rounded where multiplying by 0.001 would not."""
    return value / round(1 / scale) if 0 < scale < 1 else value * scale


def moment_of(layout: Layout, row: list[str]) -> tuple[datetime, bool]:
    """The row's time (naive in the file's zone, or aware) and whether it ends an interval."""
    time = layout.time
    assert isinstance(time, Times)
    cell = row[time.first].strip()
    if not cell:
        raise Rejected("The timestamp is missing.")
    if time.kind == "epoch":
        return values.epoch(cell), False
    if time.kind == "range":
        try:
            start = values.range_start(cell)
        except ValueError as error:
            raise Rejected(str(error)) from None
        return _moment(start, layout.day_first), False
    moment = _moment(cell, layout.day_first)
    if time.second is None:
        return moment, time.at_end
    second = row[time.second].strip()
    if not second:
        raise Rejected("The time of day is missing.")
    if time.kind == "date_hour":
        hour = int(second) if second.isdigit() else -1
        if not 0 <= hour <= 25:
            raise Rejected(f"Hour {quoted(second)} is not an hour of the day.")
        return moment + timedelta(hours=max(hour - 1, 0)), time.at_end
    try:
        return moment + values.time_of_day(second), time.at_end
    except ValueError as error:
        raise Rejected(str(error)) from None


def sample_moments(layout: Layout, samples: list[list[str]]) -> list[datetime]:
    """The times of the sampled rows (in UTC when they carry an offset), for the file's step."""
    found = []
    for row in samples:
        try:
            moment, _ = moment_of(layout, row)
            found.append(moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment)
        except (Rejected, ValueError, Missing, IndexError, OverflowError):
            continue
    return found


def _moment(cell: str, day_first: bool) -> datetime:
    try:
        return values.moment(cell, day_first)
    except Missing:
        raise Rejected("The timestamp is missing.") from None
    except ValueError as error:
        raise Rejected(
            f"{error!s}".rstrip(".") + "; use ISO 8601 such as 2025-01-01T00:00:00Z."
            if "is not a date" in str(error)
            else str(error)
        ) from None


def _classify_type(cell: str) -> _Type | None:
    name = folded(cell)
    if not name or says(name, vocabulary.NOT_ENERGY_TYPES):
        return None
    if name in vocabulary.EXPORTER_CHANNELS:
        return _Type(vocabulary.EXPORTER_CHANNELS[name], None, None)
    electric = says(name, vocabulary.ELECTRIC_TYPES)
    channel = vocabulary.direction_of(name)
    if not electric and channel in (None, "", "load"):
        return None
    unit = vocabulary.unit_in(name)
    scale, kind = _unit(unit) if unit else (None, None)
    return _Type(channel, scale, kind)


def _unit(unit: str | None) -> tuple[float, Kind] | tuple[None, None]:
    if unit in vocabulary.POWER_UNITS:
        return vocabulary.POWER_UNITS[unit], "power"
    if unit in vocabulary.ENERGY_UNITS:
        return vocabulary.ENERGY_UNITS[unit], "energy"
    return None, None
