"""Streaming reader for energy CSV files: the layouts of docs/csv-layouts.md.

`read_csv` checks the rules about the whole file, works out its layout from its head (or
takes the one a client gives), and yields batches of readings in UTC with every rejected row's
line. The generic layout goes through a hot loop of its own; everything else through rows
(`rows.py`) and series (`series.py`).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from itertools import chain, islice
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from services.csv_reader.column_map import ColumnMap, layout_from_map
from services.csv_reader.fast_path import fast_path_for
from services.csv_reader.file_checks import MAX_LINE_BYTES, UnreadableFile, check_whole_file
from services.csv_reader.layout import HEAD_LINES, Head, Layout, Wide, find_layout, relabelled
from services.csv_reader.nem import is_nem, nem_readings
from services.csv_reader.rows import Rejected, RowReader, moment_of
from services.csv_reader.series import Series
from services.csv_reader.vocabulary import KWH_PER_THERM, MISSING_VALUES, is_consumption
from storage.records import Reading

if TYPE_CHECKING:
    from _csv import Reader as CsvRows

__all__ = [
    "HEAD_BYTES",
    "KWH_PER_THERM",
    "Batch",
    "ColumnMap",
    "Reading",
    "RowError",
    "UnreadableFile",
    "is_consumption",
    "read_csv",
]

HEAD_BYTES = 64 * 1024
# The csv module's own bound on one cell; lines are bounded before any row is read.
csv.field_size_limit(MAX_LINE_BYTES)


class RowError(NamedTuple):
    line: int  # 1-based physical line of the original file
    error: str


class Batch(NamedTuple):
    readings: list[Reading]
    errors: list[RowError]  # rejected rows
    notices: list[RowError]  # about the file, not a row: a column that is not read


def read_csv(
    stream: BinaryIO,
    *,
    meter_id: str | None = None,
    timezone: tzinfo | None = None,
    batch_size: int = 5000,
    columns: ColumnMap | None = None,
) -> Iterator[Batch]:
    """Readings of a CSV file in batches of about batch_size rows (accepted and rejected).

    `stream` is a seekable binary file: it is read once through to check the rules about the
    whole file, then again for its rows. Raises UnreadableFile at once when the file cannot be
    read at all. `columns` names the columns of a layout no detector knows.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    check_whole_file(stream)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    lines = _head(text)
    if lines and is_nem(lines[0]):
        return _nem_batches(text, lines, batch_size)
    head = Head(lines, (meter_id or "").strip() or None, timezone)
    layout = layout_from_map(head, columns) if columns else find_layout(head)
    rows = csv.reader(chain(lines[layout.header_line :], text), delimiter=layout.delimiter)
    return _File(text, rows, layout, batch_size).batches()


def _head(text: io.TextIOWrapper) -> list[str]:
    lines: list[str] = []
    while len(lines) < HEAD_LINES and (line := text.readline(HEAD_BYTES)):
        lines.append(line)
    if not any(line.strip() for line in lines):
        raise UnreadableFile("The file has only blank lines.")
    return lines


def _nem_batches(text: io.TextIOWrapper, lines: list[str], size: int) -> Iterator[Batch]:
    batch = Batch([], [], [])
    try:
        for reading, notice in nem_readings(chain(lines, text)):
            if reading is not None:
                batch.readings.append(reading)
            elif notice is not None:
                batch.notices.append(RowError(0, notice))
            if len(batch.readings) >= size:
                yield batch
                batch = Batch([], [], [])
        if batch.readings or batch.notices:
            yield batch
    finally:
        text.detach()


