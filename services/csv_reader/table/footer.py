"""Lines after the last reading: a total (`Summe;;1.234,5`), a note, a generator's stamp.
Such a line's time cells hold no digit; it is held back until a later row shows it was a bad
row among the data, or the file ends and shows it was the footer. The same rows above the
first reading (a portal's totals under its header) are a summary, not data."""

from services.csv_reader.layout import Layout, Wide


def could_be_footer(layout: Layout, row: list[str]) -> bool:
    """No digit in its time, and no meter: a row with a meter is a reading gone bad."""
    time = layout.time
    columns = [time.date] if isinstance(time, Wide) else [time.first, time.second]
    found = [row[i] for i in columns if i is not None and i < len(row)]
    meter = layout.meter_column
    if meter is not None and meter < len(row) and row[meter].strip():
        return False
    return not any(char.isdigit() for cell in found for char in cell)


def notice(lines: list[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]} to {lines[-1]}"
    return f"The file ends in {where}, which hold no reading (a total or a note): not read."


def leading_notice(lines: list[int]) -> str:
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]} to {lines[-1]}"
    return f"Above the first reading, {where} hold no time (a summary or a title): not read."
