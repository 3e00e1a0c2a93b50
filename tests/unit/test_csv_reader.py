"""services.csv_reader: every layout of docs/csv-layouts.md, row errors, streaming."""

import io
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import (
    KWH_PER_THERM,
    Batch,
    Reading,
    RowError,
    UnreadableFile,
    read_csv,
)
from services.csv_reader.table.head import HEAD_LINES
from services.csv_reader.text.encoding import CHUNK_BYTES

LONDON = ZoneInfo("Europe/London")
NO_METER = (
    "The file names no meter (no column such as meter_id, EAN, MPRN or Zählpunkt); "
    "send meter_id with the upload."
)
NEW_YORK = ZoneInfo("America/New_York")


def csv_bytes(*lines: str, newline: str = "\n") -> bytes:
    return "".join(line + newline for line in lines).encode()


def read_all(
    data: bytes,
    *,
    meter_id: str | None = None,
    timezone: tzinfo | None = None,
    batch_size: int = 5000,
) -> tuple[list[Reading], list[RowError]]:
    readings: list[Reading] = []
    errors: list[RowError] = []
    for batch in read_csv(
        io.BytesIO(data), meter_id=meter_id, timezone=timezone, batch_size=batch_size
    ):
        readings.extend(batch.readings)
        errors.extend(batch.errors)
    return readings, errors


def read_ok(
    data: bytes, *, meter_id: str | None = None, timezone: tzinfo | None = None
) -> list[Reading]:
    readings, errors = read_all(data, meter_id=meter_id, timezone=timezone)
    assert errors == []
    return readings


def single_error(data: bytes) -> RowError:
    readings, errors = read_all(data)
    assert readings == []
    assert len(errors) == 1
    return errors[0]


def unreadable_reason(data: bytes) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_csv(io.BytesIO(data))
    return str(caught.value)


# Generic layout


def test_generic_example() -> None:
    data = csv_bytes("meter_id,timestamp,kwh", "north-7,2025-01-01T00:00:00Z,0.42")

    assert read_ok(data) == [Reading("north-7", "2025-01-01T00:00:00Z", 0.42)]


@pytest.mark.parametrize(
    "meter_name",
    [
        "meter_id", "meter", "user_id", "userid", "customer_id", "account_id", "device_id",
        "site_id", "lclid", "Meter ID", "METER-ID", " Meter_Id ",
    ],
)  # fmt: skip
def test_meter_aliases(meter_name: str) -> None:
    data = csv_bytes(f"{meter_name},timestamp,kwh", "m1,2025-01-01T00:00:00Z,1")

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", 1.0)]


@pytest.mark.parametrize(
    "time_name",
    [
        "timestamp", "datetime", "date_time", "reading_time", "interval_start", "start_time",
        "Time Stamp", "DateTime", "Interval-Start",
    ],
)  # fmt: skip
def test_time_aliases(time_name: str) -> None:
    data = csv_bytes(f"meter,{time_name},kwh", "m1,2025-01-01 06:00,1")

    assert read_ok(data) == [Reading("m1", "2025-01-01T06:00:00Z", 1.0)]


@pytest.mark.parametrize(
    "usage_name",
    [
        "kwh", "usage", "usage_kwh", "usage (kwh)", "consumption", "energy", "energy_kwh",
        "value", "kwh/hh (per half hour)", "KWH/hh (per half hour) ", "Usage (kWh)", "KWh",
    ],
)  # fmt: skip
def test_usage_aliases(usage_name: str) -> None:
    data = csv_bytes(f'meter,timestamp,"{usage_name}"', "m1,2025-01-01T00:00:00Z,2.5")

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", 2.5)]


def test_columns_in_any_order_with_extra_columns() -> None:
    data = csv_bytes("note,kwh,site_id,extra,timestamp", "x,0.5,s1,y,2025-01-01T00:00:00Z")

    assert read_ok(data) == [Reading("s1", "2025-01-01T00:00:00Z", 0.5)]


@pytest.mark.parametrize(("unit", "kwh"), [("Wh", 1.5), ("kWh", 1500.0), ("MWh", 1_500_000.0)])
@pytest.mark.parametrize("unit_name", ["unit", "Units"])
def test_unit_column_converts_to_kwh(unit_name: str, unit: str, kwh: float) -> None:
    data = csv_bytes(f"meter,timestamp,value,{unit_name}", f"m1,2025-01-01T00:00:00Z,1500,{unit}")

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", kwh)]


