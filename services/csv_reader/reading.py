"""One file through the stages: bytes to text, the table and its columns from the head, the
evidence of every row, then the rows again as readings in batches."""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta, tzinfo
from itertools import chain, islice
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from services.csv_reader.errors import NotRead, Rejected, RowError, UnreadableFile
from services.csv_reader.evidence.gather import answers, gather, questions_for
from services.csv_reader.evidence.questions import DateOrderQuestion, StepQuestion
from services.csv_reader.evidence.settle import settled
from services.csv_reader.families import nem
from services.csv_reader.families.mapped import ColumnMap, layout_from_map
from services.csv_reader.layout import Layout, Times, Wide
from services.csv_reader.report import LayoutReport, partial, report_of
from services.csv_reader.series import cells
from services.csv_reader.series.cells import DateOrder
from services.csv_reader.series.fast_path import fast_path_for
from services.csv_reader.series.points import Point, RowReader, moment_of
from services.csv_reader.series.readings import Reading
from services.csv_reader.series.series import Series
from services.csv_reader.table import blocks, footer
from services.csv_reader.table.head import Head, read_head
from services.csv_reader.table.header import find_layout
from services.csv_reader.text.dialect import cells_of, rows_of
from services.csv_reader.text.encoding import Encoding, examine
from services.csv_reader.text.lines import MAX_LINE_BYTES, collapsed, open_text

if TYPE_CHECKING:
    from _csv import Reader as CsvRows

# The csv module's own bound on one cell; lines are bounded before any row is read.
csv.field_size_limit(MAX_LINE_BYTES)


class Batch(NamedTuple):
    readings: list[Reading]
    errors: list[RowError]  # rejected rows and cells


