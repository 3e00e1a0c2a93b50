"""Columns judged by their names: the header's words say which column is the time, the meter
and each quantity; the sampled rows below only confirm it (times in a time column, numbers in
a value column) and tell the kind of a time (a moment, a date, a time of day, a range)."""

import re
from collections.abc import Callable
from dataclasses import replace

from services.csv_reader.columns import units, vocabulary
from services.csv_reader.columns.intervals import interval_columns
from services.csv_reader.columns.types import row_type
from services.csv_reader.columns.vocabulary import END_WORDS, says
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.layout import Quantity, TimeKind, Times, Wide
from services.csv_reader.series import cells
from services.csv_reader.table.head import Head
from services.csv_reader.table.preamble import Preamble

UNITS = (*vocabulary.ENERGY_UNITS, *vocabulary.POWER_UNITS)
# The share of a column's sampled cells that must fit a kind for the column to be of it.
MOST = 0.75
# The generic layout's usage names: kWh by definition, so no notice says it.
KWH_BY_DEFINITION = frozenset({"usage", "consumption", "energy", "value", "kwh"})
DECIMAL = re.compile(r"[-+]?\d+[.,]\d+")
MINUTES = re.compile(r"(\d+)\s*(?:min|m\b)", re.IGNORECASE)
NO_METER = (
    "The file names no meter (no column such as meter_id, EAN, MPRN or Zählpunkt); send "
    "meter_id with the upload."
)


# No exporter names a column at such length; a longer cell is data, and searching it for
# every word of the vocabulary would cost a row more than reading a whole file.
NAME_CHARS = 200


def could_be_header(names: list[str]) -> bool:
    """Whether a row's names say a time and a quantity (or are a wide row's clocks)."""
    named = [name for name in names if name]
    if not named or any(len(name) > NAME_CHARS for name in named):
        return False
    if all(re.fullmatch(r"[\d .,+-]*", name) for name in named):
        return False
    quantity = any(
        says(name, vocabulary.QUANTITY_WORDS)
        or vocabulary.ID_AS_NAME.fullmatch(name)
        or vocabulary.unit_in(name) in UNITS
        or vocabulary.channel_of(name) not in ("", "load")
        for name in names
    )
    wide = interval_columns(names) is not None
    timed = any(says(name, vocabulary.TIME_WORDS) for name in names) or "" in names
    return (quantity or wide) and timed


