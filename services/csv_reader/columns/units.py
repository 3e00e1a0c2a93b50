"""Units: in a name (`Verbrauch (kWh)`), a unit column's cells, a unit row stacked under the
names (`[Wh]`) or the preamble; each one scales a value to kWh, or to kW for power."""

import re

from services.csv_reader.columns import vocabulary
from services.csv_reader.columns.vocabulary import Kind, folded
from services.csv_reader.text.dialect import cells_of

LABELS = {
    "kwh": "kWh", "wh": "Wh", "mwh": "MWh", "kw": "kW", "w": "W", "mw": "MW",
    "therm": "therm", "therms": "therm", "kilowatthours": "kWh", "kilowatthour": "kWh",
}  # fmt: skip
STACKED_UNIT = re.compile(r"\[\s*[^\]]+\s*\]|\(\s*[^)]+\s*\)")


def scale_of(unit: str) -> tuple[float, Kind]:
    """What a value in `unit` is multiplied by to be kWh (energy) or kW (power)."""
    if unit in vocabulary.POWER_UNITS:
        return vocabulary.POWER_UNITS[unit], "power"
    return vocabulary.ENERGY_UNITS.get(unit, 1.0), "energy"


def label(unit: str) -> str:
    return LABELS.get(unit, unit)


def of_cell(cell: str) -> tuple[float, Kind] | tuple[None, None]:
    """The scale and kind a unit column's cell names; (None, None) when it names no unit."""
    spelled = folded(cell).replace(" ", "")
    unit = spelled if spelled in LABELS else vocabulary.unit_in(folded(cell))
    if unit in vocabulary.POWER_UNITS:
        return vocabulary.POWER_UNITS[unit], "power"
    if unit in vocabulary.ENERGY_UNITS:
        return vocabulary.ENERGY_UNITS[unit], "energy"
    return None, None


def is_unit_cell(cell: str) -> bool:
    text = cell.strip()
    return 0 < len(text) <= 12 and of_cell(text)[0] is not None


def stacked(lines: list[str], index: int) -> str | None:
    """A unit given in a header row of its own, below or above the names (`[Wh]`, `kW`)."""
    for line in lines:
        cells = cells_of(line, "," if "," in line else ";")
        if index >= len(cells):
            continue
        cell = cells[index].strip()
        if STACKED_UNIT.fullmatch(cell) or (is_unit_cell(cell) and unit_row(cells)):
            found = vocabulary.unit_in(folded(cell))
            if found:
                return found
    return None


def unit_row(cells: list[str]) -> bool:
    """A row of units only (`"", "kW", "kW"`): stacked under the names, never a header."""
    given = [cell for cell in cells if cell.strip()]
    return bool(given) and all(is_unit_cell(cell) for cell in given)


def is_volume(cell: str) -> bool:
    """A unit column's cell naming a volume (`m³`, `m3`, `l`): gas or water, not energy."""
    return re.fullmatch(vocabulary.VOLUME_UNITS, folded(cell).replace(" ", "")) is not None
