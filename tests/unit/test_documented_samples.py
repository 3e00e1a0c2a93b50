"""The sample files of docs/csv-formats.md read as that page says."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import Reading, RowError, read_csv
from tests.support import ROOT

SAMPLES = ROOT / "docs" / "samples"
NEW_YORK = ZoneInfo("America/New_York")


def read_sample(path: Path, timezone: ZoneInfo | None) -> tuple[list[Reading], list[RowError]]:
    readings: list[Reading] = []
    errors: list[RowError] = []
    with path.open("rb") as stream:
        for batch in read_csv(stream, timezone=timezone):
            readings.extend(batch.readings)
            errors.extend(batch.errors)
    return readings, errors


@pytest.mark.parametrize(
    ("name", "timezone", "readings", "errors"),
    [
        (
            "generic.csv",
            None,
            [
                Reading("north-7", "2025-01-01T00:00:00Z", 0.42),
                Reading("north-7", "2025-01-01T00:15:00Z", 0.38),
                Reading("south-1", "2024-12-31T23:00:00Z", 1.1),
            ],
            [],
        ),
        (
            "green-button.csv",
            NEW_YORK,
            [
                Reading("Service 1", "2025-06-01T04:00:00Z", 0.12),
                Reading("Service 1", "2025-06-01T04:15:00Z", 0.12),
            ],
            [],
        ),
        (
            "london-lcl.csv",
            NEW_YORK,
            [
                Reading("MAC000246", "2012-10-12T00:30:00Z", 0.25),
                Reading("MAC000246", "2012-10-12T01:30:00Z", 0.0),
            ],
            [RowError(3, "missing value")],
        ),
        (
            "european.csv",
            None,
            [
                Reading("Zähler-Küche", "2024-12-31T23:00:00Z", 1.5),
                Reading("Zähler-Küche", "2025-01-01T00:00:00Z", 2.5),
            ],
            [],
        ),
    ],
)
def test_each_documented_sample(
    name: str, timezone: ZoneInfo | None, readings: list[Reading], errors: list[RowError]
) -> None:
    assert read_sample(SAMPLES / name, timezone) == (readings, errors)


def test_every_sample_is_documented_and_tested() -> None:
    page = (ROOT / "docs" / "csv-formats.md").read_text()
    tested = {"generic.csv", "green-button.csv", "london-lcl.csv", "european.csv"}
    on_disk = {path.name for path in SAMPLES.glob("*.csv")}
    assert on_disk == tested
    assert all(f"docs/samples/{name}" in page for name in on_disk)
