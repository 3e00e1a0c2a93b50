"""Lines after the last reading: a total (`Summe;;1.234,5`), a note, a generator's stamp.
Such a line's time cells hold no digit; it is held back until a later row shows it was a bad
row among the data, or the file ends and shows it was the footer. The same rows above the
first reading (a portal's totals under its header) are a summary, not data."""

import re
from collections.abc import Callable

from services.csv_reader.layout import Layout, Wide

DIGIT = re.compile(r"\d")


def judge(layout: Layout) -> Callable[[list[str]], bool]:
    """Whether a row could be a total or a note: no digit in its time, and no meter (a row
    with a meter is a reading gone bad)."""
    time = layout.time
    columns = [time.date] if isinstance(time, Wide) else [time.first, time.second]
    times = [i for i in columns if i is not None]
    meter = layout.meter_column

    def could_be(row: list[str]) -> bool:
        if meter is not None and meter < len(row) and row[meter].strip():
            return False
        return not any(DIGIT.search(row[i]) for i in times if i < len(row))

    return could_be


def notice(lines: list[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]} to {lines[-1]}"
    return f"The file ends in {where}, which hold no reading (a total or a note): not read."


def leading_notice(lines: list[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]} to {lines[-1]}"
    return f"Above the first reading, {where} hold no time (a summary or a title): not read."
