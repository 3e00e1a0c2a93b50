"""Australia's NEM12 and NEM13 meter data files, read with a NEM reader library.

Interval days are Australian Eastern Standard Time (UTC+10, no daylight saving) whatever the
upload says. A data stream's suffix (NEM12) or direction (NEM13) says its channel, from the
network's side: `E` is energy the network sends the customer (consumption), `B` or `I`
energy it takes in (export). Reactive and other streams are not energy readings.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from aemo_mdff_reader import AccumulationReading, IntervalReading, NEM12ParseError, parse_all

from services.csv_reader.file_checks import UnreadableFile
from services.csv_reader.rows import CHANNEL_SUFFIX
from services.csv_reader.series import utc_text
from services.csv_reader.vocabulary import ENERGY_UNITS
from storage.records import Reading

AEST = timezone(timedelta(hours=10))
RECORDS = ("100,NEM12", "100,NEM13", "200,", "250,", "300,")
UNITS = {"KWH": ENERGY_UNITS["kwh"], "WH": ENERGY_UNITS["wh"], "MWH": ENERGY_UNITS["mwh"]}


def is_nem(first_line: str) -> bool:
    return first_line.lstrip("\ufeff").upper().startswith(RECORDS[:2])


def nem_readings(lines: Iterator[str]) -> Iterator[tuple[Reading | None, str | None]]:
    """Each reading, or None and a notice for a stream that holds no energy (once a stream)."""
    noticed: set[str] = set()
    try:
        for record in parse_all(lines):
            found = _reading(record)
            if found is not None:
                yield found, None
            elif (stream := _stream(record)) not in noticed:
                noticed.add(stream)
                yield None, f"The data stream {stream} holds no energy in kWh, so it is not read."
    except (NEM12ParseError, ValueError) as error:
        raise UnreadableFile(f"The NEM file cannot be read: {error}") from None


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
    return utc_text(moment.replace(tzinfo=AEST))
