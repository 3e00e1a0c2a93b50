"""Wide layouts: one row per day (or per meter and day), a date column and one column per
interval (24 hours, 48 half hours, 96 quarter hours) named by its start, its span or its end."""

from services.csv_reader.columns import units
from services.csv_reader.columns.names import NamedColumns, could_be_header
from services.csv_reader.families.candidate import Candidate, zone_of
from services.csv_reader.layout import Layout, Quantity


def by_names(candidate: Candidate) -> Layout | None:
    names = candidate.names
    if candidate.is_data or not could_be_header(names):
        return None
    samples = candidate.samples()
    columns = NamedColumns(names, samples, candidate.head, candidate.delimiter, candidate.preamble)
    time = columns.wide()
    if time is None:
        return None
    columns.quantities(time)  # finds the type column, when a row names its channel
    unit = candidate.preamble.unit() or "kwh"
    scale, kind = units.scale_of(unit)
    found = tuple(
        Quantity(column, "", kind, scale, "", unit=units.label(unit)) for column, _ in time.starts
    )
    meter_column, meter_id = columns.meter(list(found), candidate.preamble)
    zone = zone_of(candidate.head, names, time, samples, candidate.cells, candidate.preamble.lines)
    return candidate.layout(
        "wide",
        time,
        found,
        zone,
        meter_column=meter_column,
        meter_id=meter_id,
        type_column=columns.type_column,
        step=time.starts[1][1] - time.starts[0][1],
        notices=tuple(columns.notices),
    )
