"""The interval columns of a wide row (one row per day): named by the time of day they start or
end at (`00:00-00:15`, `0:30` ... `0:00`), or by their number in the day (`1` ... `24`, `H1`,
`1시`, `Viertelstunde 96`): each column's offset from the day's midnight."""

import re
from datetime import timedelta
from itertools import pairwise

WIDE_COLUMNS = 12  # fewer interval columns than this are no wide row
CLOCK_NAME = re.compile(r"\d{1,2} \d{2}(?: ?[-\u2013] ?\d{1,2} \d{2})?")
ONE_NUMBER = re.compile(r"\D*(\d{1,3})\D*")
INTERVALS_A_DAY = (24, 48, 96)
FULL_DAY = 23  # numbered columns: a day's hours, the day clocks go forward


def clock_name(name: str) -> timedelta | None:
    """The start of the interval a (folded) column name gives: "0 30", or "00 00-00 15"."""
    if not CLOCK_NAME.fullmatch(name):
        return None
    hours, minutes = (int(number) for number in re.findall(r"\d+", name)[:2])
    return timedelta(hours=hours, minutes=minutes) if hours <= 24 and minutes < 60 else None


def interval_columns(names: list[str]) -> tuple[tuple[tuple[int, timedelta], ...], bool] | None:
    """Each interval column with its start since midnight, and whether the names name ends."""
    return _by_clocks(names) or _by_numbers(names)


def _by_clocks(names: list[str]) -> tuple[tuple[tuple[int, timedelta], ...], bool] | None:
    starts = [(i, start) for i, name in enumerate(names) if (start := clock_name(name)) is not None]
    if len(starts) < WIDE_COLUMNS:
        return None
    first, step = starts[0][1], starts[1][1] - starts[0][1]
    # Named by the interval's end ("0:30" ... "0:00", the next midnight) unless by a range.
    by_end = first != timedelta() and len(re.findall(r"\d+", names[starts[0][0]])) == 2
    if by_end:
        starts = [(i, (start or timedelta(hours=24)) - step) for i, start in starts]
    return tuple(starts), by_end


def _by_numbers(names: list[str]) -> tuple[tuple[tuple[int, timedelta], ...], bool] | None:
    """The longest run of adjacent columns named by one number each, counting up by one from
    0 (interval starts) or 1 (the hours' or quarters' ends, as `1` names 00:00-01:00)."""
    numbers = [int(found.group(1)) if (found := ONE_NUMBER.fullmatch(n)) else None for n in names]
    best: list[int] = []
    run: list[int] = []
    for i, (a, b) in enumerate(pairwise(numbers)):
        if a is not None and b == a + 1:
            run = run or [i]
            run.append(i + 1)
        else:
            best, run = max(best, run, key=len), []
    best = max(best, run, key=len)
    first = numbers[best[0]] if best else None
    if len(best) < FULL_DAY or first not in (0, 1):
        return None  # a day of hours at least: twelve numbered columns may be twelve meters
    per_day = min(INTERVALS_A_DAY, key=lambda count: abs(count - len(best)))
    step = timedelta(days=1) / per_day
    return tuple((i, (numbers[i] - first) * step) for i in best), first == 1  # type: ignore[operator]