@dataclass
class _File:
    text: io.TextIOWrapper
    rows: "CsvRows"
    layout: Layout
    size: int
    pushed_back: list[list[str]] = field(default_factory=list)
    data_seen: bool = False
    _last_row: list[str] = field(default_factory=list)  # the batch's last row read the general way

    def __post_init__(self) -> None:
        self.reader = RowReader(self.layout)
        self.series = Series(self.layout.zone, self.layout.step)
        self.fast = fast_path_for(self.layout)
        self.notices = [RowError(self.layout.header_line, n) for n in self.layout.notices]

    def batches(self) -> Iterator[Batch]:
        try:
            while True:
                lines_before = self.rows.line_num
                batch = self._batch()
                if batch.readings or batch.errors or batch.notices:
                    yield batch
                    self.notices = []
                if self.rows.line_num == lines_before and not self.pushed_back:
                    return
        finally:
            self.text.detach()  # the caller's stream stays open: closing it is theirs

    def _batch(self) -> Batch:
        readings: list[Reading] = []
        errors: list[RowError] = []
        try:
            count = self._read(readings, errors)
            if count >= self.size:
                self._finish_time(readings, errors)
        except csv.Error as problem:  # ends this batch early; the next resumes after the row
            errors.append(RowError(self._line(), f"The row cannot be read: {problem}."))
        readings.extend(self.series.drain())
        return Batch(readings, errors, self.notices)

    def _read(self, readings: list[Reading], errors: list[RowError]) -> int:
        rows = islice(chain(self.pushed_back, self.rows), self.size)
        self.pushed_back = []

        def general(row: list[str]) -> None:
            self.data_seen = self.data_seen or bool(readings)
            self._general(row, errors)

        if self.fast is not None:
            return self.fast.read(rows, readings, general)
        count = 0
        for row in rows:
            count += 1
            general(row)
        return count

    def _finish_time(self, readings: list[Reading], errors: list[RowError]) -> None:
        """Go on while rows share the last row's time: what they hold may be summed."""
        if self.fast is not None:
            return
        last = self.reader.time_key(self._last_row)
        for row in self.rows:
            if self.reader.time_key(row) != last:
                self.pushed_back.append(row)
                return
            self._general(row, errors)

    def _general(self, row: list[str], errors: list[RowError]) -> None:
        if not "".join(row).strip():
            return
        self._last_row = row
        try:
            for point in self.reader.points(row):
                self.series.add(point)
        except Rejected as rejection:
            if self._block_header(row) or _text_line(row) or self._stacked_header(row):
                return
            errors.append(RowError(_first_line(row, self._line()), str(rejection)))
        else:
            self.data_seen = True

    def _stacked_header(self, row: list[str]) -> bool:
        """Before the first data row, a row of words under each value column ("Analog",
        "[Wh]") is one more header row, not a data row."""
        if self.data_seen or isinstance(self.layout.time, Wide):
            return False
        try:
            moment_of(self.layout, row)
        except (Rejected, ValueError, IndexError):
            pass
        else:
            return False  # a row with a time is a data row, whatever its values
        cells = [
            row[q.column].strip() if q.column < len(row) else "" for q in self.layout.quantities
        ]
        return all(
            cell.lower() not in MISSING_VALUES and not any(char.isdigit() for char in cell)
            for cell in cells
        )

    def _block_header(self, row: list[str]) -> bool:
        """A header repeated further down starts a block; its names may change the channels."""
        relabel = relabelled(self.layout, row)
        if relabel is None:
            return False
        self.layout = relabel
        self.reader = RowReader(relabel)
        return True

    def _line(self) -> int:
        return self.layout.header_line + self.rows.line_num


def _text_line(row: list[str]) -> bool:
    """A line of words between blocks ("Data for period starting ..."): one cell of text."""
    filled = [cell for cell in row if cell.strip()]
    return len(filled) == 1 and not any(char.isdigit() for char in filled[0][:1])


def _first_line(row: list[str], last_line: int) -> int:
    """The line a row starts on: quoted cells may hold line breaks (CRLF, LF or CR)."""
    text = "".join(row)
    return last_line - (text.count("\n") + text.count("\r") - text.count("\r\n"))
