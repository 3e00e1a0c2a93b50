"""Every corpus file read again as exporters and people change it: saved in another encoding,
with other line ends, under a preamble, with a totals line, with a bad row. Each variant must
read exactly like the original (a bad row costing that row alone), so that what the reader
decides comes from the file's meaning, not from the bytes of the one sample it was shown."""

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import LayoutReport, Reading, RowError, read_csv
from tests.unit.test_corpus import SAMPLES, expected

PREAMBLE = ("Energy data export", "Prepared for the variants of this test")
TOTAL = "Total"
BAD_VALUE = "7x"
CODECS = {"utf-8": "utf-8-sig", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
          "shift_jis": "cp932", "euc-kr": "cp949"}  # fmt: skip
BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Read:
    readings: list[tuple[str, str, float]]
    errors: list[RowError]
    report: LayoutReport


def read(data: bytes, sample: Path) -> Read:
    options = expected(sample)["options"]
    zone = ZoneInfo(options["timezone"]) if options["timezone"] else None
    file = read_csv(io.BytesIO(data), meter_id=options["meter_id"], timezone=zone, batch_size=9)
    readings: list[Reading] = []
    errors: list[RowError] = []
    for batch in file:
        readings.extend(batch.readings)
        errors.extend(batch.errors)
    return Read(sorted(readings), sorted(errors), file.report)


def text_of(data: bytes, report: LayoutReport) -> str:
    """The file's text, as the reader says it is encoded."""
    codec = CODECS.get(report.encoding, report.encoding)
    if report.encoding.startswith("utf-16") and data[:2] in BOMS:
        codec = "utf-16"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:  # bytes no Windows code page defines
        return data.decode("latin-1")


def shifted(errors: list[RowError], lines: int) -> list[int]:
    return sorted(error.line + lines for error in errors)


def assert_same_reading(variant: Read, original: Read, lines: int = 0) -> None:
    assert variant.readings == original.readings
    assert [e.line for e in variant.errors] == shifted(original.errors, lines)
    for field in ("family", "delimiter", "decimal", "date_order", "timestamps"):
        assert getattr(variant.report, field) == getattr(original.report, field), field
    assert variant.report.interval_minutes == original.report.interval_minutes


def line_end(text: str) -> str:
    found = re.search(r"\r\n|\r|\n", text)
    return found.group(0) if found else "\n"


# --- the variants -----------------------------------------------------------------------------


def encoded(codec: str, bom: bytes = b"") -> Callable[[str], bytes | None]:
    def variant(text: str) -> bytes | None:
        try:
            return bom + text.encode(codec)
        except UnicodeEncodeError:
            return None  # the file holds letters this code page has not

    return variant


ENCODINGS = {
    "windows-1252": ("windows-1252", encoded("cp1252")),
    "utf-16le with BOM": ("utf-16le", encoded("utf-16-le", codecs.BOM_UTF16_LE)),
    "utf-16le without BOM": ("utf-16le", encoded("utf-16-le")),
    "utf-16be with BOM": ("utf-16be", encoded("utf-16-be", codecs.BOM_UTF16_BE)),
}


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
@pytest.mark.parametrize("name", ENCODINGS)
def test_in_another_encoding(sample: Path, name: str) -> None:
    data = sample.read_bytes()
    original = read(data, sample)
    wanted, encode = ENCODINGS[name]
    if original.report.encoding == wanted:
        pytest.skip("the file is in this encoding already")
    text = text_of(data, original.report).lstrip("\ufeff")
    bytes_ = encode(text)
    if bytes_ is None:
        pytest.skip("the file holds letters this encoding has not")

    variant = read(bytes_, sample)

    ascii_is_utf8 = text.isascii() and not wanted.startswith("utf-16")
    assert variant.report.encoding == ("utf-8" if ascii_is_utf8 else wanted)
    assert_same_reading(variant, original)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
