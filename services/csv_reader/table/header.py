"""Finding the header: the first row of the head, under any delimiter, whose names a table
family reads; else the table that the head's values show."""

from services.csv_reader.columns import units
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.families import TABLE_FAMILIES, Candidate, long
from services.csv_reader.layout import Layout
from services.csv_reader.report import LayoutReport, partial
from services.csv_reader.series import cells
from services.csv_reader.table.head import Head
from services.csv_reader.table.preamble import Preamble
from services.csv_reader.text.dialect import cells_of, delimiters, separator_hint


def find_layout(head: Head) -> Layout:
    """The layout of the head; UnreadableFile (with the widest row as what was found) when
    no family reads it."""
    preamble = Preamble()
    widest: list[str] = []
    where: tuple[int, str] | None = None
    for index, line in enumerate(head.searched):
        if not line.strip():
            continue
        hint = separator_hint(line)
        if hint:
            head.forced_delimiter = hint
            continue
        for delimiter in delimiters(line, head.forced_delimiter):
            cells = cells_of(line, delimiter)
            if len(cells) > len(widest):
                widest, where = cells, (index + 1, delimiter)
            layout = _by_names(Candidate(head, index, delimiter, cells, preamble))
            if layout is not None:
                return _nearest(head, layout, preamble)
        preamble.remember(line)
    try:
        layout = long.by_values(head)
    except UnreadableFile as error:
        raise UnreadableFile(str(error), _found(head, where, widest)) from None
    if layout is None:
        raise UnreadableFile(no_header(widest), _found(head, where, widest))
    return layout


def _by_names(candidate: Candidate) -> Layout | None:
    for family in TABLE_FAMILIES:
        layout = family.by_names(candidate)
        if layout is not None:
            return layout
    return None


def _nearest(head: Head, layout: Layout, preamble: Preamble) -> Layout:
    """The header nearest above the data: another row naming a time and a quantity between
    the one found and the first data row is the header (the first was a title or a summary's)."""
    index = layout.header_line - 1
    preamble.remember(head.lines[index])
    for later in range(index + 1, len(head.searched)):
        line = head.lines[later]
        if _dated(line, layout.delimiter):
            break
        if not line.strip() or units.unit_row(cells_of(line, layout.delimiter)):
            continue
        found = _by_names(
            Candidate(head, later, layout.delimiter, cells_of(line, layout.delimiter), preamble)
        )
        if found is not None:
            return _nearest(head, found, preamble)
        preamble.remember(line)
    return layout


def _dated(line: str, delimiter: str) -> bool:
    return any(cells.timed(cell) for cell in cells_of(line, delimiter))


def _found(head: Head, where: tuple[int, str] | None, names: list[str]) -> LayoutReport:
    line, delimiter = where if where else (None, None)
    return partial(head.encoding, line, delimiter, names)


def no_header(widest: list[str]) -> str:
    seen = ", ".join(repr(cell.strip()) for cell in widest[:12] if cell.strip()) or "none"
    return (
        "No header row was recognised, and no column holds dates or times beside one of "
        "numbers: the reader looks for a row naming a time (such as timestamp, date, Datum, "
        "Horodate, Fecha) and a quantity (such as kWh, usage, Verbrauch, Consommation, "
        f"Consumo). The widest row names: {seen}. Send the column mapping with the upload if "
        "the layout is one it does not know."
    )
