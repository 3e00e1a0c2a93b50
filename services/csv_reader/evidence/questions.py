"""Questions about a file that only its rows can answer, each asked of every row until a row
settles it: the decimal mark of a value column, day or month first, whether a column is a
register, the interval, whether stamps sit a second before their intervals' ends. A question
that no row settles is answered at the end of the file by what its rows showed, most often."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from services.csv_reader.columns import units
from services.csv_reader.errors import Rejected
from services.csv_reader.layout import Layout, Times
from services.csv_reader.series import cells
from services.csv_reader.series.cells import DateOrder, Decimal, Missing
from services.csv_reader.series.points import guarded_id, moment_of
from services.csv_reader.series.series import RESET_SHARE

# A step that holds this share of at least this many intervals is the file's, whatever follows:
# for the report, and (stricter) where values depend on it (power, interval ends).
CLEAR_STEP = {False: (0.9, 2_000), True: (0.99, 10_000)}
REGULAR_SHARE = 0.9
CLOCK = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?")
ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?")


class Question:
    settled = False

    def observe(self, row: list[str]) -> None:
        raise NotImplementedError


class DecimalMark(Question):
    """The decimal mark of value columns: a cell with both marks, or one that cannot be a
    thousands group (`0,219`, `1.5`, `1234,56`), settles it."""

    def __init__(self, columns: tuple[int, ...], default: Decimal) -> None:
        self.columns = columns
        self.default = default
        self.mark: Decimal | None = None
        self.ambiguous: set[Decimal] = set()

    def observe(self, row: list[str]) -> None:
        for column in self.columns:
            if column < len(row) and not self.settled:
                self._judge(row[column])

    def _judge(self, cell: str) -> None:
        comma, point = "," in cell, "." in cell
        if not comma and not point:
            return
        text = cell.strip().lstrip("+-")
        if comma and point:
            self._settle("," if text.rfind(",") > text.rfind(".") else ".")
            return
        mark: Decimal = "," if comma else "."
        head, *groups = text.split(mark)
        if not (head == "" or head.isdigit()) or not all(g.isdigit() for g in groups):
            return  # no number: its column's other cells tell
        if len(groups) > 1:  # `1.234.567`: the mark groups thousands, so the other is decimal
            if 1 <= len(head) <= 3 and all(len(group) == 3 for group in groups):
                self._settle("," if mark == "." else ".")
        elif len(groups[0]) == 3 and head not in ("", "0") and len(head) <= 3:
            self.ambiguous.add(mark)  # `1.234` may be 1234 or 1.234
        else:
            self._settle(mark)

    def _settle(self, mark: Decimal) -> None:
        self.mark = mark
        self.settled = True

    def answer(self) -> Decimal:
        if self.mark is not None:
            return self.mark
        if self.ambiguous == {","}:
            return "," if self.default == "," else "."
        if self.ambiguous == {"."}:
            return "."  # a dot is a thousands group only where a value shows it cannot be a mark
        return self.default


class DateOrderQuestion(Question):
    """Day or month first: a date whose first or second number is above 12 settles it. Until
    one does, the days from one date to the next are counted each way round: dates a day
    apart read one way and a month apart the other tell which way is right."""

    def __init__(self, column: int) -> None:
        self.column = column
        self.order: DateOrder | None = None
        self.votes: Counter[DateOrder] = Counter()
        self.sequence: Counter[DateOrder] = Counter()
        self.ambiguous = False  # a day-month date that no value told apart was seen
        self._previous: str | None = None

    def observe(self, row: list[str]) -> None:
        if self.column >= len(row):
            return
        cell = row[self.column]
        parts = cells.date_parts(cell)
        if parts is None:
            if cells.looks_like_moment(cell):
                self.order, self.settled = "ymd", True
            return
        first, second, date = parts
        if date == self._previous:
            return
        if first > 12 >= second:
            self.order, self.settled = "dmy", True
        elif second > 12 >= first:
            self.order, self.settled = "mdy", True
        else:
            self.ambiguous = True
            if self._previous is not None:
                self._count_sequence(self._previous, date)
        self._previous = date

    def _count_sequence(self, before: str, after: str) -> None:
        for order, day_first in (("dmy", True), ("mdy", False)):
            try:
                gap = cells.moment(after, day_first) - cells.moment(before, day_first)
            except (ValueError, Missing):
                continue
            if abs(gap) == timedelta(days=1):
                self.sequence[order] += 1  # type: ignore[index]

    def answer(self) -> tuple[DateOrder | None, bool]:
        """The order, and whether only the sequence of dates told it."""
        if self.order is not None:
            return self.order, False
        dmy, mdy = self.sequence["dmy"], self.sequence["mdy"]
        if max(dmy, mdy) >= 2 and min(dmy, mdy) == 0:
            return ("dmy" if dmy else "mdy"), True
        return None, False


class _Register:
    """What one column's values showed so far, in the file's order (newest first files fall)."""

    def __init__(self) -> None:
        self.last: dict[object, float] = {}
        self.count: Counter[object] = Counter()
        self.ups = self.downs = 0  # moves other than restarts
        self.small_ups = self.small_downs = 0  # of them, those small beside the value (dips)
        self.restarts_up = self.restarts_down = 0  # to near zero, as the file runs or backwards
        self.smallest = float("inf")
        self.largest_step = 0.0

    def see(self, before: float, value: float) -> None:
        small = abs(value - before) <= DIP_SHARE * abs(before)
        if value > before:
            if value > 0 and 0 <= before <= RESET_SHARE * value:
                self.restarts_down += 1
            else:
                self.ups += 1
                self.small_ups += small
        elif before > 0 and 0 <= value <= RESET_SHARE * before:
            self.restarts_up += 1
        else:
            self.downs += 1
            self.small_downs += small
        self.largest_step = max(self.largest_step, abs(value - before))

    @property
    def ruled_out(self) -> bool:
        """Moves both ways, but for a few small dips against its way (a meter's glitch)."""
        against, small = (
            (self.ups, self.small_ups) if self.falls() else (self.downs, self.small_downs)
        )
        return bool(against) and (small < against or against > max(2, self.moves()[0] // 100))

    def falls(self) -> bool:
        """Whether it runs down in file order (a register of a file newest first)."""
        return self.downs > self.ups

    def moves(self) -> tuple[int, int]:
        """Its steady moves and its restarts, in the direction it runs."""
        if self.falls():
            return self.downs + self.restarts_up, self.restarts_down
        return self.ups + self.restarts_down, self.restarts_up


# A step against a register's way this small beside its value is a dip (a glitch), not a
# sign that it is interval energy: the row is refused when it is read.
DIP_SHARE = 0.01
# Steps that only ever rise, this many, are a register whatever their size: interval energy
# never rises so steadily over a whole file (a young meter, a register starting at 0).
STEADY_RISES = 6


class RegisterQuestion(Question):
    """Whether value columns whose names say nothing are registers: per series, a register's
    values only rise (but for restarts near zero). A fall settles that a column is not one.
    One question for all such columns, asked once a row."""

    def __init__(self, columns: tuple[int, ...], series_columns: tuple[int, ...]) -> None:
        self.columns = columns
        self._series = series_columns
        self._open = {column: _Register() for column in columns}
        self._judged = dict(self._open)

    def observe(self, row: list[str]) -> None:
        key = tuple(row[i] if i < len(row) else "" for i in self._series) if self._series else ""
        for column, seen in list(self._open.items()):
            if column < len(row):
                self._see(column, seen, row[column], key)

    def _see(self, column: int, seen: _Register, cell: str, key: object) -> None:
        try:
            value = float(cell)  # the common case; any notation below
        except ValueError:
            found = cells.any_number(cell)
            if found is None:
                return
            value = found
        seen.count[key] += 1
        seen.smallest = min(seen.smallest, abs(value))
        before = seen.last.get(key)
        seen.last[key] = value
        if before is None or value == before:
            return
        seen.see(before, value)
        if seen.ruled_out:
            del self._open[column]
            self.settled = not self._open

    def answer(self, newest_first: bool = False) -> dict[int, str]:
        """Per column: `register`; `rising` or `still` for one that only rose a little or
        never moved (a register only beside another register); or `energy`. One column
        still over several readings while another only rises are registers both: interval
        energy is neither. A register rises in time: in file order it falls only in a file
        that runs newest first."""
        verdicts = {
            column: _verdict(seen)
            if seen.falls() == newest_first or not seen.moves()[0]
            else "energy"
            for column, seen in self._judged.items()
        }
        still = any(_long_still(self._judged[c]) for c, v in verdicts.items() if v == "still")
        rising = [c for c, v in verdicts.items() if v == "rising" and _rose(self._judged[c])]
        if still and rising:
            return {c: "register" if v in ("still", "rising") else v for c, v in verdicts.items()}
        return verdicts


def _long_still(seen: _Register) -> bool:
    return max(seen.count.values(), default=0) >= 4


def _rose(seen: _Register) -> bool:
    return seen.moves()[0] >= 3


def _verdict(seen: _Register) -> str:
    readings = max(seen.count.values(), default=0)
    if seen.ruled_out or not readings:
        return "energy"
    steady, restarts = seen.moves()
    if not steady:
        return "still" if seen.smallest > 0 and readings >= 2 and not restarts else "energy"
    if restarts:
        return "register" if steady >= max(STEADY_RISES, 3 * restarts) else "energy"
    small_steps = seen.largest_step * 10 < seen.smallest and readings >= 3
    return "register" if steady >= STEADY_RISES or small_steps else "rising"


class Signs(Question):
    """Whether a column of a direction (export, generation) writes it as negative numbers:
    a positive value in it settles that it does not."""

    def __init__(self, column: int) -> None:
        self.column = column
        self.negative = False

    def observe(self, row: list[str]) -> None:
        if self.column >= len(row):
            return
        value = cells.any_number(row[self.column])
        if value is not None and value > 0:
            self.settled = True
        elif value is not None and value < 0:
            self.negative = True

    def answer(self) -> bool:
        """Whether every value that is not zero is negative."""
        return self.negative and not self.settled


class GasMeters(Question):
    """The meters whose rows give a volume in the unit column (`m³`): gas meters, whose rows
    in kWh are gas too (Fluvius, Liander). Asked of every row: one row tells."""

    def __init__(self, unit_column: int, meter_column: int | None) -> None:
        self._unit = unit_column
        self._meter = meter_column
        self.meters: set[str] = set()

    def observe(self, row: list[str]) -> None:
        if self._unit < len(row) and units.is_volume(row[self._unit]):
            meter = self._meter
            self.meters.add(
                guarded_id(row[meter]) if meter is not None and meter < len(row) else ""
            )


class StepQuestion(Question):
    """The file's interval: the most common step between one series' consecutive times.

    A clear majority of enough steps settles it early: a stricter one where values depend
    on it (`needed`: power, interval ends) than where it is only reported."""

    def __init__(self, layout: Layout, series_columns: tuple[int, ...], needed: bool) -> None:
        self.layout = layout
        self.series_columns = series_columns
        self.needed = needed
        self.steps: Counter[timedelta] = Counter()
        self._last: dict[tuple[str, ...], datetime] = {}
        self.backwards = 0

    def observe(self, row: list[str]) -> None:
        try:
            moment, _ = moment_of(self.layout, row)
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC).replace(tzinfo=None)
        except (Rejected, ValueError, Missing, IndexError, OverflowError):
            return
        key = tuple(row[i] if i < len(row) else "" for i in self.series_columns)
        before = self._last.get(key)
        self._last[key] = moment
        if before is not None and moment != before:
            self.steps[abs(moment - before)] += 1
            self.backwards += moment < before
        share, enough = CLEAR_STEP[self.needed]
        if self.steps.total() >= enough:
            ((_, count),) = self.steps.most_common(1)
            self.settled = count >= share * self.steps.total()

    def answer(self) -> timedelta | None:
        return self.steps.most_common(1)[0][0] if self.steps else None

    def regular(self) -> bool:
        """Whether nearly every step is the most common one (the file has no holes)."""
        if not self.steps:
            return False
        ((_, count),) = self.steps.most_common(1)
        return count >= REGULAR_SHARE * self.steps.total()

    def newest_first(self) -> bool:
        """Whether most steps go back in time: the file runs newest first."""
        return self.backwards * 2 > self.steps.total()


class NumberedIntervals(Question):
    """An interval-number column's numbering: the largest number says how many intervals a
    day has (24, 48, 96...), the smallest whether they count from 0 or 1."""

    DAYS = (24, 48, 96, 144, 288, 1440)

    def __init__(self, column: int) -> None:
        self.column = column
        self.largest = 0
        self.smallest = 10**6

    def observe(self, row: list[str]) -> None:
        cell = row[self.column].strip() if self.column < len(row) else ""
        if cell.isdigit():
            self.largest = max(self.largest, int(cell))
            self.smallest = min(self.smallest, int(cell))

    def answer(self) -> tuple[timedelta | None, int]:
        if not self.largest:
            return None, 1
        per_day = min(self.DAYS, key=lambda count: abs(count - self.largest))
        return timedelta(days=1) / per_day, 0 if self.smallest == 0 else 1


class StampTiming(Question):
    """Whether stamps name their intervals' ends though no name says so: every stamp a
    second (`00:14:59`) or a minute (`00:59`) before a full interval, or times of day that
    run to 24:00 and never show 00:00 (hours labelled 1:00 to 24:00)."""

    def __init__(self, column: int) -> None:
        self.column = column
        self.seen = 0
        self.second_early = self.minute_early = self.second_late = True
        self.midnight = self.day_end = False

    def observe(self, row: list[str]) -> None:
        cell = row[self.column] if self.column < len(row) else ""
        found = CLOCK.findall(cell)
        if not found:
            return
        hour, minute, second = found[-1]
        self.seen += 1
        self.second_early = self.second_early and second == "59"
        self.second_late = self.second_late and second == "01" and int(minute) % 5 == 0
        self.minute_early = (
            self.minute_early and second in ("", "00") and (int(minute) + 1) % 5 == 0
        )
        self.midnight = self.midnight or (int(hour) == 0 and minute == "00")
        self.day_end = self.day_end or (int(hour) == 24)
        self.settled = (
            not self.second_early and not self.minute_early and not self.second_late
        ) and self.midnight

    def answer(self) -> timedelta | None:
        """How far each stamp falls before its interval's end: None when stamps are starts."""
        if self.seen < 2:
            return None
        if self.second_early:
            return timedelta(seconds=1)
        if self.minute_early:
            return timedelta(minutes=1)
        if self.day_end and not self.midnight:
            return timedelta()
        return None

    def late(self) -> bool:
        """Whether every stamp falls a second after a full interval (`00:15:01`): starts."""
        return self.seen >= 2 and self.second_late


class Span(Question):
    """The file's earliest and latest rows: stamps that run from one interval after a
    midnight to a midnight are ends, though no name or clock says so (Netz NÖ's
    `Messzeitpunkt`, MV-90, PJM's hour-ending hours). Asked of local times only.

    A file whose first rows run in order from a row that cannot be such an end settles it
    there, so the common file is not followed to its last row for this."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.earliest: tuple[datetime, list[str]] | None = None
        self.latest: tuple[datetime, list[str]] | None = None
        time = layout.time
        self.column = time.first if isinstance(time, Times) and time.second is None else None
        self.last_cell = ""
        # ISO stamps sort as text: their extremes are kept without parsing every row.
        self.first_text: tuple[str, list[str]] | None = None
        self.last_text: tuple[str, list[str]] | None = None
        self.order = _Order()

    def observe(self, row: list[str]) -> None:
        if self.order.rows < ORDER_ROWS:
            self._follow_order(row)
        if self.column is not None and self.column < len(row):
            cell = row[self.column]
            if cell == self.last_cell:
                return
            self.last_cell = cell
            if ISO_STAMP.fullmatch(cell):
                self._by_text(cell.replace("T", " "), row)
                return
        self._by_moment(row)

    def _follow_order(self, row: list[str]) -> None:
        try:
            moment = moment_of(self.layout, row)[0]
        except (Rejected, ValueError, Missing, IndexError, OverflowError):
            return
        # Stamps with an offset say what they are; in order from a plain start, no end.
        self.settled = moment.tzinfo is not None or self.order.follow(moment)

    def _by_text(self, key: str, row: list[str]) -> None:
        if self.first_text is None or key < self.first_text[0]:
            self.first_text = (key, row)
        if self.last_text is None or key > self.last_text[0]:
            self.last_text = (key, row)

    def _by_moment(self, row: list[str]) -> None:
        try:
            moment = moment_of(self.layout, row)[0]
        except (Rejected, ValueError, Missing, IndexError, OverflowError):
            return
        if self.earliest is None or moment < self.earliest[0]:
            self.earliest = (moment, row)
        if self.latest is None or moment > self.latest[0]:
            self.latest = (moment, row)

    def ends(self, layout: Layout, step: timedelta | None) -> bool:
        """Whether the span shows ends, its rows read under the settled `layout`."""
        if self.settled or step is None or not timedelta(0) < step < timedelta(days=1):
            return False
        extremes = (self.earliest, self.latest, self.first_text, self.last_text)
        rows = [extreme[1] for extreme in extremes if extreme is not None]
        if not rows:
            return False
        try:
            moments = [moment_of(layout, row)[0].replace(tzinfo=None) for row in rows]
        except (Rejected, ValueError, Missing, IndexError, OverflowError):
            return False
        first, last = min(moments), max(moments)
        if last - first < timedelta(days=1) - step:
            return False
        after_midnight = first - datetime.combine(first.date(), datetime.min.time())
        return after_midnight == step and last.time() == datetime.min.time()


ORDER_ROWS = 10_000


class _Order:
    """Whether a file's first ORDER_ROWS stamps only rise or only fall, from a first row that
    cannot be an end: a midnight first of rising times (the earliest, and an interval's
    start), or a first of falling times, the latest, that is no midnight."""

    def __init__(self) -> None:
        self.rows = 0
        self.first: datetime | None = None
        self.previous: datetime | None = None
        self.rising = self.falling = True

    def follow(self, moment: datetime) -> bool:
        """Take the next stamp; whether the order now shows the file plain."""
        if self.previous is None:
            self.first = moment
        elif moment < self.previous:
            self.rising = False
        elif moment > self.previous:
            self.falling = False
        self.previous = moment
        self.rows += 1
        if self.rows < ORDER_ROWS or self.first is None:
            return False
        midnight = self.first.time() == datetime.min.time()
        return (self.rising and midnight) or (self.falling and not midnight)


class HasNumbers(Question):
    """Whether a value column holds a number anywhere: one empty in every row is no quantity."""

    def __init__(self, column: int) -> None:
        self.column = column

    def observe(self, row: list[str]) -> None:
        if self.column < len(row) and cells.any_number(row[self.column]) is not None:
            self.settled = True

    def answer(self) -> bool:
        return self.settled