def test_wh_values_stay_exactly_rounded() -> None:
    data = csv_bytes("meter,timestamp,value,unit", "m1,2025-01-01T00:00:00Z,9,Wh")

    assert read_ok(data)[0].kwh == 0.009


def test_unit_names_ignore_case_and_spaces() -> None:
    data = csv_bytes("meter,timestamp,value,unit", "m1,2025-01-01T00:00:00Z,2000, wh ")

    assert read_ok(data)[0].kwh == 2.0


def test_bom_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        "meter_id,timestamp,kwh", "m1,2025-01-01T00:00:00Z,1", newline="\r\n"
    )

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", 1.0)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(delimiter: str) -> None:
    data = csv_bytes(
        delimiter.join(["meter_id", "timestamp", "kwh"]),
        delimiter.join(["m1", "2025-01-01T00:00:00Z", "1.25"]),
    )

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", 1.25)]


def test_negative_kwh_is_a_reading() -> None:
    data = csv_bytes("meter,timestamp,kwh", "m1,2025-01-01T00:00:00Z,-0.75")

    assert read_ok(data)[0].kwh == -0.75


def test_values_with_surrounding_spaces() -> None:
    data = csv_bytes("meter,timestamp,kwh", " m1 , 2025-01-01T00:00:00Z , 0.5 ")

    assert read_ok(data) == [Reading("m1", "2025-01-01T00:00:00Z", 0.5)]


def test_meter_id_is_used_without_a_meter_column() -> None:
    data = csv_bytes("timestamp,kwh", "2025-01-01T00:00:00Z,1")

    assert read_ok(data, meter_id="gateway-3") == [
        Reading("gateway-3", "2025-01-01T00:00:00Z", 1.0)
    ]


def test_meter_id_fills_empty_meter_cells_only() -> None:
    data = csv_bytes("meter,timestamp,kwh", "m1,2025-01-01T00:00:00Z,1", ",2025-01-01T01:00:00Z,2")

    assert [reading.meter_id for reading in read_ok(data, meter_id="fallback")] == [
        "m1",
        "fallback",
    ]


# Timestamps


@pytest.mark.parametrize(
    ("stamp", "utc"),
    [
        ("2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
        ("2025-01-01 00:00:00Z", "2025-01-01T00:00:00Z"),
        ("2025-01-01T00:00Z", "2025-01-01T00:00:00Z"),
        ("2025-01-01T01:30:00+01:00", "2025-01-01T00:30:00Z"),
        ("2025-01-01T00:00:00-05:00", "2025-01-01T05:00:00Z"),
        ("2025-01-01T12:00:00", "2025-01-01T12:00:00Z"),
        ("2025-01-01 12:00", "2025-01-01T12:00:00Z"),
        ("2012-10-12 00:30:00.0000000", "2012-10-12T00:30:00Z"),
        ("2025-01-01", "2025-01-01T00:00:00Z"),
        ("2025/01/02", "2025-01-02T00:00:00Z"),
        ("2025/1/2 3:04:05", "2025-01-02T03:04:05Z"),
        ("1/2/2025", "2025-01-02T00:00:00Z"),
        ("1/2/2025 3:04", "2025-01-02T03:04:00Z"),
        ("12/31/2025 23:59:59", "2025-12-31T23:59:59Z"),
    ],
)
def test_timestamp_formats(stamp: str, utc: str) -> None:
    data = csv_bytes("meter,timestamp,kwh", f"m1,{stamp},1")

    assert read_ok(data)[0].timestamp == utc


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        ("2025-01-15T12:00:00", "2025-01-15T12:00:00Z"),  # GMT
        ("2025-07-15T12:00:00", "2025-07-15T11:00:00Z"),  # BST
        ("2025-10-26T01:30:00", "2025-10-26T00:30:00Z"),  # twice in autumn: the first
        ("2025-07-15", "2025-07-14T23:00:00Z"),  # a date alone is local midnight
        ("2025-07-15T12:00:00Z", "2025-07-15T12:00:00Z"),  # an offset wins over the zone
        ("2025-07-15T12:00:00+02:00", "2025-07-15T10:00:00Z"),
    ],
)
def test_timezone_applies_to_timestamps_without_offset(local: str, utc: str) -> None:
    data = csv_bytes("meter,timestamp,kwh", f"m1,{local},1")

    assert read_ok(data, timezone=LONDON)[0].timestamp == utc


