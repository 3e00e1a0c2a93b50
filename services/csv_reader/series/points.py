"""One data row under a layout: the points it holds, one per quantity (and per interval of a
wide row), each still in the file's own time, kind and channel. A row whose time or meter is
bad is rejected whole; a bad value cell costs the reading it holds, and says so."""

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from services.csv_reader.columns import units, vocabulary
from services.csv_reader.columns.types import RowType, row_type
from services.csv_reader.columns.vocabulary import Channel, Kind
from services.csv_reader.errors import NotRead, Rejected
from services.csv_reader.layout import Layout, Quantity, Times, Wide
from services.csv_reader.series import cells
from services.csv_reader.series.cells import Missing, quoted

MAX_METER_ID = 200
CHANNEL_SUFFIX = {
    "": "",
    "export": ":export",
    "generation": ":generation",
    "gas": ":gas",
    "load": ":load",
}
MISSING = "Missing value."
new_point = tuple.__new__  # skips the NamedTuple's Python-level __new__ on the hot path


class Point(NamedTuple):
    meter: str  # with its channel's suffix
    source: str  # which column (and type) it came from: tariffs and phases are summed
    when: datetime  # naive: in the file's zone; aware when the file says its offset
    value: float  # kWh, or kW for power, or the register's kWh
    kind: Kind
    at_end: bool


class _Plain(NamedTuple):
    """A value column whose every reading is read alike: no row says its unit or channel."""

    column: int
    decimal: cells.Decimal
    scale: float
    kind: Kind
    meter: str | None
    suffix: str
    source: str