@pytest.mark.parametrize("end", ["\r\n", "\n"], ids=["CRLF", "LF"])
def test_with_other_line_ends(sample: Path, end: str) -> None:
    data = sample.read_bytes()
    original = read(data, sample)
    text = re.sub(r"\r\n|\r|\n", end, text_of(data, original.report))

    assert_same_reading(read(text.encode("utf-8"), sample), original)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_under_a_two_line_preamble(sample: Path) -> None:
    data = sample.read_bytes()
    original = read(data, sample)
    if original.report.family in ("nem12", "nem13"):
        pytest.skip("a NEM file starts at its first record")
    text = text_of(data, original.report).lstrip("\ufeff")
    end = line_end(text)

    variant = read((end.join(PREAMBLE) + end + text).encode("utf-8"), sample)

    assert_same_reading(variant, original, lines=len(PREAMBLE))
    if original.report.header_line:
        assert variant.report.header_line == original.report.header_line + len(PREAMBLE)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_with_a_totals_line_at_the_end(sample: Path) -> None:
    data = sample.read_bytes()
    original = read(data, sample)
    report = original.report
    if report.family in ("nem12", "nem13"):
        pytest.skip("a NEM file ends at its 900 record")
    if report.delimiter == " ":
        pytest.skip("columns of spaces cannot leave a cell empty, as a totals line does")
    text = text_of(data, report)
    end = line_end(text)
    cells = ["" for _ in report.columns]
    time = next(c.index for c in report.columns if c.role in ("time", "date"))
    cells[time] = TOTAL
    for column in report.columns:
        if column.role == "value":
            cells[column.index] = "1234" if report.decimal == "," else "1234.5"
    total = io.StringIO()
    csv.writer(total, delimiter=report.delimiter or ",", lineterminator="").writerow(cells)
    text = text if text.endswith(("\n", "\r")) else text + end

    variant = read((text + total.getvalue() + end).encode("utf-8"), sample)

    assert_same_reading(variant, original)
    assert any("hold no reading" in notice for notice in variant.report.notices)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_with_a_bad_row_among_the_first_five(sample: Path) -> None:
    data = sample.read_bytes()
    original = read(data, sample)
    report = original.report
    if report.family in ("nem12", "nem13"):
        pytest.skip("NEM records are read by the NEM library")
    text = text_of(data, report).lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    found = _data_line(lines, original)
    assert found is not None, "no plain data row among the first five"
    index, cells, values = found
    bad = list(cells)
    for column in values:
        bad[column] = BAD_VALUE
    row = io.StringIO()
    csv.writer(row, delimiter=report.delimiter or ",", lineterminator="").writerow(bad)
    corrupted = [*lines[:index], row.getvalue() + line_end(lines[index]), *lines[index + 1 :]]
    without = [*lines[:index], *lines[index + 1 :]]

    variant = read("".join(corrupted).encode("utf-8"), sample)
    deleted = read("".join(without).encode("utf-8"), sample)

    assert variant.readings == deleted.readings
    wanted = sorted([e.line + (e.line > index) for e in deleted.errors] + [index + 1] * len(values))
    assert [e.line for e in variant.errors] == wanted
    assert all("is not a number" in e.error for e in variant.errors if e.line == index + 1), (
        variant.errors
    )


def _data_line(lines: list[str], original: Read) -> tuple[int, list[str], list[int]] | None:
    """One of the first five data rows: a line that is a whole row, with no problem of its
    own, and numbers in its value columns."""
    report = original.report
    values = [c.index for c in report.columns if c.role == "value"]
    time = next(c.index for c in report.columns if c.role in ("time", "date"))
    bad_lines = {e.line for e in original.errors}
    start = report.header_line or 0
    seen = 0
    for index in range(start, min(len(lines), start + 40)):
        cells = next(csv.reader([lines[index]], delimiter=report.delimiter or ","), [])
        numbers = [c for c in values if c < len(cells) and re.search(r"\d", cells[c])]
        dated = time < len(cells) and re.search(r"\d", cells[time])
        if not numbers or not dated or lines[index].startswith("#"):
            continue
        seen += 1
        if index + 1 not in bad_lines and len(cells) >= len(report.columns) - 1:
            return index, cells, numbers
        if seen == 5:
            return None
    return None