def test_date_and_time_columns() -> None:
    data = csv_bytes(
        "meter,date,time,kwh",
        "m1,2025-07-15,9:30,1",
        "m1,7/15/2025,23:45:10,2",
        "m1,2025/07/16,00:00,3",
    )

    readings = read_ok(data, timezone=LONDON)

    assert [reading.timestamp for reading in readings] == [
        "2025-07-15T08:30:00Z",
        "2025-07-15T22:45:10Z",
        "2025-07-15T23:00:00Z",
    ]


def test_date_with_empty_time_is_rejected() -> None:
    data = csv_bytes("meter,date,time,kwh", "m1,2025-07-15,,1")

    assert single_error(data) == RowError(2, "The time of day is missing.")


def test_date_column_alone_means_midnight() -> None:
    data = csv_bytes("meter,date,kwh", "m1,2025-01-05,12")

    assert read_ok(data) == [Reading("m1", "2025-01-05T00:00:00Z", 12.0)]


def test_more_distinct_timestamps_than_the_cache_holds() -> None:
    local = [datetime(2024, 1, 1) + timedelta(hours=hour) for hour in range(20_000)]
    data = csv_bytes("meter,timestamp,kwh", *(f"m1,{moment:%Y-%m-%d %H:%M},1" for moment in local))

    readings, errors = read_all(data, timezone=NEW_YORK)

    skipped = [m for m in local if m.replace(tzinfo=NEW_YORK).astimezone(UTC).astimezone(
        NEW_YORK).replace(tzinfo=None) != m]  # fmt: skip
    assert [m.strftime("%Y-%m-%d %H") for m in skipped] == [
        "2024-03-10 02",
        "2025-03-09 02",
        "2026-03-08 02",
    ]
    assert len(errors) == 3
    expected = [
        m.replace(tzinfo=NEW_YORK).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for m in local
        if m not in skipped
    ]
    assert sorted(reading.timestamp for reading in readings) == expected


def test_the_repeated_autumn_hour_is_read_in_file_order() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    stamps = ["01:30", "02:00", "02:30", "02:00", "02:30", "03:00"]
    data = csv_bytes(
        "meter,timestamp,kwh",
        *(f"{meter},2025-10-26 {stamp},{n}" for n, stamp in enumerate(stamps) for meter in "ab"),
    )

    readings, errors = read_all(data, timezone=berlin)

    assert errors == []
    for meter in "ab":
        assert sorted(r.timestamp[11:16] for r in readings if r.meter_id == meter) == [
            "00:00", "00:30", "01:00", "01:30", "02:00", "23:30",
        ]  # fmt: skip


def test_a_local_time_the_clocks_skip_is_a_row_error() -> None:
    data = csv_bytes("meter,timestamp,kwh", "m1,2025-03-30 01:30,1", "m1,2025-03-30 02:30,1")

    readings, errors = read_all(data, timezone=ZoneInfo("Europe/Berlin"))

    assert readings == [Reading("m1", "2025-03-30T00:30:00Z", 1.0)]
    assert errors == [
        RowError(
            3,
            "Timestamp '2025-03-30 02:30' does not exist in Europe/Berlin: the clocks went "
            "forward past it.",
        )
    ]


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ("1_000", "kWh value '1_000' is not a number."),
        ("١٢٣", "kWh value '١٢٣' is not a number."),
        ("\uff11\uff12", "kWh value '\uff11\uff12' is not a number."),  # fullwidth 12
    ],
)
def test_only_plain_ascii_numbers_are_numbers(cell: str, error: str) -> None:
    assert single_error(csv_bytes("meter,timestamp,kwh", f"m1,2025-01-01T00:00:00Z,{cell}")) == (
        RowError(2, error)
    )


def test_fractions_of_a_second_are_refused_not_merged() -> None:
    data = csv_bytes(
        "meter,timestamp,kwh",
        "m1,2025-01-01T00:00:00.1Z,1",
        "m1,2025-01-01T00:00:00.9Z,2",
        "m1,2025-01-01 00:00:01.000,3",
        "m1,1/2/2025 00:00:02.5,4",
    )

    readings, errors = read_all(data)

    assert readings == [Reading("m1", "2025-01-01T00:00:01Z", 3.0)]
    assert [e.line for e in errors] == [2, 3, 5]
    assert all("has a fraction of a second" in e.error for e in errors)


