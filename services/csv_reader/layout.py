"""A file's layout: where its header is, which column holds the meter, the time and each
quantity, in which units and notation. The table and column stages find it from the head;
the evidence stage settles what only the whole file can tell."""

from dataclasses import dataclass, field, replace
from datetime import timedelta, tzinfo
from typing import Literal

from services.csv_reader.columns.vocabulary import Channel, Kind
from services.csv_reader.series.cells import DateOrder, Decimal

Family = Literal["long", "wide", "nem12", "nem13", "mapped"]
Role = Literal[
    "time", "date", "clock", "end", "meter", "value", "unit", "factor", "attribute", "ignored"
]
ZoneSource = Literal["file", "upload", "default"]
TimeKind = Literal["moment", "date_time", "date_hour", "date_number", "date", "range", "epoch"]


@dataclass(frozen=True)
class Quantity:
    """A value column: kWh (energy, register) or kW (power) once multiplied by `scale`."""

    column: int
    channel: Channel
    kind: Kind
    scale: float | None  # None: the row's unit column says
    source: str  # tariffs, phases and registers of one channel are summed by source
    unit: str = "kWh"  # as the report names it
    unit_column: int | None = None
    factor_column: int | None = None
    meter: str | None = None  # a column named by its meter's id
    decimal: Decimal = "."
    # Neither its name nor its unit says energy or register: the whole file's values decide.
    kind_open: bool = False
    unit_named: bool = True  # False: no unit anywhere, read as kWh


@dataclass(frozen=True)
class Times:
    kind: TimeKind
    first: int  # the moment, date, range or epoch column
    second: int | None = None  # the time-of-day, hour-number or interval-number column
    at_end: bool = False  # the interval's end: stored at end - step
    end_columns: tuple[int, ...] = ()  # the `to` of a from-to pair, for the report only
    # Stamps this long before their interval's end (`00:59`); negative: after its start.
    early_by: timedelta = timedelta()
    first_number: int = 1  # hour or interval numbers count from 1 (or 0)


@dataclass(frozen=True)
class Wide:
    """A row per day: a date column and a column per interval, named by its time of day."""

    date: int
    starts: tuple[tuple[int, timedelta], ...]
    by_end: bool = False


@dataclass(frozen=True)
class Layout:
    family: Family
    encoding: str
    header_line: int  # 1-based line of the header in the file; 0 for a file without one
    first_row: int  # 0-based line where the rows under the header begin
    delimiter: str
    width: int
    header: tuple[str, ...]  # folded names, to know the header again when a block repeats it
    names: tuple[str, ...]  # as the file writes them
    meter_column: int | None
    meter_id: str | None  # when the file has no meter column, or a row's is empty
    time: Times | Wide
    quantities: tuple[Quantity, ...]
    type_column: int | None  # names each row's channel (and unit) for every quantity
    date_order: DateOrder | None
    zone: tzinfo
    zone_source: ZoneSource
    step: timedelta | None
    attributes: frozenset[int] = frozenset()  # columns judged to describe rows, not readings
    notices: tuple[str, ...] = field(default=())
    by_values: bool = False  # the roles were judged by values, not by header words
    # Quantities that the whole file's evidence may still drop (a value column beside another
    # one of its channel): they are chosen once their kinds are settled.
    candidates: tuple[Quantity, ...] = ()
    newest_first: bool = False  # most series run back in time (the repeated hour is too)
    # Meters some of whose rows give a gas volume: their energy rows are gas too.
    gas_meters: frozenset[str] = frozenset()

    @property
    def day_first(self) -> bool:
        return self.date_order == "dmy"

    def noticed(self, *notices: str) -> "Layout":
        return replace(self, notices=(*self.notices, *notices))

    def name_of(self, column: int) -> str:
        name = self.names[column].strip() if column < len(self.names) else ""
        return name or f"column {column + 1}"
