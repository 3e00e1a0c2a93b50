"""The first lines of a file: the header is looked for in them, and the data lines after it are
the samples that columns are first judged by."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from itertools import islice

from services.csv_reader.errors import UnreadableFile

HEAD_LINES = 120  # the header is looked for in these
SAMPLE_LINES = 400  # lines after them that column roles may be judged from
SAMPLE_ROWS = 200  # data rows under a header that column roles are judged from


@dataclass
class Head:
    lines: list[str]
    meter_id: str | None  # the upload's
    zone: tzinfo | None  # the upload's
    encoding: str
    forced_delimiter: str | None = None  # what an Excel `sep=` line says

    @property
    def searched(self) -> list[str]:
        return self.lines[:HEAD_LINES]


def read_head(
    lines: Iterator[str], meter_id: str | None, zone: tzinfo | None, encoding: str
) -> Head:
    head = list(islice(lines, HEAD_LINES + SAMPLE_LINES))
    if not any(line.strip() for line in head):
        raise UnreadableFile("The file has only blank lines.")
    return Head(head, meter_id, zone, encoding)
