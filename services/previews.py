"""A dry run: a file read as its upload would read it, with nothing stored, so that a client
sees how its file is read (its layout, meters, first readings and problems) before sending."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO, Literal

from pydantic import BaseModel

from services.csv_reader import CsvFile, UnreadableFile
from services.file_reading import layout_of, open_csv
from storage.records import CsvColumns, MeterSpan, RowProblem, UploadLayout

KEPT_ERRORS = 100
SAMPLE_READINGS = 20
LISTED_METERS = 1000  # a file of more meters lists its first ones
WHOLE_FILE = 0


class PreviewMeter(MeterSpan):
    readings: int


class SampleReading(BaseModel):
    meter_id: str
    timestamp: str
    kwh: float


class Preview(BaseModel):
    filename: str
    status: Literal["completed", "failed"]
    layout: UploadLayout | None
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    errors: list[RowProblem]
    meters: list[PreviewMeter]
    sample: list[SampleReading]


@dataclass
class _Span:
    readings: int
    first: str
    last: str


def preview(
    filename: str,
    stream: BinaryIO,
    meter_id: str | None,
    timezone: str | None,
    columns: CsvColumns | None,
) -> Preview:
    try:
        return _read(filename, open_csv(stream, meter_id, timezone, columns))
    except UnreadableFile as error:
        return Preview(
            filename=filename,
            status="failed",
            layout=layout_of(error.layout),
            rows_total=0,
            rows_accepted=0,
            rows_rejected=0,
            errors=[RowProblem(line=WHOLE_FILE, error=str(error))],
            meters=[],
            sample=[],
        )


def _read(filename: str, file: CsvFile) -> Preview:
    meters: dict[str, _Span] = {}
    sample: list[SampleReading] = []
    errors: list[RowProblem] = []
    accepted = rejected = 0
    try:
        for batch in file:
            accepted += len(batch.readings)
            rejected += len(batch.errors)
            kept = batch.errors[: KEPT_ERRORS - len(errors)]
            errors.extend(RowProblem(line=e.line, error=e.error) for e in kept)
            sample.extend(
                SampleReading(meter_id=m, timestamp=t, kwh=k)
                for m, t, k in batch.readings[: SAMPLE_READINGS - len(sample)]
            )
            _count(meters, batch.readings)
    except UnreadableFile as error:
        error.layout = error.layout or file.report
        raise
    return Preview(
        filename=filename,
        status="completed",
        layout=layout_of(file.report),
        rows_total=accepted + rejected,
        rows_accepted=accepted,
        rows_rejected=rejected,
        errors=errors,
        meters=[
            PreviewMeter(
                meter_id=meter,
                readings=span.readings,
                first_timestamp=span.first,
                last_timestamp=span.last,
            )
            for meter, span in sorted(meters.items())
        ],
        sample=sample,
    )


def _count(meters: dict[str, _Span], readings: Sequence[tuple[str, str, float]]) -> None:
    for meter, timestamp, _ in readings:
        span = meters.get(meter)
        if span is not None:
            span.readings += 1
            span.first, span.last = min(span.first, timestamp), max(span.last, timestamp)
        elif len(meters) < LISTED_METERS:
            meters[meter] = _Span(1, timestamp, timestamp)
