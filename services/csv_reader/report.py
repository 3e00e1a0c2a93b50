"""How a file was read, in the words of an upload report's `layout`."""

from dataclasses import dataclass, field
from datetime import timedelta, tzinfo
from typing import Literal

from services.csv_reader.columns import vocabulary
from services.csv_reader.layout import Family, Layout, Role, Times, Wide, ZoneSource
from services.csv_reader.series.cells import DateOrder, Decimal


@dataclass(frozen=True)
class ColumnReport:
    index: int
    name: str
    role: Role
    unit: str | None = None
    kind: Literal["energy", "power", "register"] | None = None
    channel: str | None = None


@dataclass(frozen=True)
class LayoutReport:
    """A file's layout as read; a file that failed has what was found: its encoding and the
    row most like a header, with every column `ignored`."""

    family: Family | None
    encoding: str
    delimiter: str | None
    decimal: Decimal | None
    header_line: int | None
    date_order: DateOrder | None
    timezone: str | None
    timezone_source: ZoneSource | None
    timestamps: Literal["start", "end"] | None
    interval_minutes: float | None
    columns: tuple[ColumnReport, ...] = ()
    notices: tuple[str, ...] = field(default=())


def partial(
    encoding: str, line: int | None, delimiter: str | None, names: list[str]
) -> LayoutReport:
    """What was found of a file that could not be read: the columns a mapping may name."""
    return LayoutReport(
        family=None,
        encoding=encoding,
        delimiter=delimiter,
        decimal=None,
        header_line=line,
        date_order=None,
        timezone=None,
        timezone_source=None,
        timestamps=None,
        interval_minutes=None,
        columns=tuple(
            ColumnReport(i, name.strip(), "ignored") for i, name in enumerate(names) if name.strip()
        ),
    )


def report_of(layout: Layout, notices: tuple[str, ...] = ()) -> LayoutReport:
    time = layout.time
    at_end = (isinstance(time, Times) and time.at_end) or (isinstance(time, Wide) and time.by_end)
    return LayoutReport(
        family=layout.family,
        encoding=layout.encoding,
        delimiter=layout.delimiter,
        decimal=layout.quantities[0].decimal if layout.quantities else ".",
        header_line=layout.header_line,
        date_order=layout.date_order,
        timezone=zone_name(layout.zone),
        timezone_source=layout.zone_source,
        timestamps="end" if at_end else "start",
        interval_minutes=minutes(layout.step),
        columns=tuple(_column(layout, i) for i in range(layout.width)),
        notices=(*layout.notices, *notices),
    )


def minutes(step: timedelta | None) -> float | None:
    if step is None:
        return None
    found = step / timedelta(minutes=1)
    return int(found) if found.is_integer() else found


def zone_name(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


def _column(layout: Layout, index: int) -> ColumnReport:
    name = layout.names[index].strip() if index < len(layout.names) else ""
    for quantity in layout.quantities:
        if quantity.column == index:
            return ColumnReport(
                index, name, "value", quantity.unit, quantity.kind, quantity.channel
            )
    return ColumnReport(index, name, _role(layout, index))


def _role(layout: Layout, index: int) -> Role:
    time = layout.time
    if isinstance(time, Wide):
        if index == time.date:
            return "date"
    elif index == time.first:
        return "date" if time.kind in ("date_time", "date_hour", "date_number", "date") else "time"
    elif index == time.second:
        return "clock"
    elif index in time.end_columns:
        return "end"
    if index == layout.meter_column:
        return "meter"
    if any(index == q.unit_column for q in layout.quantities):
        return "unit"
    if any(index == q.factor_column for q in layout.quantities):
        return "factor"
    if index == layout.type_column or index in layout.attributes:
        return "attribute"
    name = layout.header[index] if index < len(layout.header) else ""
    if name and not vocabulary.says(name, vocabulary.IGNORED_COLUMNS) and layout.by_values:
        return "attribute"
    return "ignored"
