"""One stored or previewed file through the CSV reader, with the options its upload gives:
the upload's meter, time zone and column mapping, and the layout report the upload keeps."""

import dataclasses
from collections.abc import Callable
from typing import BinaryIO
from zoneinfo import ZoneInfo

from services.csv_reader import ColumnMap, CsvFile, LayoutReport, read_csv
from storage.records import CsvColumns, UploadLayout

# Rows read per storage call: large enough that batch writes rarely wait on a straggler.
BATCH_ROWS = 20_000


def open_csv(
    stream: BinaryIO,
    meter_id: str | None,
    timezone: str | None,
    columns: CsvColumns | None,
    batch_size: int = BATCH_ROWS,
    pause: Callable[[], None] | None = None,
) -> CsvFile:
    """The file, read under its upload's options; raises UnreadableFile."""
    return read_csv(
        stream,
        meter_id=meter_id,
        timezone=ZoneInfo(timezone) if timezone else None,
        batch_size=batch_size,
        columns=ColumnMap(**columns.model_dump()) if columns else None,
        pause=pause,
    )


def layout_of(report: LayoutReport | None) -> UploadLayout | None:
    return None if report is None else UploadLayout.model_validate(dataclasses.asdict(report))
