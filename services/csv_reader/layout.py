"""A file's layout, worked out once from its head: where the header is, which column holds the
meter, the time and each quantity, in which units, day or month first, and the file's step.

Only the head is read: the first HEAD_LINES lines (at most HEAD_BYTES each) hold the header,
and the data lines after it are the samples that column kinds are decided from.
"""

import csv
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, timedelta, tzinfo
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from services.csv_reader import values, vocabulary
from services.csv_reader.file_checks import UnreadableFile
from services.csv_reader.vocabulary import END_WORDS, Channel, Kind, folded, says

HEAD_LINES = 120
SAMPLE_ROWS = 40
# The share of a column's sampled cells that must fit a kind for the column to be of it.
MOST = 0.75
DELIMITERS = (",", ";", "\t")
WIDE_COLUMNS = 12
# Excel guards that keep an id as text: ="5414..." and '1044...
GUARD = re.compile(r'^=?"?\'?(?P<id>.*?)"?$')
MINUTES = re.compile(r"(\d+)\s*(?:min|m\b)", re.IGNORECASE)
CLOCK_NAMES = r"^(start )?(time|uhrzeit|zeit|heure|hora|ora|tijd|tijdstip|cas|cas od)$"
CLOCK_NAME = re.compile(r"\d{1,2} \d{2}(?: ?[-\u2013] ?\d{1,2} \d{2})?")

TimeKind = Literal["moment", "date_time", "date_hour", "date", "range", "epoch"]


@dataclass(frozen=True)
class Quantity:
    """A value column: kWh (energy, register) or kW (power) once multiplied by `scale`."""

    column: int
    channel: Channel
    kind: Kind
    scale: float | None  # None: the row's unit column says
    source: str  # tariffs, phases and registers of one channel are summed by source
    unit_column: int | None = None
    factor_column: int | None = None
    meter: str | None = None  # a column named by its meter's id


@dataclass(frozen=True)
class Times:
    kind: TimeKind
    first: int  # the moment, date, range or epoch column
    second: int | None = None  # the time-of-day or hour-number column
    at_end: bool = False  # the interval's end: stored at end - step


@dataclass(frozen=True)
class Wide:
    """A row per day: a date column and a column per interval, named by its time of day."""

    date: int
    starts: tuple[tuple[int, timedelta], ...]


@dataclass(frozen=True)
class Layout:
    header_line: int  # 1-based line of the header in the file
    delimiter: str
    width: int
    header: tuple[str, ...]  # folded names, to know the header again when a block repeats it
    meter_column: int | None
    meter_id: str | None  # when the file has no meter column, or a row's is empty
    time: Times | Wide
    quantities: tuple[Quantity, ...]
    type_column: int | None  # names each row's channel (and unit) for every quantity
    day_first: bool
    zone: tzinfo
    step: timedelta | None
    notices: tuple[str, ...] = field(default=())

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"


@dataclass
class Head:
    """What the reader saw before the first data row it reads."""

    lines: list[str]
    meter_id: str | None
    zone: tzinfo | None
    forced_delimiter: str | None = None


def find_layout(head: Head) -> Layout:
    preamble: dict[str, str] = {}
    widest: list[str] = []
    for index, line in enumerate(head.lines):
        if not line.strip():
            continue
        separator = re.fullmatch(r'\ufeff?"?sep=(.)"?', line.strip())
        if separator:
            head.forced_delimiter = separator.group(1)
            continue
        for delimiter in _delimiters(line, head.forced_delimiter):
            cells = cells_of(line, delimiter)
            if len(cells) > len(widest):
                widest = cells
            layout = _layout_at(head, index, delimiter, cells, preamble)
            if layout is not None:
                return layout
        _remember(line, preamble)
    raise UnreadableFile(_no_header(widest))


def _delimiters(line: str, forced: str | None) -> list[str]:
    if forced:
        return [forced]
    present = [d for d in DELIMITERS if d in line]
    return sorted(present, key=line.count, reverse=True)