def read_csv(
    stream: BinaryIO,
    *,
    meter_id: str | None = None,
    timezone: tzinfo | None = None,
    batch_size: int = 5000,
    columns: ColumnMap | None = None,
    pause: Callable[[], None] | None = None,
) -> "CsvFile":
    """The file's layout, decided over the whole file, and its readings in batches.

    `stream` is a seekable binary file: it is read through once for its encoding and once
    for the evidence of its rows before the first batch, then again for the batches. Raises
    UnreadableFile at once when the file cannot be read at all. `columns` names the columns
    of a layout no family knows. `pause` is called now and then while the rows are searched
    for evidence, for a caller that lets other work go first.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    encoding = examine(stream)
    lines = _lines(stream, encoding)
    head = read_head(lines, (meter_id or "").strip() or None, timezone, encoding.name)
    first = next(line for line in head.lines if line.strip())
    family = nem.claims(first)
    if family is not None:
        _detach(lines)
        return NemFile(stream, encoding, family, batch_size)
    try:
        layout = layout_from_map(head, columns) if columns else find_layout(head)
        layout = _with_evidence(layout, head, lines, lambda: _lines(stream, encoding), pause)
    except UnreadableFile as error:
        if error.layout is None:
            error.layout = partial(encoding.name, None, None, [])
        raise
    finally:
        _detach(lines)
    return TableFile(stream, encoding, layout, batch_size)


def _lines(stream: BinaryIO, encoding: Encoding) -> Iterator[str]:
    text = open_text(stream, encoding.codec)
    return _Lines(text, collapsed(iter(text)) if encoding.crcrlf else iter(text))


class _Lines(Iterator[str]):
    """Decoded lines, with the text wrapper they come from (detached when done with)."""

    def __init__(self, text: "object", lines: Iterator[str]) -> None:
        self.text = text
        self._lines = lines

    def __next__(self) -> str:
        return next(self._lines)


def _detach(lines: Iterator[str]) -> None:
    if isinstance(lines, _Lines):
        lines.text.detach()  # type: ignore[attr-defined]  # the caller's stream stays open


def _with_evidence(
    layout: Layout,
    head: Head,
    rest: Iterator[str],
    again: Callable[[], Iterator[str]],
    pause: Callable[[], None] | None,
) -> Layout:
    """The layout settled by every row of the file (the head's and the rest)."""
    provisional = replace(layout, date_order=_first_order(layout, head))
    rows = _readable(rows_of(chain(head.lines[layout.first_row :], rest), layout.delimiter))
    needs_step = _needs_step(layout)
    asked = questions_for(provisional, needs_step, _aware(provisional, head))
    zone = str(head.zone) if head.zone else None
    final = settled(provisional, answers(gather(rows, asked, provisional, pause)), zone)
    if needs_step and final.date_order != provisional.date_order:
        final = replace(final, step=_step_again(final, again()))
    return final


def _aware(layout: Layout, head: Head) -> bool:
    """Whether the first data row's stamp carries its offset (or Z)."""
    first = next((line for line in head.lines[layout.first_row :] if line.strip()), "")
    if not isinstance(layout.time, Times) or not first:
        return False
    try:
        return moment_of(layout, cells_of(first, layout.delimiter))[0].tzinfo is not None
    except (Rejected, ValueError, cells.Missing, IndexError, OverflowError):
        return False


def _readable(rows: "CsvRows") -> Iterator[list[str]]:
    """The rows the csv module can read: one it cannot is the read pass's to report."""
    while True:
        try:
            yield next(rows)
        except StopIteration:
            return
        except csv.Error:
            continue


def _first_order(layout: Layout, head: Head) -> DateOrder | None:
    """Day or month first as far as the head tells, for reading times before the file has."""
    time = layout.time
    column = time.date if isinstance(time, Wide) else time.first
    question = DateOrderQuestion(column)
    for row in _readable(rows_of(head.lines[layout.first_row :], layout.delimiter)):
        question.observe(row)
    order, _ = question.answer()
    if order is None and question.ambiguous:
        order = cells.habitual_order(
            layout.delimiter == ";", False, str(head.zone) if head.zone else None
        )
    return order


def _needs_step(layout: Layout) -> bool:
    """Whether values depend on the interval as the names say: average power, interval ends.
    (A row's unit may say power too: then the interval is the clear majority of the first
    thousands of steps, as for the report.)"""
    time = layout.time
    return isinstance(time, Times) and (
        time.at_end or any(q.kind == "power" for q in layout.candidates)
    )


def _step_again(layout: Layout, lines: Iterator[str]) -> timedelta | None:
    """The interval counted again, once day or month first turned out the other way round."""
    try:
        rows = _readable(rows_of(islice(lines, layout.first_row, None), layout.delimiter))
        series = tuple(i for i in (layout.meter_column, layout.type_column) if i is not None)
        question = StepQuestion(layout, series, needed=True)
        for row in rows:
            question.observe(row)
        return question.answer()
    finally:
        _detach(lines)


@dataclass
class TableFile:
    """A file of rows under a header: its batches, and its layout as it was read."""

    stream: BinaryIO
    encoding: Encoding
    layout: Layout
    size: int
    _footer: list[int] = field(default_factory=list)
    _leading: list[int] = field(default_factory=list)
    _not_read: dict[str, list[int]] = field(default_factory=dict)

    @property
    def report(self) -> LayoutReport:
        said = [footer.leading_notice(self._leading)] if self._leading else []
        said += [footer.notice(self._footer)] if self._footer else []
        said += [_not_read_notice(what, lines) for what, lines in self._not_read.items()]
        return report_of(self.layout, tuple(said))

    def __iter__(self) -> Iterator[Batch]:
        lines = _lines(self.stream, self.encoding)
        try:
            head = list(islice(lines, self.layout.first_row))
            if len(head) < self.layout.first_row:
                return
            rows = rows_of(lines, self.layout.delimiter)
            yield from _Rows(
                self.layout, rows, self.size, self._footer, self._leading, self._not_read
            ).batches()
        finally:
            _detach(lines)


@dataclass
class _Rows:
    layout: Layout
    rows: "CsvRows"
    size: int
    footer: list[int]  # lines found to be the footer, once the file has ended
    leading: list[int]  # rows without a time above the first reading (a summary, a title)
    not_read: dict[str, list[int]]  # lines of what is not read (water, a gas volume), by what
    pushed_back: list[list[str]] = field(default_factory=list)
    data_seen: bool = False
    before: list[RowError] = field(default_factory=list)  # such rows above the first reading
    held: list[RowError] = field(default_factory=list)  # rows that may be the footer
    _held_at: int = 0  # readings of the batch when a row was last held
    _last_row: list[str] = field(default_factory=list)  # the batch's last row read the general way

    def __post_init__(self) -> None:
        self.reader = RowReader(self.layout)
        self.series = Series(self.layout.zone, self.layout.step, self.layout.newest_first)
        self.fast = fast_path_for(self.layout)
        self.is_footer = footer.judge(self.layout)

    def batches(self) -> Iterator[Batch]:
        while True:
            lines_before = self.rows.line_num
            batch = self._batch()
            if batch.readings or batch.errors:
                yield batch
            if self.rows.line_num == lines_before and not self.pushed_back:
                break
        if not self.data_seen:  # nothing but such rows: they are the file's bad rows
            if self.before or self.held:
                yield Batch([], [*self.before, *self.held])
            return
        self.leading.extend(row.line for row in self.before)
        self.footer.extend(held.line for held in self.held)

    def _batch(self) -> Batch:
        readings: list[Reading] = []
        errors: list[RowError] = []
        try:
            count = self._read(readings, errors)
            if count >= self.size:
                self._finish_time(errors)
        except csv.Error as problem:  # ends this batch early; the next resumes after the row
            errors.append(RowError(self._line(), f"The row cannot be read: {problem}."))
        readings.extend(self.series.drain())
        return Batch(readings, errors)

    def _read(self, readings: list[Reading], errors: list[RowError]) -> int:
        rows = islice(chain(self.pushed_back, self.rows), self.size)
        self.pushed_back = []
        self._held_at = 0
        if self.fast is None:
            count = 0
            for row in rows:
                count += 1
                self._general(row, errors, readings)
            return count
        count = self.fast.read(rows, readings, lambda row: self._general(row, errors, readings))
        if readings:
            self.data_seen = True
            if self.held and len(readings) > self._held_at:  # plain rows came after them
                self._release(errors)
        return count

    def _finish_time(self, errors: list[RowError]) -> None:
        """Go on while rows share the last row's time: what they hold may be summed."""
        if self.fast is not None:
            return
        last = self.reader.time_key(self._last_row)
        for row in self.rows:
            if self.reader.time_key(row) != last:
                self.pushed_back.append(row)
                return
            self._general(row, errors, [])

    def _general(self, row: list[str], errors: list[RowError], readings: list[Reading]) -> None:
        if not "".join(row).strip():
            return
        self.data_seen = self.data_seen or bool(readings)  # the fast path's rows before it
        self._last_row = row
        problems: list[str] = []
        try:
            points = self.reader.points(row, problems)
            self._add(points, problems)
        except Rejected as rejection:
            self._rejected(row, RowError(_first_line(row, self._line()), str(rejection)), errors)
            self._held_at = len(readings)
            return
        except NotRead as what:
            self.not_read.setdefault(str(what), []).append(_first_line(row, self._line()))
            return
        if self.held:
            self._release(errors)
        if problems:
            line = _first_line(row, self._line())
            errors.extend(RowError(line, problem) for problem in problems)
        self.data_seen = True

    def _add(self, points: list[Point], problems: list[str]) -> None:
        """A point the series refuses costs that reading only; a row none of whose points
        it takes is rejected whole."""
        refused: list[str] = []
        taken = 0
        for point in points:
            try:
                self.series.add(point)
                taken += 1
            except Rejected as rejection:
                if str(rejection) not in refused:
                    refused.append(str(rejection))
        if refused and not taken and not problems:
            raise Rejected(refused[0] if len(refused) == 1 else " ".join(refused))
        problems.extend(refused)

    def _rejected(self, row: list[str], error: RowError, errors: list[RowError]) -> None:
        """A row with no reading: a row of words, a summary above the data, a possible
        footer (held until the rows after it say), or a bad row."""
        if self._not_data(row):
            return
        if self.is_footer(row):
            (self.held if self.data_seen else self.before).append(error)
            return
        self._release(errors)
        errors.append(error)

    def _release(self, errors: list[RowError]) -> None:
        """Rows held back as a possible footer were bad rows among the data after all."""
        errors.extend(self.held)
        self.held = []

    def _not_data(self, row: list[str]) -> bool:
        if self._block_header(row) or blocks.text_line(row):
            return True
        return (
            not self.data_seen
            and not _has_time(self.layout, row)
            and blocks.stacked_header(self.layout, row)
        )

    def _block_header(self, row: list[str]) -> bool:
        """A header repeated further down starts a block; its names may change the channels."""
        relabel = blocks.relabelled(self.layout, row)
        if relabel is None:
            return False
        self.layout = relabel
        self.reader = RowReader(relabel)
        return True

    def _line(self) -> int:
        return self.layout.first_row + self.rows.line_num


def _not_read_notice(what: str, lines: list[int]) -> str:
    rows = f"{len(lines)} rows hold" if len(lines) > 1 else "1 row holds"
    return f"{rows} {what}, which is not read (the first on line {lines[0]})."


def _has_time(layout: Layout, row: list[str]) -> bool:
    if isinstance(layout.time, Wide):
        return True
    try:
        moment_of(layout, row)
    except (Rejected, ValueError, IndexError, cells.Missing):
        return False
    return True


def _first_line(row: list[str], last_line: int) -> int:
    """The line a row starts on: quoted cells may hold line breaks (CRLF, LF or CR)."""
    text = "".join(row)
    return last_line - (text.count("\n") + text.count("\r") - text.count("\r\n"))


@dataclass
class NemFile:
    """A NEM12 or NEM13 file: records, read by the NEM reader library."""

    stream: BinaryIO
    encoding: Encoding
    family: str
    size: int
    _notices: list[str] = field(default_factory=list)
    _minutes: set[int] = field(default_factory=set)

    @property
    def report(self) -> LayoutReport:
        return LayoutReport(
            family=self.family,  # type: ignore[arg-type]
            encoding=self.encoding.name,
            delimiter=",",
            decimal=".",
            header_line=1,
            date_order="ymd",
            timezone="UTC+10:00",
            timezone_source="file",
            timestamps="start",
            interval_minutes=min(self._minutes) if self._minutes else None,
            notices=tuple(self._notices),
        )

    def __iter__(self) -> Iterator[Batch]:
        lines = _lines(self.stream, self.encoding)
        try:
            first = next(lines, "")
            missing = nem.without_header(first)
            records: list[str] = [first]
            if missing is not None:
                header, notice = missing
                self._notices.append(notice)
                records.insert(0, header)
            yield from self._batches(chain(records, lines))
        finally:
            _detach(lines)

    def _batches(self, lines: Iterator[str]) -> Iterator[Batch]:
        batch = Batch([], [])
        for reading, notice, minutes in nem.readings(lines):
            if reading is not None:
                batch.readings.append(reading)
                if minutes:
                    self._minutes.add(minutes)
            elif notice is not None:
                self._notices.append(notice)
            if len(batch.readings) >= self.size:
                yield batch
                batch = Batch([], [])
        if batch.readings:
            yield batch


CsvFile = TableFile | NemFile
