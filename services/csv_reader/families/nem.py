"""Australia's NEM12 and NEM13 meter data files, read with a NEM reader library.

A record family: the file is a stream of records (`100` header, `200`/`250` per data
stream, `300` interval days, `900` end), claimed by its first record and read as a whole.
Interval days are Australian Eastern Standard Time (UTC+10, no daylight saving) whatever the
upload says. A data stream's suffix (NEM12) or direction (NEM13) says its channel, from the
network's side: `E` is energy the network sends the customer (consumption), `B` or `I`
energy it takes in (export). Reactive and other streams are not energy readings.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal

from aemo_mdff_reader import AccumulationReading, IntervalReading, NEM12ParseError, parse_all

from services.csv_reader.columns.vocabulary import ENERGY_UNITS
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.series.points import CHANNEL_SUFFIX
from services.csv_reader.series.readings import Reading

AEST = timezone(timedelta(hours=10))
HEADERS = ("100,NEM12", "100,NEM13")
UNITS = {"KWH": ENERGY_UNITS["kwh"], "WH": ENERGY_UNITS["wh"], "MWH": ENERGY_UNITS["mwh"]}
# The header a file that starts at its first data stream would have had.
MISSING_HEADER = {"200": "100,NEM12,200001010000,UNKNOWN,UNKNOWN\r\n",
                  "250": "100,NEM13,200001010000,UNKNOWN,UNKNOWN\r\n"}  # fmt: skip
NO_HEADER = (
    "The file starts at its first {record} record, without the 100 header record; it is read "
    "as {family}."
)


def claims(first_line: str) -> Literal["nem12", "nem13"] | None:
    """The NEM family whose first record the line is (a 100 header, or a 200/250 stream)."""
    line = first_line.lstrip("\ufeff").upper()
    if line.startswith(HEADERS):
        return "nem12" if line.startswith(HEADERS[0]) else "nem13"
    record, _, rest = line.partition(",")
    fields = [field.strip() for field in rest.split(",")]
    if record in MISSING_HEADER and len(fields) >= 8 and any(f in UNITS for f in fields):
        return "nem12" if record == "200" else "nem13"
    return None


def without_header(first_line: str) -> tuple[str, str] | None:
    """The header to put before a file that has none, and the notice that says so."""
    record = first_line.lstrip("\ufeff").partition(",")[0]
    if record not in MISSING_HEADER:
        return None
    family = "NEM12" if record == "200" else "NEM13"
    return MISSING_HEADER[record], NO_HEADER.format(record=record, family=family)


def readings(lines: Iterator[str]) -> Iterator[tuple[Reading | None, str | None, int | None]]:
    """Each reading with its data stream's interval minutes, or None and a notice for a stream
    that holds no energy (once a stream). The streams of one direction of an NMI (`E1` and
    `E2`, a general and a controlled load; NEM13 registers `11` and `41`) are summed: they
    are one meter's consumption, as tariff registers are. A file gives its NMIs one after
    another, so one NMI's readings are held at a time."""
    noticed: set[str] = set()
    held: dict[tuple[str, str], list[float]] = {}  # (meter, time) -> [kWh, interval minutes]
    nmi = None
    try:
        for record in parse_all(_trimmed(lines)):
            found = _reading(record)
            if found is None:
                if (stream := _stream(record)) not in noticed:
                    noticed.add(stream)
                    notice = f"The data stream {stream} holds no energy in kWh, so it is not read."
                    yield None, notice, None
                continue
            if record.nmi != nmi:
                yield from _summed(held)
                held, nmi = {}, record.nmi
            minutes = record.interval_length if isinstance(record, IntervalReading) else 0
            total = held.setdefault((found.meter_id, found.timestamp), [0.0, minutes])
            total[0] += found.kwh
        yield from _summed(held)
    except (NEM12ParseError, ValueError) as error:
        raise UnreadableFile(f"The NEM file cannot be read: {error}") from None


def _summed(
    held: dict[tuple[str, str], list[float]],
) -> Iterator[tuple[Reading | None, str | None, int | None]]:
    for (meter, timestamp), (kwh, minutes) in held.items():
        yield Reading(meter, timestamp, kwh), None, int(minutes) or None


def _trimmed(lines: Iterator[str]) -> Iterator[str]:
    """Records without the stray spaces some writers leave around fields (`, 20040108100333`):
    NEM fields never hold spaces that matter, nor quoted commas."""
    for line in lines:
        yield ",".join(field.strip() for field in line.rstrip("\r\n").split(",")) + "\n"


def _reading(record: IntervalReading | AccumulationReading) -> Reading | None:
    if isinstance(record, IntervalReading):
        scale = UNITS.get(record.uom.upper())
        channel = _channel(record.nmi_suffix[:1])
        if scale is None or channel is None:
            return None
        return Reading(record.nmi + channel, _utc(record.interval_start), record.value * scale)
    scale = UNITS.get(record.uom.upper())
    channel = _channel("B" if record.direction_indicator.upper() == "I" else "E")
    when = record.previous_register_read_datetime
    if scale is None or channel is None or when is None:
        return None
    return Reading(record.nmi + channel, _utc(when), record.quantity * scale)


def _channel(letter: str) -> str | None:
    return {"E": CHANNEL_SUFFIX[""], "B": CHANNEL_SUFFIX["export"]}.get(letter.upper())


def _stream(record: IntervalReading | AccumulationReading) -> str:
    return f"{record.nmi} {record.nmi_suffix}"


def _utc(moment: datetime) -> str:
    utc = moment.replace(tzinfo=AEST).astimezone(UTC)
    return utc.isoformat()[:19] + "Z"