def test_years_before_1000_keep_four_digits_and_sort() -> None:
    data = csv_bytes("meter,timestamp,kwh", "m1,0999-12-31T23:00:00Z,1", "m1,0001-01-01,2")

    assert [r.timestamp for r in read_ok(data)] == ["0999-12-31T23:00:00Z", "0001-01-01T00:00:00Z"]


def test_times_off_the_calendar_in_utc_are_row_errors() -> None:
    data = csv_bytes(
        "meter,timestamp,kwh", "m1,0001-01-01T00:00:00+01:00,1", "m1,9999-12-31T23:59:59-01:00,1"
    )

    readings, errors = read_all(data)

    assert readings == []
    assert all("outside the years 0001 to 9999" in e.error for e in errors)


def test_long_cells_are_quoted_by_their_start_and_long_meter_ids_refused() -> None:
    data = csv_bytes(
        "meter,timestamp,kwh", f"m1,2025-01-01T00:00:00Z,{'9' * 5000}x", f"{'m' * 201},2025-01-01,1"
    )

    readings, errors = read_all(data)

    assert readings == []
    assert errors[0].error == f"kWh value '{'9' * 40}'… is not a number."
    assert errors[1].error == f"The meter id '{'m' * 40}'… is longer than 200 characters."


# Green Button "Download My Data"


def test_green_button_net_metering_example() -> None:
    data = csv_bytes(
        "Name,JANE DOE",
        "Account Number,0000000000",
        "",
        "TYPE,DATE,START TIME,END TIME,IMPORT (kWh),EXPORT (kWh),COST,NOTES",
        "Electric usage,2025-06-01,00:00,00:14,0.30,0.00,$0.09,",
        "Electric usage,2025-06-01,12:00,12:14,0.05,0.80,$0.00,",
    )

    readings = read_ok(data)

    # Import and export are channels of their own, never one net figure.
    assert sorted(readings) == [
        Reading("0000000000", "2025-06-01T00:00:00Z", 0.30),
        Reading("0000000000", "2025-06-01T12:00:00Z", 0.05),
        Reading("0000000000:export", "2025-06-01T00:00:00Z", 0.0),
        Reading("0000000000:export", "2025-06-01T12:00:00Z", 0.80),
    ]


def test_green_button_usage_and_units_with_full_preamble() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        "Name,JANE DOE",
        'Address,"123 MAIN ST, ANYTOWN CA 94000"',
        "Account Number,1234567890",
        "Service,Service 1",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST ,NOTES",
        "Electric usage,6/1/2025,0:00,0:14,0.12,kWh,$0.02,",
        "Electric usage,6/1/2025,0:15,0:29,120,Wh,$0.02,* This data was estimated",
        newline="\r\n",
    )

    readings = read_ok(data, timezone=NEW_YORK)

    assert readings == [
        Reading("Service 1", "2025-06-01T04:00:00Z", 0.12),
        Reading("Service 1", "2025-06-01T04:15:00Z", 0.12),
    ]


def test_green_button_usage_kwh_column() -> None:
    data = csv_bytes(
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES",
        "Electric usage,2025-06-01,23:00,23:59,1.5,$0.20,",
    )

    assert read_ok(data, meter_id="m9") == [Reading("m9", "2025-06-01T23:00:00Z", 1.5)]


def test_green_button_meter_id_wins_over_preamble() -> None:
    data = csv_bytes(
        "Account Number,111",
        "Service,222",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES",
        "Electric usage,2025-06-01,00:00,00:59,1,$0.20,",
    )

    assert read_ok(data, meter_id="upload-meter")[0].meter_id == "upload-meter"


def test_green_button_gas_in_therms() -> None:
    data = csv_bytes(
        "Account Number,42",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE (therms),COST,NOTES",
        "Natural gas usage,2025-01-01,00:00,23:59,2,$3.10,",
    )

    assert read_ok(data) == [Reading("42:gas", "2025-01-01T00:00:00Z", 2 * KWH_PER_THERM)]


def test_green_button_gas_units_column() -> None:
    data = csv_bytes(
        "TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST,NOTES",
        "Natural gas usage,1/2/2025,0:00,23:59,1.5,therms,$2.00,",
    )

    assert read_ok(data, meter_id="home") == [
        Reading("home:gas", "2025-01-02T00:00:00Z", 1.5 * KWH_PER_THERM)
    ]