class NamedColumns:
    """The columns of one candidate header, judged by their names and sampled values."""

    def __init__(
        self,
        names: list[str],
        samples: list[list[str]],
        head: Head,
        delimiter: str,
        preamble: Preamble | None = None,
    ) -> None:
        self.names = names
        self.preamble = preamble or Preamble()
        self.samples = samples
        self.head = head
        self.notices: list[str] = []
        self.unread: list[str] = []  # the notices of value columns left unread (gas, water)
        self.used: set[int] = set()
        self.type_column: int | None = None
        dates = [row[i] for row in samples for i in range(len(names)) if i < len(row)]
        self.european = vocabulary.any_says(names, vocabulary.EUROPEAN_WORDS)
        zone = str(head.zone) if head.zone else None
        self.day_first = _day_first(dates, delimiter == ";", self.european, zone)
        self.delimiter = delimiter

    def column(self, index: int) -> list[str]:
        return [row[index].strip() for row in self.samples if index < len(row)]

    # time

    def wide(self) -> Wide | None:
        found = interval_columns(self.names)
        if found is None:
            return None
        date = next((i for i in range(len(self.names)) if self._kind_of(i) == "date"), None)
        if date is None:
            return None
        starts, by_end = found
        self.used.update([date, *(i for i, _ in starts)])
        return Wide(date, starts, by_end)

    def times(self) -> Times | None:
        kinds = {
            i: self._kind_of(i)
            for i, name in enumerate(self.names)
            if (says(name, vocabulary.TIME_WORDS) or not name)
            and not says(name, vocabulary.NOT_READING_TIME)
            and vocabulary.unit_in(name) not in UNITS  # `From Grid (kWh)` is no time
        }
        # A moment that stays the same in every sampled row beside one that changes is the
        # period the export covers (Enedis' Date de début), not each reading's time.
        varying = [i for i, kind in kinds.items() if kind == "moment" and not self._constant(i)]
        if varying:
            kinds = {i: kind for i, kind in kinds.items() if not self._constant(i)}
        starts = {i: k for i, k in kinds.items() if k and not says(self.names[i], END_WORDS)}
        ends = {i: k for i, k in kinds.items() if k and i not in starts}
        chosen = (
            self._pick(starts, starts, at_end=False)
            or self._pick(ends, starts | ends, at_end=True)
            or self._named_time(kinds)
        )
        if chosen is None:
            return None
        if chosen.kind == "date":
            chosen = self._with_named_clock(chosen)
        taken = {chosen.first, chosen.second}
        chosen = replace(chosen, end_columns=tuple(i for i in ends if i not in taken))
        self.used.update(i for i in (*taken, *chosen.end_columns) if i is not None)
        return chosen

    def _named_time(self, kinds: dict[int, str | None]) -> Times | None:
        """Without samples to tell by, the first column named as a time at all."""
        named = [i for i in kinds if self.names[i] and not says(self.names[i], END_WORDS)]
        return Times("moment", named[0]) if named else None

    def _with_named_clock(self, date: Times) -> Times:
        """A date column beside one named as the time of day, empty in every sample or not."""
        clock = next(
            (
                i
                for i, name in enumerate(self.names)
                if i != date.first and says(name, vocabulary.CLOCK_NAMES)
            ),
            None,
        )
        return Times("date_time", date.first, clock) if clock is not None else date

    def _pick(self, side: dict[int, str], dates: dict[int, str], at_end: bool) -> Times | None:
        kinds: tuple[TimeKind, ...] = ("epoch", "moment", "range")
        for kind in kinds:
            found = next((i for i, k in side.items() if k == kind), None)
            if found is not None:
                return Times(kind, found, at_end=at_end and kind != "range")
        date = next((i for i, k in dates.items() if k == "date"), None)
        if date is None:
            return None
        pairs: tuple[tuple[str, TimeKind], ...] = (("clock", "date_time"), ("hour", "date_hour"))
        for kind_of_second, combined in pairs:
            found = next((i for i, k in side.items() if k == kind_of_second), None)
            if found is not None:
                return Times(combined, date, found, at_end)
        return Times("date", date) if not at_end else None

    def _constant(self, index: int) -> bool:
        found = self.column(index)
        return len(found) >= 3 and len(set(found)) == 1

    def _kind_of(self, index: int) -> str | None:
        """What most sampled cells of a column are: a bad row or two must not hide it."""
        found = [cell for cell in self.column(index) if cell]
        if not found:
            return None
        named = bool(self.names[index])

        def most(test: Callable[[str], object]) -> bool:
            return sum(1 for cell in found if test(cell)) >= MOST * len(found)

        if most(cells.is_epoch) or (named and most(lambda c: re.fullmatch(r"\d{10}", c))):
            return "epoch"
        if most(cells.looks_like_moment):
            return "moment" if any(cells.has_clock(cell) for cell in found) else "date"
        if most(lambda cell: cells.is_range(cell, self.day_first)):
            return "range"
        if named and most(lambda cell: re.fullmatch(r"\d{1,2}", cell) and 1 <= int(cell) <= 25):
            return "hour"
        if most(cells.looks_like_clock) or (named and most(_loose_clock)):
            return "clock"
        return None

    # quantities

    def quantities(self, time: Times | Wide) -> list[Quantity]:
        """The columns named as quantities whose values are numbers; when none is, those
        named so whatever they hold: a file's bad rows are its rows' problems."""
        self._find_helpers()
        found = [q for i in range(len(self.names)) if (q := self._quantity(i, time))]
        if not found and self.samples:
            found = [q for i in range(len(self.names)) if (q := self._quantity(i, time, False))]
        return self._without_unknown_beside_directed(found)

    def _without_unknown_beside_directed(self, found: list[Quantity]) -> list[Quantity]:
        """A column named by its unit and words the reader does not know, beside columns
        that name their direction, is not taken for consumption: it is left out, and said."""
        if not any(q.channel for q in found):
            return found
        unknown = [q for q in found if not q.channel and _unknown_words(self.names[q.column])]
        self.notices.extend(
            f"The column {self.names[q.column]!r} names no direction in words the reader "
            "knows, beside columns that do; it is not read (send a column mapping to read it)."
            for q in unknown
        )
        return [q for q in found if q not in unknown]

    def _find_helpers(self) -> None:
        for i, name in enumerate(self.names):
            if i in self.used:
                continue
            if says(name, vocabulary.TYPE_COLUMN) and self._types_read(i):
                self.type_column = i
                self.used.add(i)

    def _types_read(self, index: int) -> bool:
        """Whether the rows' types say something of their values: a type column whose cells
        name nothing the reader knows (`Tidsserie`) describes the rows, no more."""
        return any(row_type(cell) is not None for cell in self.column(index) if cell)

    def _quantity(self, index: int, time: Times | Wide, numbers: bool = True) -> Quantity | None:
        name = self.names[index]
        if isinstance(time, Wide):
            if index not in [i for i, _ in time.starts]:
                return None
            return Quantity(index, "", "energy", 1.0, "")
        if index in self.used or (vocabulary.id_rank(name) and not self._measured(index)):
            return None
        named_by_id = vocabulary.ID_AS_NAME.fullmatch(name) is not None
        if says(name, vocabulary.UNIT_COLUMN) or says(name, vocabulary.FACTOR_COLUMN):
            return None
        known = (
            says(name, vocabulary.QUANTITY_WORDS)
            or name in vocabulary.EXPORTER_CHANNELS
            or vocabulary.unit_in(name) is not None
            or units.stacked(self.head.lines[:40], index) is not None
        )
        if says(name, vocabulary.IGNORED_COLUMNS) and not vocabulary.unit_in(name):
            return None
        if says(name, vocabulary.NOT_ACTIVE) and vocabulary.unit_in(name) not in UNITS:
            return None  # reactive or apparent: not the energy this service reads
        if says(name, vocabulary.NOT_MEASURED):
            return None
        if not (known or named_by_id) or (numbers and not self._numbers(index)):
            return None
        return self._quantity_of(index, named_by_id)

    def _quantity_of(self, index: int, named_by_id: bool) -> Quantity | None:
        name = self.names[index]
        unit = (
            vocabulary.unit_in(name)
            or units.stacked(self.head.lines[:40], index)
            or self.preamble.unit()
        )
        if unit is None and says(name, vocabulary.POWER_WORDS):
            unit = "kw"
        channel = vocabulary.channel_of(name)
        unit_column = None if unit else self._helper_after(index, vocabulary.UNIT_COLUMN)
        if unit is None and unit_column is None and channel == "gas":
            self._unread(index, "gas without a unit")
            return None
        water = vocabulary.direction_of(name) is None and (
            says(name, vocabulary.WATER_WORDS)
            or (unit is None and self.preamble.titled(vocabulary.WATER_WORDS))
        )
        if unit == "m3" or water:
            self._unread(
                index, "water" if water else "a gas volume (m3) without a conversion factor to kWh"
            )
            return None
        if unit is None and unit_column is None and name not in KWH_BY_DEFINITION:
            self.notices.append(
                f"No unit is named for {self.names[index]!r}; its values are read as kWh."
            )
        scale, kind = units.scale_of(unit or "kwh")
        register = _named_register(name)
        return Quantity(
            column=index,
            channel=channel,
            kind="register" if kind == "energy" and register else kind,
            scale=None if unit_column is not None else scale,
            source=name,
            unit=units.label(unit or "kwh") if unit_column is None else "per row",
            unit_column=unit_column,
            factor_column=self._helper_after(index, vocabulary.FACTOR_COLUMN, anywhere=True),
            meter=name if named_by_id else None,
            kind_open=kind == "energy" and register is None,
            unit_named=unit is not None or unit_column is not None,
        )

    def _unread(self, index: int, what: str) -> None:
        """A column of something else than energy: not read, and said."""
        sentence = f"The column {self.names[index]!r} holds {what}, so it is not read."
        if sentence not in self.unread:
            self.notices.append(sentence)
            self.unread.append(sentence)

    def _measured(self, index: int) -> bool:
        """A column named with a meter's word that holds a quantity all the same
        (`Production Meter 1` in kW): a unit row names its unit and its values are numbers,
        some of them decimals, none of them an id's long digits."""
        if units.stacked(self.head.lines[:40], index) is None:
            return False
        found = [c.strip() for c in self.column(index) if not cells.is_missing(c)]
        numbers = all(cells.any_number(cell) is not None and len(cell) < 8 for cell in found)
        return numbers and any(DECIMAL.fullmatch(cell) for cell in found)

    def _numbers(self, index: int) -> bool:
        """Whether the column holds numbers: most sampled values do (a bad cell is a bad
        cell, not a sign the column is no quantity), or it is empty in every sampled row."""
        found = [c for c in self.column(index) if not cells.is_missing(c)]
        numeric = sum(1 for cell in found if cells.any_number(cell) is not None)
        return numeric >= 0.5 * len(found)

    def _helper_after(self, index: int, pattern: str, anywhere: bool = False) -> int | None:
        """The unit (or factor) column that belongs to the value column at `index`: the next
        one to its right before another value column, else the nearest to its left."""
        if anywhere:
            return next((i for i, name in enumerate(self.names) if says(name, pattern)), None)
        for direction in (range(index + 1, len(self.names)), range(index - 1, -1, -1)):
            for i in direction:
                if says(self.names[i], pattern) and i not in self.used:
                    return i
                if says(self.names[i], vocabulary.QUANTITY_WORDS) and not says(
                    self.names[i], vocabulary.UNIT_COLUMN
                ):
                    break
        return None

    def interval_minutes(self, index: int) -> int | None:
        """The resolution an `Interval` column beside a value column gives it."""
        for i in range(index + 1, len(self.names)):
            if says(self.names[i], vocabulary.QUANTITY_WORDS):
                return None
            if self.names[i] == "interval":
                found = [MINUTES.search(cell) for cell in self.column(i)]
                numbers = [int(f.group(1)) for f in found if f]
                return min(numbers) if numbers else None
        return None

    # meters

    def meter(
        self, quantities: list[Quantity], preamble: Preamble
    ) -> tuple[int | None, str | None]:
        valued = {q.column for q in quantities}
        ranked = [
            (vocabulary.id_rank(name), -i, i)
            for i, name in enumerate(self.names)
            if i not in self.used and i not in valued and vocabulary.id_rank(name)
        ]
        column = max(ranked)[2] if ranked else None
        default = self.head.meter_id or preamble.meter_id()
        if column is None and default is None:
            if quantities and all(
                vocabulary.ID_AS_NAME.fullmatch(self.names[q.column]) for q in quantities
            ):
                return None, None
            raise UnreadableFile(NO_METER)
        if column is not None:
            self.used.add(column)
        return column, default


def _unknown_words(name: str) -> bool:
    """Whether a name holds words beyond its unit, none of which the vocabulary knows."""
    if vocabulary.direction_of(name) is not None:
        return False
    rest = vocabulary.without_unit(name)
    return bool(re.search(r"[^\W\d_]", rest)) and not says(rest, vocabulary.QUANTITY_WORDS)


def _named_register(name: str) -> bool | None:
    """What a value column's name says of it: True a register, False interval energy, None
    neither, so that its values over the whole file decide."""
    if says(name, vocabulary.INTERVAL_WORDS):
        return False
    if says(name, vocabulary.REGISTER_WORDS):
        return True
    return None


def _loose_clock(cell: str) -> bool:
    """A time of day without a separator (`0015`), in a column named as one."""
    try:
        cells.time_of_day(cell)
    except ValueError:
        return False
    return True


def _day_first(dates: list[str], semicolon: bool, european: bool, zone: str | None) -> bool:
    """A first guess from the head, for judging ranges; the whole file settles it later."""
    for cell in dates:
        parts = cells.date_parts(cell)
        if parts:
            first, second, _ = parts
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return cells.habitual_order(semicolon, european, zone) == "dmy"