class RowReader:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._loads = {q.column for q in layout.quantities if q.channel == "load"}
        self._has_import = any(q.channel == "" for q in layout.quantities)
        self._several = len(layout.quantities) > 1
        self._wide = isinstance(layout.time, Wide)
        self._plain = self._plain_columns()
        self._unitless = not all(q.unit_named for q in layout.quantities)
        self._types: dict[str, tuple[_Plain, ...]] = {}

    def _plain_columns(self) -> tuple[_Plain, ...] | None:
        """The value columns read the quick way, or None when a row's cells say more."""
        found = self.layout.quantities
        if any(q.scale is None or q.factor_column is not None for q in found):
            return None
        return tuple(
            _Plain(q.column, q.decimal, q.scale or 1.0, q.kind, q.meter,
                   CHANNEL_SUFFIX[self._channel(q, None)], q.source)
            for q in found
        )  # fmt: skip

    def time_key(self, row: list[str]) -> tuple[str, ...]:
        time = self.layout.time
        columns = [time.date] if isinstance(time, Wide) else [time.first, time.second]
        return tuple(row[i] for i in columns if i is not None and i < len(row))

    def points(self, row: list[str], problems: list[str]) -> list[Point]:
        """The row's points; each bad value cell's sentence is added to `problems`.

        Raises Rejected when the row as a whole cannot be read (its time, its meter)."""
        row = self._fitted(row)
        meter = self._meter(row)
        if self._wide:
            return self._wide_points(row, meter, problems)
        when, at_end = moment_of(self.layout, row)
        kind_of_row = self._type(row)
        if self._plain is not None:
            return self._plain_points(row, meter, when, at_end, problems, kind_of_row)
        found: list[Point] = []
        missed: list[Quantity] = []
        type_column = self.layout.type_column
        of_type = "" if type_column is None else "|" + row[type_column].strip().lower()
        bad: list[str] = []
        for quantity in self.layout.quantities:
            try:
                value, kind, channel = self._value(row, quantity, kind_of_row, meter)
            except Missing:
                missed.append(quantity)
                continue
            except Rejected as rejected:
                bad.append(str(rejected))
                continue
            base = quantity.meter or meter
            found.append(
                Point(base + CHANNEL_SUFFIX[channel], quantity.source + of_type, when, value,
                      kind, at_end)
            )  # fmt: skip
        if not found and not bad:
            raise Rejected(missing(row[self.layout.quantities[0].column]) if missed else MISSING)
        problems.extend(bad)
        problems.extend(self._missing(q, row) for q in missed)
        return found

    def _plain_points(
        self,
        row: list[str],
        meter: str,
        when: datetime,
        at_end: bool,
        problems: list[str],
        kind_of_row: RowType | None,
    ) -> list[Point]:
        found: list[Point] = []
        missed: list[int] = []
        bad: list[str] = []
        plain = self._plain
        if kind_of_row is not None:
            cell = row[self.layout.type_column]  # type: ignore[index]
            plain = self._types.get(cell) or self._typed(cell, kind_of_row)
        for column, decimal, scale, kind, own, suffix, source in plain:  # type: ignore[union-attr]
            try:
                value = cells.number(row[column], decimal)
            except Missing:
                missed.append(column)
                continue
            except ValueError as error:
                bad.append(self._bad(column, error))
                continue
            value = value if scale == 1.0 else scaled(value, scale)
            found.append(
                new_point(Point, ((own or meter) + suffix, source, when, value, kind, at_end))
            )
        if not found and not bad:
            raise Rejected(missing(row[missed[0]]) if missed else MISSING)
        if bad or missed:
            problems.extend(bad)
            problems.extend(missing(row[c], self.layout.name_of(c)) for c in missed)
        return found

    def _typed(self, cell: str, kind_of_row: RowType) -> tuple[_Plain, ...]:
        """The value columns as a type column's cell says this row's are: its unit, its
        channel, and the type in the source (one series per type); kept per type."""
        assert self._plain is not None
        of_type = "|" + cell.strip().lower()
        typed = self._types[cell] = tuple(
            plain._replace(
                scale=kind_of_row.scale if kind_of_row.scale is not None else plain.scale,
                kind=(kind_of_row.kind or quantity.kind)
                if kind_of_row.scale is not None
                else plain.kind,
                suffix=CHANNEL_SUFFIX[self._channel(quantity, kind_of_row)],
                source=plain.source + of_type,
            )
            for plain, quantity in zip(self._plain, self.layout.quantities, strict=True)
        )
        return typed

    def _missing(self, quantity: Quantity, row: list[str]) -> str:
        return missing(row[quantity.column], self.layout.name_of(quantity.column))

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

    def _type(self, row: list[str]) -> RowType | None:
        column = self.layout.type_column
        if column is None:
            return None
        cell = row[column].strip()
        found = row_type(cell)
        if found is None and vocabulary.says(vocabulary.folded(cell), vocabulary.NOT_ENERGY_TYPES):
            raise NotRead(f"{cell!r}, no active energy")
        if found is not None and found.channel == "gas" and found.scale is None and self._unitless:
            raise NotRead("gas without a unit")
        if found is None:
            raise Rejected(f"{quoted(cell)} names no energy reading this service reads.")
        return found

    def _value(
        self, row: list[str], quantity: Quantity, kind_of_row: RowType | None, meter: str
    ) -> tuple[float, Kind, Channel]:
        cell = row[quantity.column]
        try:
            value = cells.number(cell, quantity.decimal)
        except ValueError as error:
            raise Rejected(self._bad(quantity.column, error)) from None
        scale, kind = self._scale(row, quantity, kind_of_row)
        if quantity.factor_column is not None:
            try:
                value *= cells.number(row[quantity.factor_column], ".")
            except ValueError as error:
                raise Rejected(self._bad(quantity.factor_column, error)) from None
        return scaled(value, scale), kind, self._channel(quantity, kind_of_row, meter)

    def _channel(
        self, quantity: Quantity, kind_of_row: RowType | None, meter: str | None = None
    ) -> Channel:
        channel = quantity.channel
        if kind_of_row is not None and kind_of_row.channel is not None:
            channel = kind_of_row.channel
        key = meter if self.layout.meter_column is not None else ""
        if channel == "" and key in self.layout.gas_meters:
            channel = "gas"
        if channel == "" and quantity.column in self._loads:
            channel = "load"
        if channel == "load" and not self._has_import:
            channel = ""
        return channel

    def _bad(self, column: int, error: ValueError) -> str:
        sentence = str(error)
        if not self._several:
            return f"kWh value {sentence}"
        return f"{sentence.rstrip('.')} (column {self.layout.name_of(column)!r})."

    def _scale(
        self, row: list[str], quantity: Quantity, kind_of_row: RowType | None
    ) -> tuple[float, Kind]:
        if kind_of_row is not None and kind_of_row.scale is not None:
            return kind_of_row.scale, kind_of_row.kind or quantity.kind
        if quantity.scale is not None:
            return quantity.scale, quantity.kind
        assert quantity.unit_column is not None
        unit = row[quantity.unit_column].strip()
        if cells.is_missing(unit):
            raise Missing
        scale, kind = units.of_cell(unit)
        if scale is None or kind is None:
            if units.is_volume(unit):
                raise NotRead("a volume (m³, litres) without a conversion factor to kWh")
            raise Rejected(f"Unit {quoted(unit)} is unknown; use Wh, kWh, MWh, kW, W or therms.")
        return scale, "register" if quantity.kind == "register" else kind

    def _wide_points(self, row: list[str], meter: str, problems: list[str]) -> list[Point]:
        wide = self.layout.time
        assert isinstance(wide, Wide)
        day = _moment(row[wide.date], self.layout.day_first)
        channel = self._type(row)
        suffix = CHANNEL_SUFFIX[(channel.channel if channel else None) or ""]
        source = row[self.layout.type_column].strip() if self.layout.type_column is not None else ""
        found = []
        missed = []
        bad = []
        decimal = self.layout.quantities[0].decimal
        scale = self.layout.quantities[0].scale or 1.0
        kind = self.layout.quantities[0].kind
        for column, start in wide.starts:
            try:
                value = cells.number(row[column], decimal)
            except Missing:
                if _exists(day + start, self.layout):
                    missed.append(column)
                continue
            except ValueError as error:
                bad.append(f"{str(error).rstrip('.')} (column {self.layout.name_of(column)!r}).")
                continue
            found.append(Point(meter + suffix, source, day + start, scaled(value, scale), kind,
                               False))  # fmt: skip
        if not found and not bad:
            raise Rejected(MISSING)
        problems.extend(bad)
        problems.extend(missing(row[c], self.layout.name_of(c)) for c in missed)
        return found


