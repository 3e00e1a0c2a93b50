"""The evidence pass: every row of the file, asked each question still open, until no
question is open or the file ends."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from services.csv_reader.evidence.questions import (
    DateOrderQuestion,
    DecimalMark,
    GasMeters,
    HasNumbers,
    NumberedIntervals,
    Question,
    RegisterQuestion,
    Signs,
    Span,
    StampTiming,
    StepQuestion,
)
from services.csv_reader.layout import Layout, Wide
from services.csv_reader.series.cells import DateOrder, Decimal
from services.csv_reader.table import footer

# Settled questions are dropped every so many rows: checking after each row costs more.
CHECK_EVERY = 64
PAUSE_EVERY = 64 * CHECK_EVERY


@dataclass
class Evidence:
    decimals: dict[int, Decimal] = field(default_factory=dict)
    date_order: DateOrder | None = None
    order_by_sequence: bool = False
    ambiguous_dates: bool = False  # day-month dates that no value told apart
    registers: dict[int, str] = field(default_factory=dict)
    has_numbers: dict[int, bool] = field(default_factory=dict)
    step: timedelta | None = None
    first_number: int = 1
    early_by: timedelta | None = None  # stamps fall this long before their intervals' ends
    late_by: timedelta | None = None  # stamps fall this long after their intervals' starts
    span: Span | None = None  # the file's first and last rows, to tell ends by
    newest_first = False
    negative: frozenset[int] = frozenset()  # directed columns that write their values negative
    gas_meters: frozenset[str] = frozenset()


@dataclass
class Questions:
    decimals: dict[int, DecimalMark] = field(default_factory=dict)
    date_order: DateOrderQuestion | None = None
    registers: RegisterQuestion | None = None
    has_numbers: dict[int, HasNumbers] = field(default_factory=dict)
    signs: dict[int, Signs] = field(default_factory=dict)
    step: StepQuestion | None = None
    numbered: NumberedIntervals | None = None
    timing: StampTiming | None = None
    gas: GasMeters | None = None
    span: Span | None = None

    def all(self) -> list[Question]:
        singles = (
            self.registers, self.date_order, self.step, self.numbered, self.timing, self.gas,
            self.span,
        )  # fmt: skip
        return [
            *self.decimals.values(),
            *self.has_numbers.values(),
            *self.signs.values(),
            *(q for q in singles if q is not None),
        ]


def questions_for(layout: Layout, step_needed: bool, aware: bool) -> Questions:
    """`aware`: the stamps carry their offset (or Z), as machines write interval starts; the
    span is asked of local times only, so the generic layout's evidence stops early."""
    asked = Questions()
    default: Decimal = "," if layout.delimiter == ";" else "."
    time = layout.time
    series = tuple(i for i in (layout.meter_column, layout.type_column) if i is not None)
    if isinstance(time, Wide):
        columns = tuple(column for column, _ in time.starts)
        asked.decimals[columns[0]] = DecimalMark(columns, default)
        asked.date_order = DateOrderQuestion(time.date)
        return asked
    for quantity in layout.candidates:
        asked.decimals[quantity.column] = DecimalMark((quantity.column,), default)
        asked.has_numbers[quantity.column] = HasNumbers(quantity.column)
        if quantity.channel in ("export", "generation") and quantity.kind != "register":
            asked.signs[quantity.column] = Signs(quantity.column)
    unit_columns = {q.unit_column for q in layout.candidates if q.unit_column is not None}
    if len(unit_columns) == 1:
        asked.gas = GasMeters(unit_columns.pop(), layout.meter_column)
    open_kinds = tuple(q.column for q in layout.candidates if q.kind_open)
    if open_kinds:
        asked.registers = RegisterQuestion(open_kinds, series)
    if time.kind != "epoch":
        asked.date_order = DateOrderQuestion(time.first)
    if time.kind in ("date_hour", "date_number") and time.second is not None:
        asked.numbered = NumberedIntervals(time.second)
    else:
        asked.step = StepQuestion(layout, series, step_needed)
    if time.kind in ("moment", "date_time") and not time.at_end:
        asked.timing = StampTiming(time.second if time.second is not None else time.first)
        if not aware:
            asked.span = Span(layout)
    return asked


def gather(
    rows: Iterable[list[str]],
    asked: Questions,
    layout: Layout,
    pause: Callable[[], None] | None = None,
) -> Questions:
    """Ask every data row the open questions; the rows stop being read once none is open.
    A row whose time holds no digit (a total, a note) is no evidence. `pause` is called every
    PAUSE_EVERY rows."""
    open_ = [q for q in asked.all() if not q.settled]
    no_data = footer.judge(layout)
    for count, row in enumerate(rows, 1):
        if no_data(row):
            continue
        for question in open_:
            question.observe(row)
        if count % CHECK_EVERY == 0:
            open_ = [q for q in open_ if not q.settled]
            if not open_:
                break
            if pause is not None and count % PAUSE_EVERY == 0:
                pause()
    return asked


def answers(asked: Questions) -> Evidence:
    newest_first = asked.step.newest_first() if asked.step is not None else False
    found = Evidence(
        decimals={column: q.answer() for column, q in asked.decimals.items()},
        registers=asked.registers.answer(newest_first) if asked.registers is not None else {},
        has_numbers={column: q.answer() for column, q in asked.has_numbers.items()},
        negative=frozenset(column for column, q in asked.signs.items() if q.answer()),
    )
    if asked.date_order is not None:
        found.date_order, found.order_by_sequence = asked.date_order.answer()
        found.ambiguous_dates = found.date_order is None and asked.date_order.ambiguous
    if asked.step is not None:
        found.step = asked.step.answer()
        found.newest_first = asked.step.newest_first()
    if asked.numbered is not None:
        found.step, found.first_number = asked.numbered.answer()
    if asked.timing is not None:
        found.early_by = asked.timing.answer()
        found.late_by = timedelta(seconds=1) if asked.timing.late() else None
    if found.early_by is None and asked.step is not None and asked.step.regular():
        found.span = asked.span
    if asked.gas is not None:
        found.gas_meters = frozenset(asked.gas.meters)
    return found