def test_green_button_leaves_water_rows_unread_and_says_so() -> None:
    data = csv_bytes(
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES",
        "Water usage,2025-06-01,00:00,00:59,1,$0.20,",
        "Electric usage,2025-06-01,01:00,01:59,2,$0.20,",
    )
    file = read_csv(io.BytesIO(data), meter_id="m")

    readings = [reading for batch in file for reading in batch.readings]

    assert readings == [Reading("m", "2025-06-01T01:00:00Z", 2.0)]
    said = "1 row holds 'Water usage', no active energy, which is not read (the first on line 2)."
    assert said in file.report.notices


def test_green_button_without_any_meter_is_unreadable() -> None:
    data = csv_bytes(
        "Name,JANE DOE",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES",
        "Electric usage,2025-06-01,00:00,00:59,1,$0.20,",
    )

    assert unreadable_reason(data) == NO_METER


# London smart-meter data (LCL)

LCL_HEADER = "LCLid,stdorToU,DateTime,KWH/hh (per half hour) "


def test_lcl_layout_with_null_reading() -> None:
    data = csv_bytes(
        LCL_HEADER,
        "MAC000246,Std,2012-10-12 00:30:00.0000000, 0.25 ",
        "MAC000246,Std,2012-10-12 01:00:00.0000000,Null",
        "MAC000246,Std,2012-10-12 01:30:00.0000000, 0 ",
        newline="\r\n",
    )

    readings, errors = read_all(data)

    assert readings == [
        Reading("MAC000246", "2012-10-12T00:30:00Z", 0.25),
        Reading("MAC000246", "2012-10-12T01:30:00Z", 0.0),
    ]
    assert errors == [RowError(3, "Missing value.")]


def test_lcl_with_acorn_columns_and_spaces_around_values() -> None:
    data = csv_bytes(
        LCL_HEADER + ",Acorn,Acorn_grouped",
        " MAC000002 , Std , 2013-06-01 12:00:00.0000000 , 1.5 ,ACORN-A,Affluent",
        newline="\r\n",
    )

    assert read_ok(data) == [Reading("MAC000002", "2013-06-01T12:00:00Z", 1.5)]


def test_lcl_times_are_utc_whatever_the_upload_zone() -> None:
    data = csv_bytes(LCL_HEADER, "MAC000246,Std,2013-06-01 12:00:00.0000000,1", newline="\r\n")

    assert read_ok(data, timezone=LONDON)[0].timestamp == "2013-06-01T12:00:00Z"


# European exports


def test_european_semicolon_decimal_comma_unit_and_offset() -> None:
    data = csv_bytes(
        "\ufeffZählpunkt;Zeitstempel;Timestamp;Value;Unit",
        "DE0001;Neujahr;2025-01-01T00:00:00+01:00;1234,5;Wh",
        "DE0001;Neujahr;2025-01-01T01:00:00+01:00;0,75;kWh",
    )

    readings = read_ok(data, meter_id="Zähler Nord")

    # A metering point id in the file wins over the meter_id a client sends.
    assert readings == [
        Reading("DE0001", "2024-12-31T23:00:00Z", 1.2345),
        Reading("DE0001", "2025-01-01T00:00:00Z", 0.75),
    ]


def test_european_non_ascii_meter_names() -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        "meter_id;timestamp;kwh", "Øresund-Süd;2025-03-01T00:00:00+01:00;1,5", newline="\r\n"
    )

    assert read_ok(data) == [Reading("Øresund-Süd", "2025-02-28T23:00:00Z", 1.5)]


# Rejected rows


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("m1,2025-01-01T00:00:00Z", "Missing value."),
        ("m1,2025-01-01T00:00:00Z,1,2", "The row has 4 fields but the header has 3."),
        ("m1,,1", "The timestamp is missing."),
        (
            "m1,yesterday,1",
            "Timestamp 'yesterday' is not a date and time this service reads; "
            "use ISO 8601 such as 2025-01-01T00:00:00Z.",
        ),
        (
            "m1,2025-02-30T00:00:00Z,1",
            "'2025-02-30' is not a date; use ISO 8601 such as 2025-01-01T00:00:00Z.",
        ),
        ("m1,2025-01-01T00:00:00Z,1.2.3", "kWh value '1.2.3' is not a number."),
        ("m1,2025-01-01T00:00:00Z,1e999", "kWh value '1e999' is not a finite number."),
        ("m1,2025-01-01T00:00:00Z,abc", "Missing value ('abc')."),
        ("m1,2025-01-01T00:00:00Z,NaN", "Missing value."),
        ("m1,2025-01-01T00:00:00Z,", "Missing value."),
        ("m1,2025-01-01T00:00:00Z,Null", "Missing value."),
        ("m1,2025-01-01T00:00:00Z,-", "Missing value."),
        ("m1,2025-01-01T00:00:00Z,\u2014", "Missing value."),
        (
            ",2025-01-01T00:00:00Z,1",
            "The meter is empty; fill it in or send meter_id with the upload.",
        ),
    ],
)
def test_rejected_row(row: str, error: str) -> None:
    data = csv_bytes("meter_id,timestamp,kwh", row)

    assert single_error(data) == RowError(2, error)


