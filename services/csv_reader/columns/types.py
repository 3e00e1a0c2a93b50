"""A type column: one column naming, row by row, the channel, unit or kind of the row's
value (`Active Import Interval (kW)`, `Afname Dag`, `Electric usage`)."""

from functools import lru_cache
from typing import NamedTuple

from services.csv_reader.columns import units, vocabulary
from services.csv_reader.columns.vocabulary import Channel, Kind, folded, says


class RowType(NamedTuple):
    """What a type column's cell says of its row's value."""

    channel: Channel | None  # None: the row's type names no direction, the column's holds
    scale: float | None
    kind: Kind | None


@lru_cache(maxsize=1024)
def row_type(cell: str) -> RowType | None:
    """What the cell says, or None when it names no energy reading (reactive, water)."""
    name = folded(cell)
    if not name or says(name, vocabulary.NOT_ENERGY_TYPES):
        return None
    if name in vocabulary.EXPORTER_CHANNELS:
        return RowType(vocabulary.EXPORTER_CHANNELS[name], None, None)
    electric = says(name, vocabulary.ELECTRIC_TYPES)
    channel = vocabulary.direction_of(name)
    if not electric and channel in (None, "load"):
        return None
    unit = vocabulary.unit_in(name)
    scale, kind = units.of_cell(unit) if unit else (None, None)
    return RowType(channel, scale, kind)
