"""A second value of one series (a meter's column) at a time it already has a value for.

Files hold them when a block repeats under the same header, when a unit row is taken for names
that then coincide, or when local times repeat an hour and the file's zone is not known. Each
series' times are kept as runs of even steps (a file's own order is one run, newest first too),
so finding a repeat costs little and keeps no list of every time.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_RUNS = 64  # a file in no order at all: beyond these, earlier runs are not checked
# The latest values kept to tell a row written twice (nothing to say) from another value.
RECENT_VALUES = 100_000


@dataclass(slots=True)
class _Run:
    start: datetime
    step: timedelta | None = None
    count: int = 1

    def holds(self, moment: datetime) -> bool:
        if self.step is None:
            return moment == self.start
        steps, rest = divmod(moment - self.start, self.step)
        return not rest and 0 <= steps < self.count

    def extends(self, moment: datetime) -> bool:
        """Whether `moment` is the run's next time (taking it if so)."""
        if self.step is None:
            self.step = moment - self.start
        elif moment - self.start != self.step * self.count:
            return False
        self.count += 1
        return True


@dataclass(slots=True)
class _Series:
    current: _Run
    closed: list[_Run] = field(default_factory=list)

    def holds(self, moment: datetime) -> bool:
        return self.current.holds(moment) or any(run.holds(moment) for run in self.closed)

    def add(self, moment: datetime) -> None:
        if not self.current.extends(moment):
            if len(self.closed) < MAX_RUNS:
                self.closed.append(self.current)
            self.current = _Run(moment)


class Repeats:
    def __init__(self) -> None:
        self._series: dict[tuple[str, str], _Series] = {}
        # Ordered to drop the oldest in constant time: a dict's first key is found by
        # skipping every slot deleted before it.
        self._recent: OrderedDict[tuple[str, str, datetime], float] = OrderedDict()

    def seen(self, meter: str, source: str, moment: datetime, value: float) -> bool | None:
        """Whether the series has another value at `moment` already: False if not (it has this
        one now), None if it has the same value (a row written twice: nothing to say), True
        if it has another, or one too long ago to compare."""
        key = (meter, source)
        series = self._series.get(key)
        if series is None:
            self._series[key] = _Series(_Run(moment))
        elif series.holds(moment):
            return None if self._recent.get((meter, source, moment)) == value else True
        else:
            series.add(moment)
        self._remember((meter, source, moment), value)
        return False

    def _remember(self, key: tuple[str, str, datetime], value: float) -> None:
        recent = self._recent
        recent[key] = value
        if len(recent) > RECENT_VALUES:
            recent.popitem(last=False)
