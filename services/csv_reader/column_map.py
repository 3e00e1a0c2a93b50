"""A layout named by the client, for files no detector knows: which column is the time, the
usage, the meter and the unit, and whether the usage is a register."""

from dataclasses import dataclass, replace
from datetime import UTC

from services.csv_reader import vocabulary
from services.csv_reader.file_checks import UnreadableFile
from services.csv_reader.layout import (
    DELIMITERS,
    Head,
    Layout,
    Quantity,
    TimeKind,
    Times,
    cells_of,
    judge,
)
from services.csv_reader.vocabulary import Kind, folded


@dataclass(frozen=True)
class ColumnMap:
    time: str  # a date and time, or the date when `clock` names the time of day
    usage: str
    clock: str | None = None
    meter: str | None = None
    unit: str | None = None  # a unit (kWh, Wh, MWh, kW, W, therms) or the column that holds it
    cumulative: bool = False  # the usage is a register, a meter reading that only grows
    time_is_end: bool = False


def layout_from_map(head: Head, columns: ColumnMap) -> Layout:
    wanted = [folded(name) for name in (columns.time, columns.usage, columns.clock, columns.meter)
              if name]  # fmt: skip
    for index, line in enumerate(head.lines):
        for delimiter in DELIMITERS:
            names = [folded(cell) for cell in cells_of(line, delimiter)]
            if all(name in names for name in wanted):
                return _layout(head, index, delimiter, names, columns)
    raise UnreadableFile(
        f"The column mapping names {columns.time!r} and {columns.usage!r}, but no line of the "
        "file's head has those columns."
    )


def _layout(head: Head, index: int, delimiter: str, names: list[str], map_: ColumnMap) -> Layout:
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    judged = judge(head, index, delimiter, names)
    clock = position[folded(map_.clock)] if map_.clock else None
    kind: TimeKind = "date_time" if clock is not None else "moment"
    time = Times(kind, position[folded(map_.time)], clock, map_.time_is_end)
    unit_column, scale, quantity_kind = _unit(map_, position)
    quantity = Quantity(
        column=position[folded(map_.usage)],
        channel="",
        kind="register" if map_.cumulative else quantity_kind,
        scale=scale,
        source=folded(map_.usage),
        unit_column=unit_column,
    )
    meter_column = position[folded(map_.meter)] if map_.meter else None
    if meter_column is None and head.meter_id is None:
        raise UnreadableFile("The column mapping names no meter column; send meter_id too.")
    layout = Layout(
        header_line=index + 1,
        delimiter=delimiter,
        width=len(names),
        header=tuple(names),
        meter_column=meter_column,
        meter_id=head.meter_id,
        time=time,
        quantities=(quantity,),
        type_column=None,
        day_first=judged.day_first,
        zone=head.zone or UTC,
        step=None,
    )
    return replace(layout, step=judged.step(layout))


def _unit(map_: ColumnMap, position: dict[str, int]) -> tuple[int | None, float | None, Kind]:
    if map_.unit and folded(map_.unit) in position:
        return position[folded(map_.unit)], None, "energy"
    unit = folded(map_.unit or "kwh").replace(" ", "")
    if unit in vocabulary.POWER_UNITS:
        return None, vocabulary.POWER_UNITS[unit], "power"
    if unit in vocabulary.ENERGY_UNITS:
        return None, vocabulary.ENERGY_UNITS[unit], "energy"
    raise UnreadableFile(
        f"The column mapping's unit {map_.unit!r} is neither a unit (kWh, Wh, MWh, kW, W, "
        "therms) nor a column of the file."
    )
