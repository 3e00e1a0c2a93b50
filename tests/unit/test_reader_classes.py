"""The classes of files a new user found read wrong or refused, each with a file of its own:
encodings, a decimal point in a `;` file, a register guessed against its name, decisions from
the head only, unknown words, numbers in the wrong role, NEM12 without its header, a lone
quantity's direction."""

import codecs
import io
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import Reading, UnreadableFile, read_csv
from tests.support import ROOT
from tests.unit.reading import read

VIENNA = ZoneInfo("Europe/Vienna")


AUSTRIAN = (
    "Zählpunkt;Datum;Zeit;Verbrauch [kWh]\r\n"
    "AT001;01.02.2025;00:00;0,5\r\nAT001;01.02.2025;00:15;0,25\r\n"
)


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (AUSTRIAN.encode("cp1252"), "windows-1252"),
        (AUSTRIAN.encode("utf-16-le"), "utf-16le"),
        (codecs.BOM_UTF16_LE + AUSTRIAN.encode("utf-16-le"), "utf-16le"),
        (codecs.BOM_UTF16_BE + AUSTRIAN.encode("utf-16-be"), "utf-16be"),
        ("Datum;Spotřeba kWh\r\n01.02.2025;1,5\r\n".encode("cp1250"), "windows-1250"),
    ],
    ids=["windows-1252", "utf-16le", "utf-16le bom", "utf-16be bom", "windows-1250"],
)
def test_files_in_the_encodings_portals_and_excel_write_are_read(encoded: bytes, name: str) -> None:
    readings, errors, file = read(encoded, timezone=VIENNA, meter_id="m")

    assert errors == []
    assert readings
    assert file.report.encoding == name


def test_a_decimal_point_in_a_semicolon_file_is_a_decimal_point() -> None:
    data = b"meter;timestamp;kwh\nm;2025-01-01T00:00:00Z;0.219\nm;2025-01-01T01:00:00Z;1.234\n"

    readings, errors, file = read(data)

    assert [r.kwh for r in readings] == [0.219, 1.234]
    assert errors == []
    assert file.report.decimal == "."


def test_a_thousands_dot_is_only_one_where_the_column_shows_a_comma() -> None:
    data = b"meter;timestamp;kwh\nm;2025-01-01T00:00:00Z;1.234\nm;2025-01-01T01:00:00Z;0,5\n"

    readings, errors, _ = read(data)

    assert [r.kwh for r in readings] == [1234.0, 0.5]
    assert errors == []


def test_a_cell_in_the_other_notation_is_a_row_problem_not_a_thousand_times_more() -> None:
    data = b"meter;timestamp;kwh\nm;2025-01-01T00:00:00Z;1,5\nm;2025-01-01T01:00:00Z;0.219\n"

    readings, errors, _ = read(data)

    assert [r.kwh for r in readings] == [1.5]
    assert errors == [
        "3: kWh value '0.219' is not a number in this column's notation, which writes a "
        "decimal comma."
    ]


@pytest.mark.parametrize("name", ["KWH/hh (per half hour) ", "Verbrauch", "consumption", "kWh"])
def test_a_column_named_as_interval_energy_is_never_a_register(name: str) -> None:
    rows = "".join(f"m,2025-01-01 {h:02d}:00,{0.125 + h / 1000:.3f}\n" for h in range(6))

    readings, _, _ = read(f"meter,timestamp,{name}\n{rows}".encode())

    assert [r.kwh for r in readings] == [0.125, 0.126, 0.127, 0.128, 0.129, 0.13]


def test_month_first_is_read_from_a_date_late_in_the_file() -> None:
    days = [f"m,01/{day:02d}/2025 00:00,1\n" for day in range(1, 15)]

    readings, errors, file = read(("meter,timestamp,kwh\n" + "".join(days)).encode())

    assert errors == []
    assert file.report.date_order == "mdy"
    assert readings[-1].timestamp == "2025-01-14T00:00:00Z"


def test_a_three_row_file_with_one_bad_value_keeps_its_other_rows() -> None:
    data = "Meter,Reading Time,Usage\nm1,2025-01-01 00:00,1\nm1,2025-01-01 01:00,\u2014\n".encode()

    readings, errors, _ = read(data)

    assert readings == [Reading("m1", "2025-01-01T00:00:00Z", 1.0)]
    assert errors == ["3: Missing value."]


def test_names_no_vocabulary_knows_are_read_by_their_values() -> None:
    data = "Sayaç No;Okuma Zamanı;Tüketim\nTR-57;2025-01-01 00:00;0,4\nTR-57;2025-01-01 01:00;0,6\n"

    readings, errors, file = read(data.encode(), timezone=ZoneInfo("Europe/Istanbul"))

    assert [r.kwh for r in readings] == [0.4, 0.6]
    assert errors == []
    assert "judged by their values" in file.report.notices[0]
    assert readings[0] == Reading("TR-57", "2024-12-31T21:00:00Z", 0.4)


def test_a_postcode_is_no_time_of_day() -> None:
    data = b"meter,date,postcode,kwh\nm,2025-01-01,1010,0.5\nm,2025-01-02,1010,0.7\n"

    readings, _, file = read(data)

    assert [r.timestamp for r in readings] == ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"]
    roles = {c.name: c.role for c in file.report.columns}
    assert roles["postcode"] == "ignored"


def test_a_registers_values_are_no_meter_ids_and_a_date_time_no_kwh() -> None:
    rows = "".join(f"2025-01-01 {h:02d}:00;{123456 + h * 3}\n" for h in range(5))

    readings, _, _ = read(f"Zeitmarke;Zählwerk\n{rows}".encode(), meter_id="m")

    assert [r.kwh for r in readings] == [3.0, 3.0, 3.0, 3.0]
    assert {r.meter_id for r in readings} == {"m"}


def test_a_nem12_file_without_its_100_record_is_read_and_says_so() -> None:
    whole = (ROOT / "tests" / "corpus" / "au-nem12-mdff-interval.csv").read_bytes()
    headless = whole.split(b"\n", 1)[1]

    readings, errors, file = read(headless)
    wanted, _, _ = read(whole)

    assert readings == wanted
    assert errors == []
    assert file.report.family == "nem12"
    assert "without the 100 header record" in file.report.notices[0]


@pytest.mark.parametrize(
    ("name", "meter"),
    [
        ("Einspeisung kWh", "m:export"),
        ("Feed-in (kWh)", "m:export"),
        ("PV yield kWh", "m:generation"),
    ],
)
def test_the_direction_a_lone_column_names_is_kept(name: str, meter: str) -> None:
    data = f"timestamp,{name}\n2025-06-01T12:00:00Z,1.5\n".encode()

    readings, _, _ = read(data, meter_id="m")

    assert readings == [Reading(meter, "2025-06-01T12:00:00Z", 1.5)]


def test_several_unnamed_quantities_are_refused_with_the_columns_found() -> None:
    data = b"Kanal;Zeitmarke;Wert A;Wert B\nG-7;2025-06-01 00:00;12;3\nG-7;2025-06-01 01:00;14;4\n"

    with pytest.raises(UnreadableFile) as refused:
        read_csv(io.BytesIO(data))

    assert "without saying which is which" in str(refused.value)
    assert refused.value.layout is not None
    assert [c.name for c in refused.value.layout.columns] == [
        "Kanal",
        "Zeitmarke",
        "Wert A",
        "Wert B",
    ]
