"""Columns judged by their values, for a file whose header words the vocabulary does not
know (or that has no header at all): a column of dates or date-times is a time (two of them a
from-to pair), a column of long digit strings or a repeated code is an id or an attribute,
columns of decimals are quantities. What was judged so is said in the layout's notices."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise

from services.csv_reader.columns import units, vocabulary
from services.csv_reader.columns.intervals import interval_columns
from services.csv_reader.columns.vocabulary import folded
from services.csv_reader.layout import Quantity, Times, Wide
from services.csv_reader.series import cells
from services.csv_reader.table.head import SAMPLE_ROWS, Head
from services.csv_reader.table.preamble import Preamble
from services.csv_reader.text.dialect import DELIMITERS, SPACES, cells_of

MOST = 0.75
RUN = 3  # data rows in a row that make the start of a table
MAX_HEADER_ROWS = 4
MONEY = re.compile(r"[€$£¥₩₹₽₺]|\b(eur|usd|gbp|chf|sek|nok|dkk|pln|czk|huf|try|rub|uah|jpy|krw)\b")
ID_CELL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:-]*")
# An identifier as software names a device or sensor: `sensor.house_energy`, `SZ_Haus`.
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[._:][A-Za-z0-9]+)+")


@dataclass
class Judged:
    """The roles of a table's columns as its values show them."""

    header_line: int  # 1-based; 0 when the file has no header row
    data_line: int  # 0-based index in the head of the first data row
    delimiter: str
    names: list[str]  # as written (joined over stacked header rows)
    time: Times | Wide
    meter_column: int | None
    quantities: list[Quantity]
    preamble: Preamble
    attributes: set[int] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)


class Undecided(Exception):
    """The values show a table, but not which of its columns to read; the sentence says why."""


def judge(head: Head) -> Judged | None:
    """The best table the head's values show, under any delimiter; None when none."""
    found = [table for d in _delimiters(head) if (table := _table(head, d)) is not None]
    if not found and head.forced_delimiter is None:
        found = [table] if (table := _table(head, SPACES)) is not None else []
    if not found:
        return None
    data_line, delimiter, rows = max(found, key=lambda t: (len(t[2]), len(t[2][0])))
    return _Columns(head, delimiter, data_line, rows).judged()


def _delimiters(head: Head) -> tuple[str, ...]:
    return (head.forced_delimiter,) if head.forced_delimiter else DELIMITERS


def _table(head: Head, delimiter: str) -> tuple[int, str, list[list[str]]] | None:
    """The first run of data rows under `delimiter`: where it starts, and its rows."""
    lines = head.lines
    for start, line in enumerate(head.searched):
        if _comment(line) or not _data_row(cells_of(line, delimiter)):
            continue
        rows = [_trimmed(cells_of(line, delimiter))]
        for later in lines[start + 1 :]:
            if not later.strip() or _comment(later):
                continue
            row = _trimmed(cells_of(later, delimiter))
            if len(row) > len(rows[0]) + 1 or len(row) < 2:
                break
            rows.append(row)
            if len(rows) >= SAMPLE_ROWS:
                break
        data = [row for row in rows if _data_row(row)]
        if len(data) >= min(RUN, len(rows)) and len(rows[0]) >= 2:
            start = _bad_rows_before(lines, start, delimiter, len(rows[0]))
            width = max(len(row) for row in rows)
            return start, delimiter, [row + [""] * (width - len(row)) for row in rows]
    return None


def _bad_rows_before(lines: list[str], start: int, delimiter: str, width: int) -> int:
    """Where the rows begin: rows with a time but no number just before the first data row
    are its bad rows, not a header."""
    while start > 0:
        row = _trimmed(cells_of(lines[start - 1], delimiter))
        if not lines[start - 1].strip() or _comment(lines[start - 1]) or abs(len(row) - width) > 1:
            break
        if not any(cells.timed(cell) for cell in row):
            break
        start -= 1
    return start


def _comment(line: str) -> bool:
    """A logger's comment line (`# from:;2025-01-14`): preamble, whatever it holds."""
    return line.lstrip("\ufeff ").startswith("#")


def _trimmed(row: list[str]) -> list[str]:
    while row and not row[-1].strip():
        row = row[:-1]
    return row


def _data_row(row: list[str]) -> bool:
    """A row with a time in one cell and a number in another."""
    timed = [i for i, cell in enumerate(row) if cells.timed(cell)]
    if not timed:
        return False
    return any(
        cells.any_number(cell) is not None and not cells.timed(cell)
        for i, cell in enumerate(row)
        if i not in timed
    )


