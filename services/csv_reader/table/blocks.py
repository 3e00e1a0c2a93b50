"""Rows among the data that are not data: a header repeated further down (it starts a block,
whose names may give it other channels), a title line between blocks, and rows of words
stacked under the header before the first data row (`Analog`, `[Wh]`)."""

from dataclasses import replace

from services.csv_reader.columns import vocabulary
from services.csv_reader.columns.names import could_be_header
from services.csv_reader.columns.vocabulary import folded, says
from services.csv_reader.layout import Layout, Wide
from services.csv_reader.series import cells


def relabelled(layout: Layout, row: list[str]) -> Layout | None:
    """The layout under a header that a block repeats further down, with its channels."""
    names = [folded(cell) for cell in row]
    if isinstance(layout.time, Wide) or len(names) < layout.width or not could_be_header(names):
        return None
    if not says(names[layout.time.first], vocabulary.TIME_WORDS):
        return None
    if any(
        not names[q.column] or cells.any_number(row[q.column]) is not None
        for q in layout.quantities
    ):
        return None
    found = tuple(
        replace(q, channel=vocabulary.channel_of(names[q.column]), source=names[q.column])
        for q in layout.quantities
    )
    return replace(layout, header=tuple(names), quantities=found)


def text_line(row: list[str]) -> bool:
    """A line of words between blocks ("Data for period starting ..."): one cell of text."""
    filled = [cell for cell in row if cell.strip()]
    return len(filled) == 1 and not any(char.isdigit() for char in filled[0][:1])


def stacked_header(layout: Layout, row: list[str]) -> bool:
    """A row of words under each value column, before any data row: one more header row."""
    if isinstance(layout.time, Wide):
        return False
    found = [row[q.column].strip() if q.column < len(row) else "" for q in layout.quantities]
    return all(not cells.is_missing(c) and not any(ch.isdigit() for ch in c) for c in found)