def cells_of(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _remember(line: str, preamble: dict[str, str]) -> None:
    """`key,value` (or `key: value`) lines of a preamble, which may name the meter."""
    for delimiter in (",", ";", "\t", ":"):
        cells = [cell.strip() for cell in cells_of(line, delimiter)]
        if len(cells) >= 2 and cells[0] and cells[1]:
            preamble.setdefault(folded(cells[0]), cells[1])
            return


def _no_header(widest: list[str]) -> str:
    seen = ", ".join(repr(cell.strip()) for cell in widest[:12] if cell.strip()) or "none"
    return (
        "No header row was recognised: the reader looks for a row naming a time (such as "
        "timestamp, date, Datum, Zeitstempel, Horodate, Fecha) and a quantity (such as kWh, "
        f"usage, Verbrauch, Consommation, Consumo). The widest row names: {seen}. Send the "
        "column mapping with the upload if the layout is one it does not know."
    )


def _layout_at(
    head: Head, index: int, delimiter: str, cells: list[str], preamble: dict[str, str]
) -> Layout | None:
    names = [folded(cell) for cell in cells]
    if not _could_be_header(names):
        return None
    columns = judge(head, index, delimiter, names)
    time = columns.wide() or columns.times()
    if time is None:
        return None
    quantities = columns.quantities(time)
    if not quantities:
        return None
    meter_column, meter_id = columns.meter(time, quantities, preamble, head.lines[:index])
    layout = Layout(
        header_line=index + 1,
        delimiter=delimiter,
        width=len(cells),
        header=tuple(names),
        meter_column=meter_column,
        meter_id=meter_id,
        time=time,
        quantities=quantities,
        type_column=columns.type_column,
        day_first=columns.day_first,
        zone=UTC if any(says(names[i], vocabulary.UTC_WORDS) for i in _time_columns(time))
        or vocabulary.any_says(names, vocabulary.UTC_EXPORTERS) else head.zone or UTC,
        step=None,
        notices=tuple(columns.notices),
    )  # fmt: skip
    return replace(layout, step=columns.step(layout))


def judge(head: Head, index: int, delimiter: str, names: list[str]) -> "_Columns":
    """The columns under the header at line `index`, judged by the rows below it."""
    samples = _samples(head.lines[index + 1 :], delimiter, len(names))
    return _Columns(names, samples, head, delimiter)


def _could_be_header(names: list[str]) -> bool:
    named = [name for name in names if name]
    if len(named) < 1 or all(re.fullmatch(r"[\d .,+-]*", name) for name in named):
        return False
    quantity = any(
        says(name, vocabulary.QUANTITY_WORDS) or vocabulary.ID_AS_NAME.fullmatch(name)
        for name in names
    )
    wide = sum(1 for name in names if _clock_name(name) is not None) >= WIDE_COLUMNS
    timed = any(says(name, vocabulary.TIME_WORDS) for name in names) or "" in names
    return (quantity or wide) and timed


def _samples(lines: list[str], delimiter: str, width: int) -> list[list[str]]:
    rows = []
    for line in lines:
        if not line.strip():
            continue
        cells = cells_of(line, delimiter)
        dated = any(
            values.looks_like_moment(c) or re.fullmatch(r"\d{9,11}", c) or values.is_range(c, True)
            for c in cells
        )
        if len(cells) >= min(2, width) and dated:
            rows.append(cells + [""] * (width - len(cells)))
        if len(rows) == SAMPLE_ROWS:
            break
    return rows


def _time_columns(time: Times | Wide) -> list[int]:
    if isinstance(time, Wide):
        return [time.date]
    return [time.first] + ([time.second] if time.second is not None else [])


def _clock_name(name: str) -> timedelta | None:
    """The start of the interval a wide column is named by: "0 30", or a range "00 00-00 15"."""
    if not CLOCK_NAME.fullmatch(name):
        return None
    hours, minutes = (int(number) for number in re.findall(r"\d+", name)[:2])
    return timedelta(hours=hours, minutes=minutes) if hours <= 24 and minutes < 60 else None


class _Columns:
    """The columns of one candidate header, judged by their names and sampled values."""

    def __init__(
        self, names: list[str], samples: list[list[str]], head: Head, delimiter: str
    ) -> None:
        self.names = names
        self.samples = samples
        self.head = head
        self.notices: list[str] = []
        self.used: set[int] = set()
        self.type_column: int | None = None
        dates = [row[i] for row in samples for i in range(len(names)) if i < len(row)]
        european = vocabulary.any_says(names, vocabulary.EUROPEAN_WORDS)
        zone = str(head.zone) if head.zone else None
        self.day_first = values.day_first(dates, delimiter == ";", european, zone)
        self.decimal_comma = delimiter == ";"

    def column(self, index: int) -> list[str]:
        return [row[index].strip() for row in self.samples if index < len(row)]

    # time

    def wide(self) -> Wide | None:
        clocks = [(i, _clock_name(name)) for i, name in enumerate(self.names)]
        starts = [(i, start) for i, start in clocks if start is not None]
        if len(starts) < WIDE_COLUMNS:
            return None
        date = next((i for i in range(len(self.names)) if self._kind_of(i) == "date"), None)
        if date is None:
            return None
        first, step = starts[0][1], starts[1][1] - starts[0][1]
        # Named by the interval's end ("0:30" ... "0:00", the next midnight) unless by a range.
        by_end = first != timedelta() and len(re.findall(r"\d+", self.names[starts[0][0]])) == 2
        self.used.update([date, *(i for i, _ in starts)])
        return Wide(
            date,
            tuple(
                (i, (start or timedelta(hours=24)) - step if by_end else start)
                for i, start in starts
            ),
        )

    def times(self) -> Times | None:
        kinds = {
            i: self._kind_of(i)
            for i, name in enumerate(self.names)
            if (says(name, vocabulary.TIME_WORDS) or not name)
            and not says(name, vocabulary.NOT_READING_TIME)
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
        if isinstance(chosen, Times) and chosen.kind == "date":
            chosen = self._with_named_clock(chosen)
        if chosen:
            self.used.update(_time_columns(chosen))
        return chosen

    def _named_time(self, kinds: dict[int, str | None]) -> Times | None:
        """Without samples to tell by, the first column named as a time at all."""
        named = [i for i in kinds if self.names[i] and not says(self.names[i], END_WORDS)]
        return Times("moment", named[0]) if named else None

    def _with_named_clock(self, date: Times) -> Times:
        """A date column beside one named as the time of day, empty in every sample or not."""
        clock = next(
            (i for i, name in enumerate(self.names) if i != date.first and says(name, CLOCK_NAMES)),
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
        cells = self.column(index)
        return len(cells) >= 3 and len(set(cells)) == 1

    def _kind_of(self, index: int) -> str | None:
        """What most sampled cells of a column are: a bad row or two must not hide it."""
        cells = [cell for cell in self.column(index) if cell]
        if not cells:
            return None

        def most(test: Callable[[str], object]) -> bool:
            return sum(1 for cell in cells if test(cell)) >= MOST * len(cells)

        if most(lambda cell: re.fullmatch(r"\d{9,11}", cell)):
            return "epoch"
        if most(values.looks_like_moment):
            return "moment" if any(values.has_clock(cell) for cell in cells) else "date"
        if most(lambda cell: values.is_range(cell, self.day_first)):
            return "range"
        if most(lambda cell: re.fullmatch(r"\d{1,2}", cell) and 1 <= int(cell) <= 25):
            return "hour"
        if most(values.TIME_OF_DAY.fullmatch):
            return "clock"
        return None

    # quantities

    def quantities(self, time: Times | Wide) -> tuple[Quantity, ...]:
        self._find_helpers()
        found = [q for i in range(len(self.names)) if (q := self._quantity(i, time))]
        found = self._finest(found)
        found = self._registers_beside_registers(found)
        found = self._preferred_kinds(found)
        return tuple(found)

    def _registers_beside_registers(self, found: list[Quantity]) -> list[Quantity]:
        """A register that did not move in the sampled rows (the night tariff by day, export
        at night) is still a register when another register of the file did."""
        if not any(q.kind == "register" for q in found):
            return found
        return [
            replace(q, kind="register")
            if q.kind == "energy" and self._register(q.column, True)
            else q
            for q in found
        ]

    def _find_helpers(self) -> None:
        for i, name in enumerate(self.names):
            if i in self.used:
                continue
            if says(name, vocabulary.TYPE_COLUMN) and self._types_read(i):
                self.type_column = i
                self.used.add(i)

    def _types_read(self, index: int) -> bool:
        cells = [cell for cell in self.column(index) if cell]
        return bool(cells) and not all(_numeric(cell) for cell in cells)

    def _quantity(self, index: int, time: Times | Wide) -> Quantity | None:
        name = self.names[index]
        if isinstance(time, Wide):
            if index not in [i for i, _ in time.starts]:
                return None
            return Quantity(index, "", "energy", self._scale_of(index, "kwh"), "")
        if index in self.used or vocabulary.id_rank(name):
            return None
        # A column that names its unit is read even when its values are not numbers, so each
        # bad row is reported on its own instead of the whole file being refused.
        if not (self._numbers(index) or vocabulary.unit_in(name)):
            return None
        named_by_id = vocabulary.ID_AS_NAME.fullmatch(name) is not None
        if says(name, vocabulary.UNIT_COLUMN) or says(name, vocabulary.FACTOR_COLUMN):
            return None
        known = says(name, vocabulary.QUANTITY_WORDS) or name in vocabulary.EXPORTER_CHANNELS
        if says(name, vocabulary.IGNORED_COLUMNS) and not vocabulary.unit_in(name):
            return None
        if not (known or named_by_id):
            return None
        unit = vocabulary.unit_in(name) or self._stacked_unit(index)
        channel = vocabulary.channel_of(name)
        unit_column = None if unit else self._helper_after(index, vocabulary.UNIT_COLUMN)
        if unit is None and unit_column is None and channel == "gas":
            self.notices.append(
                f"The column {self.names[index]!r} holds gas without a unit, so it is not read."
            )
            return None
        if unit == "m3":
            self.notices.append(
                f"The column {self.names[index]!r} holds a gas volume (m3); without a "
                "conversion factor to kWh it is not read."
            )
            return None
        kind: Kind = "power" if unit in vocabulary.POWER_UNITS else "energy"
        if kind == "energy" and self._register(index):
            kind = "register"
        return Quantity(
            column=index,
            channel=channel,
            kind=kind,
            scale=None if unit_column is not None else self._scale_of(index, unit or "kwh"),
            source=name,
            unit_column=unit_column,
            factor_column=self._helper_after(index, vocabulary.FACTOR_COLUMN, anywhere=True),
            meter=name if named_by_id else None,
        )

    def _numbers(self, index: int) -> bool:
        """Whether the column's sampled values are numbers, bar a bad cell or two."""
        cells = [c for c in self.column(index) if c.lower() not in vocabulary.MISSING_VALUES]
        numeric = sum(1 for cell in cells if _numeric(cell, self.decimal_comma))
        return numeric >= MOST * len(cells) if len(cells) > 2 else True

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

    def _stacked_unit(self, index: int) -> str | None:
        """A unit given in a header row of its own, below the names ("[Wh]")."""
        for line in self.head.lines[:SAMPLE_ROWS]:
            cells = cells_of(line, "," if "," in line else ";")
            if index < len(cells) and re.fullmatch(r"\[\s*\w+\s*\]", cells[index].strip()):
                return vocabulary.unit_in(folded(cells[index]))
        return None

    def _scale_of(self, index: int, unit: str) -> float:
        if unit in vocabulary.POWER_UNITS:
            return vocabulary.POWER_UNITS[unit]
        return vocabulary.ENERGY_UNITS.get(unit, 1.0)

    def _register(self, index: int, standing_still: bool = False) -> bool:
        """A meter reading that only grows: by its name, or by its sampled values, which move
        one way in steps small beside them (or, beside a register of its channel, stay)."""
        name = self.names[index]
        if says(name, r"usage|consumption|verbrauch|verbruik|consumo|volume|delta"):
            return False
        if says(name, vocabulary.REGISTER_WORDS):
            return True
        numbers = [_number(cell, self.decimal_comma) for cell in self.column(index)]
        found = [n for n in numbers if n is not None]
        if len(found) < 2:
            return False
        steps = [b - a for a, b in pairwise(found)]
        rising = all(s >= 0 for s in steps) or all(s <= 0 for s in steps)
        largest = max(abs(s) for s in steps)
        moved = largest > 0 or (standing_still and min(found) > 0)
        return (
            rising
            and moved
            and len(found) >= 3 - standing_still
            and min(abs(n) for n in found) > 10 * largest
        )

    def _finest(self, found: list[Quantity]) -> list[Quantity]:
        """Of two resolutions of one channel, the finer one (an `Interval` column says)."""
        minutes = {q.column: self._interval_minutes(q.column) for q in found}
        kept = []
        for quantity in found:
            rivals = [
                known
                for q in found
                if q.channel == quantity.channel and (known := minutes[q.column]) is not None
            ]
            own = minutes[quantity.column]
            if own is None or own == min(rivals):
                kept.append(quantity)
        return kept

    def _interval_minutes(self, index: int) -> int | None:
        for i in range(index + 1, len(self.names)):
            if says(self.names[i], vocabulary.QUANTITY_WORDS):
                return None
            if self.names[i] == "interval":
                found = [MINUTES.search(cell) for cell in self.column(i)]
                numbers = [int(f.group(1)) for f in found if f]
                return min(numbers) if numbers else None
        return None

    def _preferred_kinds(self, found: list[Quantity]) -> list[Quantity]:
        """Energy over power or a register of the same channel; a load beside grid import."""
        by_channel: dict[str, set[str]] = {}
        for quantity in found:
            by_channel.setdefault(quantity.channel, set()).add(quantity.kind)
        preferred = []
        for quantity in found:
            kinds = by_channel[quantity.channel]
            if "energy" in kinds and quantity.kind != "energy":
                continue
            if "register" in kinds and quantity.kind == "power":
                continue
            preferred.append(quantity)
        return preferred

    # meters

    def meter(
        self,
        time: Times | Wide,
        quantities: tuple[Quantity, ...],
        preamble: dict[str, str],
        above: list[str],
    ) -> tuple[int | None, str | None]:
        ranked = [
            (vocabulary.id_rank(name), -i, i)
            for i, name in enumerate(self.names)
            if i not in self.used and vocabulary.id_rank(name)
        ]
        column = max(ranked)[2] if ranked else None
        default = self.head.meter_id or _preamble_id(preamble) or _stacked_id(above)
        if column is None and default is None:
            if all(vocabulary.ID_AS_NAME.fullmatch(self.names[q.column]) for q in quantities):
                return None, None
            raise UnreadableFile(
                "The file names no meter (no column such as meter_id, EAN, MPRN or Zählpunkt); "
                "send meter_id with the upload."
            )
        return column, default

    def step(self, layout: Layout) -> timedelta | None:
        if isinstance(layout.time, Wide):
            starts = [start for _, start in layout.time.starts]
            return starts[1] - starts[0]
        from services.csv_reader.rows import sample_moments

        moments = sorted(set(sample_moments(layout, self.samples)))
        steps = Counter(b - a for a, b in pairwise(moments) if b > a)
        return steps.most_common(1)[0][0] if steps else None


def _preamble_id(preamble: dict[str, str]) -> str | None:
    """A Green Button or portal preamble's `Service`, else its account or meter number."""
    for key in ("service", "meter number", "meter id", "account number", "for"):
        if preamble.get(key):
            return preamble[key]
    return None


def _stacked_id(lines: list[str]) -> str | None:
    """A device serial given in a header row of its own above the names (SMA's third row)."""
    for line in lines[-8:]:
        cells = [cell.strip() for cell in cells_of(line, "," if "," in line else ";")]
        filled = [cell for cell in cells if cell]
        if len(filled) >= 2 and len(set(filled)) == 1 and re.fullmatch(r"\d{6,}", filled[0]):
            return filled[0]
    return None


@lru_cache(maxsize=1024)
def guarded_id(cell: str) -> str:
    """An id without the Excel guards exporters put around it."""
    found = GUARD.match(cell.strip())
    return found.group("id").strip() if found else cell.strip()


def _numeric(cell: str, decimal_comma: bool = False) -> bool:
    return _number(cell, decimal_comma) is not None


def _number(cell: str, decimal_comma: bool) -> float | None:
    try:
        return values.number(cell, decimal_comma)
    except (ValueError, values.Missing):
        return None


def relabelled(layout: Layout, row: list[str]) -> Layout | None:
    """The layout under a header that a block repeats further down, with its channels."""
    names = [folded(cell) for cell in row]
    if isinstance(layout.time, Wide) or len(names) < layout.width or not _could_be_header(names):
        return None
    if not says(names[layout.time.first], vocabulary.TIME_WORDS):
        return None
    if any(not names[q.column] or _numeric(row[q.column]) for q in layout.quantities):
        return None
    quantities = tuple(
        replace(q, channel=vocabulary.channel_of(names[q.column]), source=names[q.column])
        for q in layout.quantities
    )
    return replace(layout, header=tuple(names), quantities=quantities)
