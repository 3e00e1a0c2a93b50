"""Long layouts: one interval per row, its time in one column, a date and a time of day, a
from-to pair, a range in a cell or epoch seconds; one or more value columns beside it."""

from services.csv_reader.columns import quantities
from services.csv_reader.columns.by_values import Undecided, judge
from services.csv_reader.columns.names import NamedColumns, could_be_header
from services.csv_reader.columns.vocabulary import folded
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.families.candidate import Candidate, zone_of
from services.csv_reader.layout import Layout, Wide
from services.csv_reader.table.head import Head
from services.csv_reader.text.dialect import cells_of

NO_METER_BY_VALUES = (
    "The file names no meter: no column holds an id and no line above the values gives one; "
    "send meter_id with the upload."
)


NOTHING_ELSE = (
    "The file holds no energy column besides: this service reads electricity and gas in kWh."
)


def by_names(candidate: Candidate) -> Layout | None:
    names = candidate.names
    if candidate.is_data or not could_be_header(names):
        return None
    samples = candidate.samples()
    columns = NamedColumns(names, samples, candidate.head, candidate.delimiter, candidate.preamble)
    time = columns.times()
    if time is None:
        return None
    found = columns.quantities(time)
    found = quantities.finest(found, {q.column: columns.interval_minutes(q.column) for q in found})
    if not found and columns.unread:
        raise UnreadableFile(" ".join([*columns.unread, NOTHING_ELSE]))
    if not found:
        return None
    meter_column, meter_id = columns.meter(found, candidate.preamble)
    zone = zone_of(candidate.head, names, time, samples, candidate.cells, candidate.preamble.lines)
    return candidate.layout(
        "long",
        time,
        found,
        zone,
        quantities=tuple(quantities.preferred(found)),
        meter_column=meter_column,
        meter_id=meter_id,
        type_column=columns.type_column,
        notices=tuple(columns.notices),
    )


def by_values(head: Head) -> Layout | None:
    """The layout the head's values show when no header row's names say it."""
    try:
        judged = judge(head)
    except Undecided as undecided:
        raise UnreadableFile(str(undecided)) from None
    if judged is None:
        return None
    preamble = judged.preamble
    meter_id = head.meter_id or (
        None if judged.meter_column is not None else preamble.meter_id() or preamble.long_id()
    )
    by_columns = all(q.meter for q in judged.quantities)
    if judged.meter_column is None and meter_id is None and not by_columns:
        raise UnreadableFile(NO_METER_BY_VALUES)
    names = [folded(name) for name in judged.names]
    samples = [
        cells_of(line, judged.delimiter) for line in head.lines[judged.data_line :] if line.strip()
    ]
    zone, source = zone_of(head, names, judged.time, samples, judged.names, judged.preamble.lines)
    wide = judged.time if isinstance(judged.time, Wide) else None
    return Layout(
        family="wide" if wide else "long",
        encoding=head.encoding,
        header_line=judged.header_line,
        delimiter=judged.delimiter,
        width=len(names),
        header=tuple(names),
        names=tuple(judged.names),
        meter_column=judged.meter_column,
        meter_id=meter_id,
        time=judged.time,
        quantities=tuple(judged.quantities),
        candidates=tuple(judged.quantities),
        type_column=None,
        date_order=None,
        zone=zone,
        zone_source=source,
        step=wide.starts[1][1] - wide.starts[0][1] if wide else None,
        attributes=frozenset(judged.attributes),
        notices=tuple(judged.notices),
        by_values=True,
        first_row=judged.data_line,
    )
