"""The sample files of docs/csv-layouts.md read as that page says."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import Reading, RowError, read_csv
from tests.support import ROOT

SAMPLES = ROOT / "docs" / "samples"
NEW_YORK = ZoneInfo("America/New_York")
ROME = ZoneInfo("Europe/Rome")
DAY_IN_ROME = [
    0.21, 0.18, 0.17, 0.17, 0.18, 0.25, 0.61, 0.84, 0.52, 0.33, 0.29, 0.31,
    0.44, 0.30, 0.27, 0.28, 0.39, 0.92, 1.14, 0.97, 0.71, 0.55, 0.38, 0.26,
]  # fmt: skip


def read_sample(
    path: Path, timezone: ZoneInfo | None, meter_id: str | None = None
) -> tuple[list[Reading], list[RowError]]:
    readings: list[Reading] = []
    errors: list[RowError] = []
    with path.open("rb") as stream:
        for batch in read_csv(stream, timezone=timezone, meter_id=meter_id):
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
            [RowError(3, "Missing value.")],
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


def test_a_wide_day_row_gives_one_reading_an_hour() -> None:
    readings, errors = read_sample(SAMPLES / "wide-days.csv", ROME, meter_id="pod-1")
    assert errors == []
    assert [r.kwh for r in readings] == DAY_IN_ROME
    assert [r.timestamp for r in readings[:2]] == ["2025-01-01T23:00:00Z", "2025-01-02T00:00:00Z"]
    assert {r.meter_id for r in readings} == {"pod-1"}


def test_tariff_registers_become_import_and_export_usage() -> None:
    readings, errors = read_sample(SAMPLES / "p1-registers.csv", ROME, meter_id="home")
    assert errors == []
    assert [(r.meter_id, r.timestamp) for r in readings] == [
        ("home", "2025-01-09T23:00:00Z"),
        ("home:export", "2025-01-09T23:00:00Z"),
        ("home", "2025-01-09T23:15:00Z"),
        ("home:export", "2025-01-09T23:15:00Z"),
    ]
    assert [round(r.kwh, 9) for r in readings] == [0.302, 0.0, 0.443, 0.12]


def test_every_sample_is_documented_and_tested() -> None:
    page = (ROOT / "docs" / "csv-layouts.md").read_text()
    tested = {
        "generic.csv",
        "green-button.csv",
        "london-lcl.csv",
        "european.csv",
        "wide-days.csv",
        "p1-registers.csv",
    }
    on_disk = {path.name for path in SAMPLES.glob("*.csv")}
    assert on_disk == tested
    assert all(f"docs/samples/{name}" in page for name in on_disk)