def test_unknown_unit_is_rejected() -> None:
    data = csv_bytes("meter,timestamp,value,unit", "m1,2025-01-01T00:00:00Z,1,kWs")

    assert single_error(data) == RowError(
        2, "Unit 'kWs' is unknown; use Wh, kWh, MWh, kW, W or therms."
    )


def test_overflowing_conversion_is_rejected() -> None:
    data = csv_bytes("meter,timestamp,value,unit", "m1,2025-01-01T00:00:00Z,1e306,MWh")

    error = single_error(data)
    assert error.line == 2
    assert "out of range" in error.error


def test_error_lines_count_preamble_blank_lines_and_multiline_fields() -> None:
    data = csv_bytes(
        "Exported by gateway 7",  # 1
        "",  # 2
        "meter_id,timestamp,kwh,note",  # 3
        'm1,2025-01-01T00:00:00Z,1,"two',  # 4
        'lines"',  # 5
        "",  # 6
        "m1,not a time,1,x",  # 7
        'm1,2025-01-01T01:00:00Z,abc,"a\r\nb"',  # 8-9
        "   ",  # 10
        "m1,2025-01-01T02:00:00Z,2",  # 11: the empty note left off
        "m1,2025-01-01T03:00:00Z,3,x,y",  # 12: a field too many
        newline="\r\n",
    )

    readings, errors = read_all(data)

    assert sorted(reading.kwh for reading in readings) == [1.0, 2.0]
    assert [error.line for error in errors] == [7, 8, 12]


def test_a_quoted_cell_longer_than_a_line_may_be_is_a_row_error() -> None:
    runaway = '"' + ("x" * 1000 + "\n") * 70 + '"'
    data = csv_bytes("meter_id,timestamp,kwh", f"m1,{runaway},1")

    readings, errors = read_all(data)

    assert readings == []
    assert errors[0].error == "The row cannot be read: field larger than field limit (65536)."


def test_a_line_longer_than_the_bound_makes_the_file_unreadable() -> None:
    data = csv_bytes("meter_id,timestamp,kwh", "m1,2025-01-01T00:00:00Z,1", "x" * 70_000)

    assert unreadable_reason(data) == (
        "Line 3 is longer than 65536 bytes; no energy CSV has such lines, so the file is not read."
    )


# Unreadable files


def test_empty_file() -> None:
    assert unreadable_reason(b"") == "The file is empty."


def test_file_of_blank_lines() -> None:
    assert unreadable_reason(b"\r\n\n  \n") == "The file has only blank lines."


def test_nul_bytes() -> None:
    reason = unreadable_reason(b"meter,timestamp,kwh\n\x00\x01\x02")

    assert reason == "The file is not text: line 2 holds a NUL byte. Save it as CSV text."


def test_a_file_that_is_not_utf8_is_read_in_its_code_page() -> None:
    data = "meter,timestamp,kwh\nZähler,2025-01-01,1\n".encode("latin-1")

    file = read_csv(io.BytesIO(data))

    assert [r for batch in file for r in batch.readings] == [
        Reading("Zähler", "2025-01-01T00:00:00Z", 1.0)
    ]
    assert file.report.encoding == "windows-1252"


def test_no_recognisable_header() -> None:
    reason = unreadable_reason(csv_bytes("meter,when,amount", "m1,yesterday,1"))

    assert reason.startswith("No header row was recognised")
    assert "The widest row names: 'meter', 'when', 'amount'." in reason
    assert "column mapping" in reason


def test_unknown_names_over_clear_values_are_read_by_their_values() -> None:
    file = read_csv(io.BytesIO(csv_bytes("sensor,ts,level", "m1,2025-01-01,1")))

    assert [r for batch in file for r in batch.readings] == [
        Reading("m1", "2025-01-01T00:00:00Z", 1.0)
    ]
    assert "judged by their values" in file.report.notices[0]


