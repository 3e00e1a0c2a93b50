"""What a table family is shown: a candidate header row in the head, and what it needs to
build a layout under it (the rows below it, the file's zone)."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta, timezone, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from services.csv_reader.columns import vocabulary
from services.csv_reader.columns.vocabulary import folded, says
from services.csv_reader.layout import Family, Layout, Quantity, Times, Wide, ZoneSource
from services.csv_reader.series import cells
from services.csv_reader.table.head import SAMPLE_ROWS, Head
from services.csv_reader.table.preamble import Preamble
from services.csv_reader.text.dialect import cells_of

ZONE_NAME = re.compile(r"\b[A-Z][A-Za-z]+(?:/[A-Z][A-Za-z_\-]+){1,2}\b")
UTC_OFFSET = re.compile(
    r"\b(?:UTC|GMT)\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?\b",
    re.IGNORECASE,
)


# Abbreviations a time column's name uses for a zone that keeps daylight saving time.
ZONE_ABBREVIATIONS = {
    "CET": "CET", "CEST": "CET", "MEZ": "CET", "MESZ": "CET",
    "EET": "EET", "EEST": "EET", "WET": "WET", "WEST": "WET",
    "BST": "Europe/London", "EST": "America/New_York", "EDT": "America/New_York",
    "CDT": "America/Chicago", "MST": "America/Denver", "MDT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "AWST": "Australia/Perth",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}  # fmt: skip
ZONE_ABBREVIATION = re.compile(r"\b(" + "|".join(ZONE_ABBREVIATIONS) + r")\b")


@dataclass
class Candidate:
    head: Head
    index: int  # 0-based line of the candidate header in the head
    delimiter: str
    cells: list[str]  # the header's names as written
    preamble: Preamble  # the lines above it

    @property
    def names(self) -> list[str]:
        return [folded(cell) for cell in self.cells]

    @property
    def is_data(self) -> bool:
        """A row with a date or a time in it is a data row, whatever words it holds."""
        return any(cells.timed(cell) for cell in self.cells)

    def samples(self) -> list[list[str]]:
        """The data rows below the header (rows with a time in them), padded to its width."""
        width = len(self.cells)
        rows = []
        for line in self.head.lines[self.index + 1 :]:
            if not line.strip():
                continue
            row = cells_of(line, self.delimiter)
            dated = any(cells.timed(c) for c in row)
            if len(row) >= min(2, width) and dated:
                rows.append(row + [""] * (width - len(row)))
            if len(rows) == SAMPLE_ROWS:
                break
        return rows

    def layout(
        self,
        family: Family,
        time: Times | Wide,
        found: Sequence[Quantity],
        zone: tuple[tzinfo, ZoneSource],
        **rest: Any,
    ) -> Layout:
        """The layout under this header: what every family takes from the header row, the
        time, the quantities (`found`, of which `rest` may name the `quantities` kept) and the
        zone, and what else its family found (`meter_column`, `step`, `notices`, ...)."""
        details: dict[str, Any] = {
            "meter_column": None,
            "meter_id": None,
            "type_column": None,
            "step": None,
            "quantities": tuple(found),
            **rest,
        }
        return Layout(
            family=family,
            encoding=self.head.encoding,
            header_line=self.index + 1,
            first_row=self.index + 1,
            delimiter=self.delimiter,
            width=len(self.cells),
            header=tuple(self.names),
            names=tuple(self.cells),
            time=time,
            candidates=tuple(found),
            date_order=None,
            zone=zone[0],
            zone_source=zone[1],
            **details,
        )


class TableFamily(Protocol):
    def by_names(self, candidate: Candidate) -> Layout | None:
        """The layout under the candidate header when its names are this family's."""


def time_columns(time: Times | Wide) -> list[int]:
    if isinstance(time, Wide):
        return [time.date]
    return [i for i in (time.first, time.second) if i is not None]


def zone_of(
    head: Head,
    names: list[str],
    time: Times | Wide,
    samples: list[list[str]],
    written: Sequence[str] = (),
    above: Sequence[str] = (),
) -> tuple[tzinfo, ZoneSource]:
    """The zone of the file's naive times, and who says it: a header naming UTC or an
    exporter known to write UTC, a zone or offset named in the header or the lines above it
    (`Time Bucket (America/New_York)`, `Zeit (UTC+01:00)`), offsets in the cells, else the
    upload, else UTC. `written` are the header's names as written, `above` the lines above."""
    columns = time_columns(time)
    timed = [written[i] for i in columns if i < len(written)]
    named = named_zone([*timed, *written, *above]) or abbreviated_zone(timed)
    if named is not None:
        return named, "file"
    if any(says(names[i], vocabulary.UTC_WORDS) for i in columns) or vocabulary.any_says(
        names, vocabulary.UTC_EXPORTERS
    ):
        return UTC, "file"
    if isinstance(time, Times) and _offsets(samples, time.first):
        return head.zone or UTC, "file"
    if head.zone is not None:
        return head.zone, "upload"
    return UTC, "default"


def abbreviated_zone(names: Iterable[str]) -> tzinfo | None:
    """The zone a time column's name gives by its abbreviation (`Time (CET/CEST)`)."""
    for name in names:
        found = ZONE_ABBREVIATION.search(name)
        if found is not None:
            return ZoneInfo(ZONE_ABBREVIATIONS[found.group(0)])
    return None


def named_zone(texts: Iterable[str]) -> tzinfo | None:
    """The first IANA zone (`Europe/Vienna`) or UTC offset (`UTC+01:00`, `GMT-5`) a text
    names."""
    for text in texts:
        for found in ZONE_NAME.finditer(text):
            try:
                return ZoneInfo(found.group(0))
            except (ZoneInfoNotFoundError, ValueError):
                continue
        offset = UTC_OFFSET.search(text)
        if offset is not None:
            sign = -1 if offset["sign"] in ("-", "\N{MINUS SIGN}") else 1
            shift = timedelta(hours=int(offset["hours"]), minutes=int(offset["minutes"] or 0))
            if shift < timedelta(hours=15):
                return timezone(sign * shift)
    return None


def _offsets(samples: list[list[str]], column: int) -> bool:
    found = 0
    for row in samples[:20]:
        try:
            found += cells.moment(row[column], True).tzinfo is not None
        except (ValueError, cells.Missing, IndexError):
            continue
    return found > 0