def missing(cell: str, column: str | None = None) -> str:
    """The sentence for a cell that holds no value: quoted when it says so in words."""
    said = "" if cells.is_missing(cell) else f" ({quoted(cell.strip())})"
    where = f" in column {column!r}" if column else ""
    return f"Missing value{where}{said}."


def _exists(moment: datetime, layout: Layout) -> bool:
    """Whether a naive local time exists in the file's zone (not skipped in spring)."""
    zone = layout.zone
    aware = moment.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == moment


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
        try:
            return cells.epoch(cell), False
        except ValueError as error:
            raise Rejected(str(error)) from None
    if time.kind == "range":
        try:
            start = cells.range_start(cell)
        except ValueError as error:
            raise Rejected(str(error)) from None
        return _moment(start, layout.day_first), False
    moment = _moment(cell, layout.day_first)
    if time.second is None:
        return moment + time.early_by, time.at_end
    second = row[time.second].strip()
    if not second:
        raise Rejected("The time of day is missing.")
    if time.kind in ("date_hour", "date_number"):
        return _numbered(layout, time, moment, second), False
    try:
        moment += cells.time_of_day(second)
    except ValueError as error:
        raise Rejected(str(error)) from None
    return moment + time.early_by, time.at_end


def _numbered(layout: Layout, time: Times, day: datetime, number: str) -> datetime:
    """An hour or interval number's interval start, counted in elapsed time from the local
    midnight: on the day clocks change, hour 3 of 25 is the repeated hour's first pass."""
    step = timedelta(hours=1) if time.kind == "date_hour" else layout.step
    count = int(number) if number.isdigit() else -1
    last = round(timedelta(days=1, hours=1) / step) if step else 0
    if step is None or not time.first_number <= count <= last:
        what = "an hour of the day" if time.kind == "date_hour" else "an interval of the day"
        raise Rejected(f"{quoted(number)} is not {what}.")
    midnight = datetime.combine(day.date(), time_min, layout.zone)
    return midnight.astimezone(UTC) + (count - time.first_number) * step


time_min = time(0)


def _moment(cell: str, day_first: bool) -> datetime:
    try:
        return cells.moment(cell, day_first)
    except Missing:
        raise Rejected("The timestamp is missing.") from None
    except ValueError as error:
        raise Rejected(
            f"{error!s}".rstrip(".") + "; use ISO 8601 such as 2025-01-01T00:00:00Z."
            if "is not a date" in str(error)
            else str(error)
        ) from None


@lru_cache(maxsize=1024)
def guarded_id(cell: str) -> str:
    """An id without the Excel guards exporters put around it: ="5414..." and '1044..."""
    text = cell.strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    elif text.startswith("'"):
        text = text[1:]
    return text.strip().strip('"').strip()
