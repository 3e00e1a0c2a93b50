"""The reader over the corpus of real-world export layouts (tests/corpus/README.md): every
sample's readings, rejected rows and their lines as its expected file says, read the way it
says (its encoding, notation, day order, stamps, interval; by names or by values)."""

import json
import math
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import read_csv
from tests.support import ROOT

CORPUS = ROOT / "tests" / "corpus"
SAMPLES = sorted(CORPUS.glob("*.csv"))


def expected(sample: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(sample.with_suffix(".expected.json").read_text())
    return found


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_each_exporters_file_reads_as_expected(sample: Path) -> None:
    wanted = expected(sample)
    options = wanted["options"]
    zone = ZoneInfo(options["timezone"]) if options["timezone"] else None
    readings, errors = [], []
    with sample.open("rb") as stream:
        file = read_csv(stream, meter_id=options["meter_id"], timezone=zone, batch_size=7)
        for batch in file:
            readings.extend(batch.readings)
            errors.extend(batch.errors)
    report = file.report
    got = sorted((r.meter_id, r.timestamp, r.kwh) for r in readings)
    want = [tuple(reading) for reading in wanted["readings"]]
    assert [(m, t) for m, t, _ in got] == [(m, t) for m, t, _ in want]
    for (_, when, kwh), (_, _, kwh_wanted) in zip(got, want, strict=True):
        assert math.isclose(kwh, kwh_wanted, rel_tol=1e-9, abs_tol=1e-12), when
    assert sorted(e.line for e in errors) == wanted["error_lines"], errors
    assert len(errors) == wanted["rejected"]
    for field, value in wanted.get("layout", {}).items():
        assert str(getattr(report, field)).lower() == str(value).lower(), field
    by_values = any("judged by their values" in notice for notice in report.notices)
    assert by_values == (wanted.get("read_by") == "values"), report.notices


def test_the_corpus_spans_the_world() -> None:
    files = [expected(sample) for sample in SAMPLES]
    assert len({f["exporter"] for f in files}) >= 80
    assert len({f["country"] for f in files}) >= 25
    assert len({f["exporter"] for f in files if f.get("read_by") == "values"}) >= 30


def test_the_corpus_readme_lists_every_sample_and_how_it_is_read() -> None:
    readme = (CORPUS / "README.md").read_text()
    for sample in SAMPLES:
        wanted = expected(sample)
        row = next((line for line in readme.splitlines() if f"| `{sample.name}` |" in line), "")
        assert f"| {wanted['country']} | {wanted['read_by']} |" in row, sample.name