def test_header_after_the_head_is_not_found() -> None:
    data = csv_bytes(*["comment"] * HEAD_LINES, "meter,timestamp,kwh", "m1,2025-01-01,1")

    assert unreadable_reason(data).startswith("No header row was recognised")


def test_header_after_preamble_and_blank_lines_is_found() -> None:
    data = csv_bytes(*["comment", ""] * 49, "meter,timestamp,kwh", "m1,2025-01-01,1")

    assert read_all(data) == ([Reading("m1", "2025-01-01T00:00:00Z", 1.0)], [])


def test_no_meter_column_and_no_meter_id() -> None:
    reason = unreadable_reason(csv_bytes("timestamp,kwh", "2025-01-01T00:00:00Z,1"))

    assert reason == NO_METER


def test_utf8_character_cut_by_the_first_chunk_is_fine() -> None:
    header = "meter,timestamp,kwh\n"
    filler = "m1,2025-01-01T00:00:00Z,1\n"
    padding = CHUNK_BYTES - len(header) - 1  # 'é' then straddles the chunk's end
    data = (header + filler * (padding // len(filler)) + "x" * (padding % len(filler))).encode()
    data += "é,2025-01-01T00:00:00Z,1\n".encode()

    readings, errors = read_all(data)

    assert readings[-1].meter_id.endswith("é")
    assert errors == []


def test_a_byte_that_is_not_utf8_anywhere_decides_the_whole_file() -> None:
    data = csv_bytes("meter,timestamp,kwh", *["m1,2025-01-01T00:00:00Z,1"] * 60_000)
    data += b"m\xfc,2025-01-01T00:00:00Z,1\n"

    file = read_csv(io.BytesIO(data))
    meters = {r.meter_id for batch in file for r in batch.readings}

    assert meters == {"m1", "mü"}
    assert file.report.encoding == "windows-1252"


def test_a_nul_byte_anywhere_makes_the_file_unreadable() -> None:
    data = csv_bytes("meter,timestamp,kwh", *["m1,2025-01-01T00:00:00Z,1"] * 60_000)
    data += b"m\x001,2025-01-01T00:00:00Z,1\n"

    assert "line 60002 holds a NUL byte" in unreadable_reason(data)


# Batching and streaming


def test_batches_hold_at_most_batch_size_rows() -> None:
    lines = [f"m1,2025-01-01T0{hour}:00:00Z,{hour}" for hour in range(5)]
    data = csv_bytes("meter,timestamp,kwh", *lines[:2], "m1,bad,1", *lines[2:])

    batches = list(read_csv(io.BytesIO(data), batch_size=2))

    assert all(len(batch.readings) + len(batch.errors) <= 2 for batch in batches)
    assert len(batches) == 3
    assert [r.kwh for batch in batches for r in batch.readings] == [0, 1, 2, 3, 4]
    assert [e.line for batch in batches for e in batch.errors] == [4]


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        read_csv(io.BytesIO(b"meter,timestamp,kwh\n"), batch_size=0)


def test_header_without_rows_yields_nothing() -> None:
    assert list(read_csv(io.BytesIO(b"meter,timestamp,kwh\r\n\r\n"))) == []


def test_big_file_is_streamed_not_loaded() -> None:
    rows = 200_000
    lines = (f"m{i % 50},2025-01-01T{i % 24:02d}:00:00Z,{i % 10}" for i in range(rows))
    stream = io.BytesIO(csv_bytes("meter_id,timestamp,kwh", *lines))

    batches = iter(read_csv(stream, batch_size=1000))
    first: Batch = next(batches)
    position_after_first_batch = stream.tell()
    total = len(first.readings) + sum(len(batch.readings) for batch in batches)

    assert position_after_first_batch < len(stream.getvalue()) // 10
    assert total == rows
    assert not stream.closed


def test_readings_outside_the_storable_range_are_rejected() -> None:
    body = b"meter_id,timestamp,kwh\nm,2025-01-01,1e20\nm,2025-01-02,1e-200\nm,2025-01-03,0\n"
    (batch,) = read_csv(io.BytesIO(body))
    assert [reading.kwh for reading in batch.readings] == [0.0]
    assert [error.line for error in batch.errors] == [2, 3]
    assert all("out of range" in error.error for error in batch.errors)