class _Columns:
    def __init__(self, head: Head, delimiter: str, data_line: int, rows: list[list[str]]) -> None:
        self.head = head
        self.delimiter = delimiter
        self.data_line = data_line
        self.rows = rows
        self.width = len(rows[0])
        self.header_line, self.names = self._header()
        self.preamble = Preamble()
        for line in head.lines[: (self.header_line - 1 if self.header_line else data_line)]:
            if line.strip():
                self.preamble.remember(line)
        self.used: set[int] = set()
        self.attributes: set[int] = set()
        self.said: list[str] = []
        self.time_first: int | None = None

    def _header(self) -> tuple[int, list[str]]:
        """The textual rows right above the data (names, then a unit row), joined per column;
        none when the data starts the file or follows a blank line."""
        stack: list[tuple[int, list[str]]] = []
        for index in range(self.data_line - 1, -1, -1):
            line = self.head.lines[index]
            row = _trimmed(cells_of(line, self.delimiter))
            if not line.strip() or _comment(line):
                break
            if len(stack) == MAX_HEADER_ROWS or not self._textual(row):
                break
            stack.insert(0, (index, row))
        if not stack:
            return 0, [""] * self.width
        names = [
            " ".join(row[i].strip() for _, row in stack if i < len(row) and row[i].strip())
            for i in range(self.width)
        ]
        return stack[0][0] + 1, names

    def _textual(self, row: list[str]) -> bool:
        filled = [cell.strip() for cell in row if cell.strip()]
        if len(row) > self.width + 1 or len(filled) < min(2, self.width) or len(row) < 2:
            return False
        return not any(cells.timed(cell) or cells.any_number(cell) is not None for cell in filled)

    def column(self, index: int) -> list[str]:
        return [
            row[index].strip()
            for row in self.rows
            if index < len(row) and not cells.is_missing(row[index])
        ]

    def share(self, index: int, test: Callable[[str], object]) -> float:
        found = self.column(index)
        return sum(1 for cell in found if test(cell)) / len(found) if found else 0.0

    def judged(self) -> Judged | None:
        found = self._time()
        if found is None:
            return None
        wide = self._wide(found) if found.kind == "date" else None
        time: Times | Wide = wide or found
        units_at = self._unit_columns()
        meter = self._meter()
        quantities = self._interval_quantities(wide) if wide else self._quantities(units_at)
        if not quantities:
            return None
        notices = [self._notice(time, meter, quantities)]
        return Judged(
            header_line=self.header_line,
            data_line=self.data_line,
            delimiter=self.delimiter,
            names=self.names,
            time=time,
            meter_column=meter,
            quantities=quantities,
            preamble=self.preamble,
            attributes=self.attributes,
            notices=notices + self.said,
        )

    # time

    def _wide(self, date: Times) -> Wide | None:
        """A day's row of interval columns, named by their clocks or numbers."""
        names = [folded(name) if i not in self.used else "" for i, name in enumerate(self.names)]
        found = interval_columns(names)
        if found is None:
            return None
        starts, by_end = found
        self.used.update(i for i, _ in starts)
        return Wide(date.first, starts, by_end)

    def _interval_quantities(self, wide: Wide) -> list[Quantity]:
        unit = self.preamble.unit() or next(
            (u for name in self.names if (u := vocabulary.unit_in(folded(name)))), None
        )
        if unit is None:
            self.said.append("No unit is named for the interval columns; read as kWh.")
        scale, kind = units.scale_of(unit or "kwh")
        label = units.label(unit or "kwh")
        return [Quantity(i, "", kind, scale, "", unit=label) for i, _ in wide.starts]

    def _time(self) -> Times | None:
        free = range(self.width)
        moments = [i for i in free if self.share(i, _moment_with_clock) >= MOST]
        varying = [i for i in moments if not self._constant(i)]
        moments = varying or moments
        if moments:
            return self._taken(Times("moment", moments[0], end_columns=tuple(moments[1:2])))
        dates = [i for i in free if self.share(i, cells.looks_like_moment) >= MOST]
        clocks = [
            i for i in free if i not in dates and self.share(i, cells.looks_like_clock) >= MOST
        ]
        if dates and clocks:
            return self._taken(
                Times("date_time", dates[0], clocks[0], end_columns=tuple(clocks[1:2]))
            )
        epochs = [
            i for i in free if self.share(i, cells.is_epoch) >= MOST and not self._constant(i)
        ]
        if epochs:
            return self._taken(Times("epoch", epochs[0]))
        if dates:
            numbers = [i for i in free if i != dates[0] and self._counts_per_day(dates[0], i)]
            if numbers:
                return self._taken(Times("date_number", dates[0], numbers[0]))
            return self._taken(Times("date", dates[0]))
        ranges = [i for i in free if self.share(i, lambda c: cells.is_range(c, True)) >= MOST]
        return self._taken(Times("range", ranges[0])) if ranges else None

    def _taken(self, time: Times) -> Times:
        self.time_first = time.first
        self.used.update(i for i in (time.first, time.second, *time.end_columns) if i is not None)
        for i in range(self.width):  # the same time written again another way: not a quantity
            if i not in self.used and self.share(i, _time_like) >= MOST:
                self.used.add(i)
                self.attributes.add(i)
        return time

    def _constant(self, index: int) -> bool:
        found = self.column(index)
        return len(found) >= 3 and len(set(found)) == 1

    def _counts_per_day(self, date: int, index: int) -> bool:
        """Interval numbers: small integers that count 1, 2, 3... within each date."""
        pairs = [
            (row[date].strip(), row[index].strip())
            for row in self.rows
            if index < len(row) and row[index].strip().isdigit()
        ]
        if len(pairs) < 3:
            return False
        steps = sum(
            1
            for (day_a, a), (day_b, b) in pairwise(pairs)
            if day_a == day_b and int(b) == int(a) + 1
        )
        return steps >= MOST * (len(pairs) - len({day for day, _ in pairs})) and all(
            1 <= int(n) <= 100 for _, n in pairs
        )

    # meters, units and attributes

    def _unit_columns(self) -> dict[int, int]:
        """Unit columns, each for the value column nearest to its left (else right)."""
        found = [
            i
            for i in range(self.width)
            if i not in self.used and self.share(i, units.is_unit_cell) >= MOST
        ]
        self.used.update(found)
        return {i: i for i in found}

    def _meter(self) -> int | None:
        """The id column: id-shaped cells (long digit strings, codes with digits) that repeat,
        or that differ between rows of one time (meters interleaved). Other repeated text
        (a quality flag, a type) is an attribute."""
        candidates = []
        for i in range(self.width):
            found = self.column(i)
            if i in self.used or not found or _numbers_not_ids(found):
                continue
            distinct = set(found)
            if len(distinct) > max(1, len(found) // 3) and not self._times_repeat():
                continue
            self.attributes.add(i)
            self.used.add(i)
            if all(_id_shaped(cell) for cell in distinct):
                digits = all(any(c.isdigit() for c in cell) for cell in distinct)
                candidates.append((digits, len(distinct), min(len(c) for c in distinct), -i, i))
        if not candidates:
            return None
        meter = max(candidates)[-1]
        self.attributes.discard(meter)
        return meter

    def _times_repeat(self) -> bool:
        found = self.column(self.time_first) if self.time_first is not None else []
        return len(set(found)) < len(found)

    # quantities

    def _quantities(self, unit_columns: dict[int, int]) -> list[Quantity]:
        numeric = [
            i
            for i in range(self.width)
            if i not in self.used
            and self.share(i, _is_number) >= 0.5
            and not self.share(i, lambda cell: cell.isdigit() and len(cell) >= 12) >= MOST
        ]
        numeric = [
            i
            for i in numeric
            if not MONEY.search(self.names[i].casefold())
            and not vocabulary.says(folded(self.names[i]), vocabulary.IGNORED_COLUMNS)
            and not vocabulary.says(folded(self.names[i]), vocabulary.NOT_ACTIVE)
        ]
        codes = [i for i in numeric if self._code(i)]
        if len(codes) < len(numeric):
            self.attributes.update(codes)
            numeric = [i for i in numeric if i not in codes]
        named = [i for i in numeric if vocabulary.unit_in(folded(self.names[i]))]
        if named and len(named) < len(numeric):
            for i in set(numeric) - set(named):
                self.attributes.add(i)
            numeric = named
        if len(numeric) > 1 and not self._named_by_codes(numeric):
            listed = ", ".join(repr(self._name(i)) for i in numeric)
            raise Undecided(
                f"The header's words are not ones the reader knows, and the values show "
                f"several quantities ({listed}) without saying which is which; send a column "
                "mapping naming the one to read."
            )
        found = [self._quantity(i, unit_columns) for i in numeric]
        if len(found) > 1:  # one meter a column, each named by its code
            found = [replace(q, meter=self.names[q.column].strip()) for q in found]
        return found

    def _named_by_codes(self, columns: list[int]) -> bool:
        """Value columns named by codes (`MT_001`, `Meter 2`, a serial), one meter each."""
        names = [self.names[i].strip() for i in columns]
        return len(set(names)) == len(names) and all(
            name and ID_CELL.fullmatch(name) and any(char.isdigit() for char in name)
            for name in names
        )

    def _code(self, index: int) -> bool:
        """A status or quality code: a few small integers, repeated."""
        found = self.column(index)
        return (
            len(found) >= 8
            and all(re.fullmatch(r"-?\d{1,3}", cell) for cell in found)
            and len(set(found)) <= 3
        )

    def _quantity(self, index: int, unit_columns: dict[int, int]) -> Quantity:
        name = folded(self.names[index])
        unit = vocabulary.unit_in(name) or self.preamble.unit()
        unit_column = None if unit else _nearest(index, list(unit_columns))
        if unit is None and unit_column is None:
            self.said.append(
                f"No unit is named for {self._name(index)!r}; its values are read as kWh."
            )
        scale, kind = units.scale_of(unit or "kwh")
        return Quantity(
            column=index,
            channel=vocabulary.channel_of(name),
            kind=kind,
            scale=None if unit_column is not None else scale,
            source=name,
            unit=units.label(unit or "kwh") if unit_column is None else "per row",
            unit_column=unit_column,
            kind_open=kind == "energy",
        )

    def _name(self, index: int) -> str:
        return self.names[index].strip() or f"column {index + 1}"

    def _notice(self, time: Times | Wide, meter: int | None, quantities: list[Quantity]) -> str:
        if isinstance(time, Wide):
            what = {time.date: "dates, a row a day"}
            what.update({q.column: f"intervals of the day ({q.unit})" for q in quantities[:1]})
            return self._judged_as(what, meter)
        what = {time.first: "dates and times" if time.kind == "moment" else "dates"}
        if time.second is not None:
            what[time.second] = "times of day" if time.kind == "date_time" else "interval numbers"
        if time.kind == "epoch":
            what[time.first] = "epoch seconds"
        for end in time.end_columns:
            what[end] = "the ends of the intervals"
        if meter is not None:
            what[meter] = "the meter id"
        for quantity in quantities:
            what[quantity.column] = f"the values ({quantity.unit})"
        return self._judged_as(what, meter)

    def _judged_as(self, what: dict[int, str], meter: int | None) -> str:
        if meter is not None:
            what[meter] = "the meter id"
        judged = "; ".join(f"{self._name(i)!r} holds {what[i]}" for i in sorted(what))
        header = (
            "The file has no header row"
            if not self.header_line
            else ("The header's words are not ones the reader knows")
        )
        return f"{header}, so its columns were judged by their values: {judged}."


def _clock(cell: str) -> bool:
    return cells.looks_like_clock(cell) or cells.is_compact_clock(cell)


def _time_like(cell: str) -> bool:
    return cells.timed(cell) or cells.looks_like_clock(cell) or cells.is_compact_clock(cell)


def _moment_with_clock(cell: str) -> bool:
    return cells.looks_like_moment(cell) and cells.has_clock(cell)


def _nearest(index: int, columns: list[int]) -> int | None:
    """The unit column of a value column: the first to its right, else the last to its left."""
    after = [i for i in columns if i > index]
    before = [i for i in columns if i < index]
    return min(after) if after else (max(before) if before else None)


def _id_shaped(cell: str) -> bool:
    """An id: a code with digits (`MAC000246`, an EAN) or a software identifier."""
    return bool(
        (ID_CELL.fullmatch(cell) and any(char.isdigit() for char in cell))
        or IDENTIFIER.fullmatch(cell)
    )


def _numbers_not_ids(found: list[str]) -> bool:
    """Cells that are numbers, unless they are long digit strings (an EAN, a serial)."""
    if all(cell.isdigit() and len(cell) >= 6 for cell in found):
        return False
    return sum(1 for cell in found if cells.any_number(cell) is not None) >= 0.5 * len(found)


def _is_number(cell: str) -> bool:
    return cells.any_number(cell) is not None
