"""The lines above a header: `key,value` pairs (a Green Button account, a portal's meter
number, a unit) and banner rows that repeat a device's serial."""

import re
from dataclasses import dataclass, field

from services.csv_reader.columns import vocabulary
from services.csv_reader.columns.vocabulary import folded
from services.csv_reader.text.dialect import cells_of

# Keys whose value names the meter, most telling first (a Green Button `Service` first).
METER_KEYS = ("service", "meter number", "meter id", "account number", "for")
LONG_ID = re.compile(r"[A-Z]{0,4}\d{10,}[A-Z0-9]*")
# Brackets, the full-width ones of Japanese and Chinese exports too.
BRACKETED = re.compile("[\\[(\u3010\uff08]([^\\])\u3011\uff09]{1,20})[\\])\u3011\uff09]")
# A unit at the start of a bracket, whatever follows it (`MW平均`, `kWh`).
BRACKETED_UNIT = re.compile(r"\s*(kwh|mwh|wh|kw|mw|w)(?![a-z])")


@dataclass
class Preamble:
    pairs: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def remember(self, line: str) -> None:
        self.lines.append(line)
        for delimiter in (",", ";", "\t", ":", "|"):
            cells = [cell.strip() for cell in cells_of(line, delimiter)]
            if len(cells) >= 2 and cells[0] and cells[1]:
                self.pairs.setdefault(folded(cells[0]), cells[1])
                return

    def meter_id(self) -> str | None:
        """A Green Button or portal preamble's `Service`, else its account or meter number,
        else a value named as a metering point or meter in any language."""
        for key in METER_KEYS:
            if self.pairs.get(key):
                return self.pairs[key]
        for key, value in self.pairs.items():
            if vocabulary.id_rank(key) >= 2 and LONG_ID.fullmatch(value.strip("'=\" ")):
                return value.strip("'=\" ")
        return stacked_id(self.lines)

    def long_id(self) -> str | None:
        """A value that can only be a metering point's id (an EAN's 18 digits): what a file
        whose words are unknown gives as its meter."""
        for value in self.pairs.values():
            text = value.strip("'=\" ")
            if LONG_ID.fullmatch(text) and len(text) >= 12:
                return text
        return None

    def titled(self, pattern: str) -> bool:
        """Whether a title line of its own (one cell) says `pattern` (`Wasser`)."""
        for line in self.lines:
            filled = [cell for cell in cells_of(line, ";" if ";" in line else ",") if cell.strip()]
            if len(filled) == 1 and vocabulary.says(folded(filled[0]), pattern):
                return True
        return False

    def unit(self) -> str | None:
        """A unit the preamble gives for the file's values (`Unit;kWh`, `Einheit: Wh`, a
        line of its own such as `[kWh]` or `単位[MW平均]`)."""
        for key, value in self.pairs.items():
            if vocabulary.says(key, vocabulary.UNIT_COLUMN) or vocabulary.unit_in(key) == key:
                found = vocabulary.unit_in(folded(value))
                if found:
                    return found
        for line in self.lines:
            for bracketed in BRACKETED.findall(line):
                if unit := BRACKETED_UNIT.match(folded(bracketed)):
                    return unit.group(1)
        return None


def stacked_id(lines: list[str]) -> str | None:
    """A device serial given in a header row of its own above the names (SMA's third row)."""
    for line in lines[-8:]:
        cells = [cell.strip() for cell in cells_of(line, "," if "," in line else ";")]
        filled = [cell for cell in cells if cell]
        if len(filled) >= 2 and len(set(filled)) == 1 and re.fullmatch(r"\d{6,}", filled[0]):
            return filled[0]
    return None
