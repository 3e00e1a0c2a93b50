"""A layout named by the client, for files no family knows: which column is the time, the
usage, the meter and the unit, and whether the usage is a register."""

from dataclasses import dataclass

from services.csv_reader.columns import units
from services.csv_reader.columns.vocabulary import Kind, folded
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.families.candidate import Candidate, zone_of
from services.csv_reader.layout import Layout, Quantity, TimeKind, Times
from services.csv_reader.table.head import Head
from services.csv_reader.table.preamble import Preamble
from services.csv_reader.text.dialect import DELIMITERS, cells_of


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
    preamble = Preamble()
    for index, line in enumerate(head.searched):
        for delimiter in DELIMITERS:
            cells = cells_of(line, delimiter)
            names = [folded(cell) for cell in cells]
            if all(name in names for name in wanted):
                return _layout(Candidate(head, index, delimiter, cells, preamble), columns)
        if line.strip():
            preamble.remember(line)
    raise UnreadableFile(
        f"The column mapping names {columns.time!r} and {columns.usage!r}, but no line of the "
        "file's head has those columns."
    )


def _layout(candidate: Candidate, map_: ColumnMap) -> Layout:
    names = candidate.names
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    clock = position[folded(map_.clock)] if map_.clock else None
    kind: TimeKind = "date_time" if clock is not None else "moment"
    time = Times(kind, position[folded(map_.time)], clock, map_.time_is_end)
    unit_column, scale, quantity_kind, label = _unit(map_, position)
    quantity = Quantity(
        column=position[folded(map_.usage)],
        channel="",
        kind="register" if map_.cumulative else quantity_kind,
        scale=scale,
        source=folded(map_.usage),
        unit=label,
        unit_column=unit_column,
    )
    meter_column = position[folded(map_.meter)] if map_.meter else None
    if meter_column is None and candidate.head.meter_id is None:
        raise UnreadableFile("The column mapping names no meter column; send meter_id too.")
    zone = zone_of(candidate.head, names, time, candidate.samples())
    return candidate.layout(
        "mapped",
        time,
        [quantity],
        zone,
        meter_column=meter_column,
        meter_id=candidate.head.meter_id,
    )


def _unit(map_: ColumnMap, position: dict[str, int]) -> tuple[int | None, float | None, Kind, str]:
    if map_.unit and folded(map_.unit) in position:
        return position[folded(map_.unit)], None, "energy", "per row"
    unit = folded(map_.unit or "kwh").replace(" ", "")
    scale, kind = units.of_cell(unit)
    if scale is None or kind is None:
        raise UnreadableFile(
            f"The column mapping's unit {map_.unit!r} is neither a unit (kWh, Wh, MWh, kW, W, "
            "therms) nor a column of the file."
        )
    return None, scale, kind, units.label(unit)
