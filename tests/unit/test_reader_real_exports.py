"""Classes of real exports that were read wrong without a word, each in the bytes its kind of
exporter writes: a value twice for one time, registers that start at zero or restart each
night, spelled-out units, a zone in the header, German compound names, net and device
columns, gas and water, interval ends shown only by the file's span, a start a second late,
export written negative, a newest-first autumn night, NEM records with stray spaces."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.csv_reader import Reading, UnreadableFile
from tests.unit.reading import read

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def by_meter(readings: list[Reading]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for reading in readings:
        found.setdefault(reading.meter_id, []).append(reading.kwh)
    return found


# A value given twice for one meter, column and time


def test_a_block_repeated_under_the_same_header_is_said_row_by_row() -> None:
    data = (
        b"Energy consumption time period,Usage(Real energy in kilowatt-hours)\n"
        b"2025-10-19 00:00 to 2025-10-19 01:00,1.000\n"
        b"2025-10-19 01:00 to 2025-10-19 02:00,1.000\n\n"
        b"Energy consumption time period,Usage(Real energy in kilowatt-hours)\n"
        b"2025-10-19 00:00 to 2025-10-19 01:00,-0.400\n"
        b"2025-10-19 01:00 to 2025-10-19 02:00,-0.400\n"
    )

    readings, errors, _ = read(data, meter_id="m", timezone=ZoneInfo("America/Denver"))

    assert [r.kwh for r in readings] == [1.0, 1.0]
    assert [e.split(":")[0] for e in errors] == ["6", "7"]
    assert "already; this one is not stored" in errors[0]


def test_local_times_that_repeat_in_a_file_sent_without_its_zone_are_said() -> None:
    rows = "".join(f"10/29/2022 {hour:02d}:00,{100 + hour}\r\n" for hour in range(24))
    rows += "10/30/2022 00:00,500\r\n10/30/2022 00:00,700\r\n10/30/2022 01:00,300\r\n"
    data = ("Date/Time,Energy Produced (Wh)\r\n" + rows).encode()

    readings, errors, _ = read(data, meter_id="m")

    assert len(readings) == 26
    assert [e.split(":")[0] for e in errors] == ["27"]
    assert "send it as `timezone`" in errors[0]


def test_a_unit_row_under_the_names_is_no_header() -> None:
    data = (
        b'"","Site","Site",""\r\n'
        b'"Timestamp","Production Meter 1","Production Meter 2","Inverters"\r\n'
        b'"","kW","kW","kW"\r\n'
        b'"2/2/2020 12:00 AM","4.0","2.0","null"\r\n'
        b'"2/2/2020 12:15 AM","4.0","2.0","null"\r\n'
    )

    readings, errors, file = read(data, meter_id="m", timezone=ZoneInfo("America/Los_Angeles"))

    assert errors == []
    assert by_meter(readings) == {"m:generation": [1.5, 1.5]}
    assert file.report.header_line == 2


# Registers


def test_a_register_that_starts_at_zero_beside_a_named_one_is_a_register() -> None:
    data = (
        b"OpnameDatum;StandNormaal;TerugleveringNormaal\r\n"
        b"2023-04-21;298;0\r\n2023-04-22;310;0\r\n2023-04-23;317;12\r\n"
        b"2023-04-24;330;25\r\n2023-04-25;338;40\r\n"
    )

    readings, errors, _ = read(data, meter_id="m", timezone=AMSTERDAM)

    assert errors == []
    assert by_meter(readings) == {"m": [12.0, 7.0, 13.0, 8.0], "m:export": [0.0, 12.0, 13.0, 15.0]}


def test_a_young_meters_registers_rise_steadily_and_are_registers() -> None:
    imported = [32.123] * 4 + [32.2, 32.31, 32.5, 32.62, 32.8, 33.0]
    exported = [0.150, 0.161, 0.162, 0.194, 0.254, 0.254, 0.254, 0.254, 0.3, 0.35]
    rows = "".join(
        f"2025-06-24 {20 + (i * 15 + 30) // 60}:{(i * 15 + 30) % 60:02d},{a:.3f},{b:.3f}\n"
        for i, (a, b) in enumerate(zip(imported, exported, strict=True))
    )

    readings, errors, file = read(
        ("time,Import kWh,Export kWh\n" + rows).encode(), meter_id="m", timezone=AMSTERDAM
    )

    assert errors == []
    assert {c.name: c.kind for c in file.report.columns if c.role == "value"} == {
        "Import kWh": "register",
        "Export kWh": "register",
    }
    assert sum(by_meter(readings)["m"]) == pytest.approx(33.0 - 32.123)


def test_a_counter_that_restarts_each_night_gives_each_days_energy_once() -> None:
    day = [0, 0, 120, 800, 1600, 2300, 2900, 3300, 3500, 3550, 3560, 3560]
    values = [*day, *day]
    rows = "".join(f"{1534204800 + 7200 * i},{v}\n" for i, v in enumerate(values))

    readings, errors, _ = read(rows.encode(), meter_id="m", timezone=AMSTERDAM)

    assert errors == []
    assert sum(r.kwh for r in readings) == pytest.approx(2 * 3560)
    assert min(r.kwh for r in readings) >= 0


# Units and zones


@pytest.mark.parametrize(
    ("name", "kwh"),
    [("Garage-EV (kWatts)", 1.8), ("Garage-EV (kWhs)", 7.2), ("Energie (Kilowattstunden)", 7.2)],
)
def test_units_spelled_out_or_pluralised_are_read(name: str, kwh: float) -> None:
    data = f"Time,{name}\n2023-06-09 20:15:00,7.2000\n2023-06-09 20:30:00,7.2000\n".encode()

    readings, errors, _ = read(data, meter_id="m")

    assert errors == []
    assert [r.kwh for r in readings] == [kwh, kwh]


def test_a_zone_named_in_the_header_wins_and_sets_the_date_habit() -> None:
    data = (
        b"Time Bucket (America/New_York),Garage-EV (kWhs)\r\n"
        b"06/09/2023 20:00:00,1.5\r\n06/09/2023 21:00:00,1.5\r\n"
    )

    readings, _, file = read(data, meter_id="m", timezone=ZoneInfo("UTC"))

    assert readings[0].timestamp == "2023-06-10T00:00:00Z"
    assert (file.report.timezone, file.report.timezone_source) == ("America/New_York", "file")


def test_an_offset_named_in_the_header_wins() -> None:
    data = b"Zeit (UTC+01:00);Verbrauch (kWh)\r\n01.02.2025 00:00;0,5\r\n01.02.2025 00:15;0,5\r\n"

    readings, _, _ = read(data, meter_id="m", timezone=ZoneInfo("America/Chicago"))

    assert readings[0].timestamp == "2025-01-31T23:00:00Z"


# Which columns are consumption


def test_a_net_column_in_words_is_not_added_to_import() -> None:
    data = (
        b"datum;afname verbruik dal;afname verbruik normaal;"
        b"afname minus invoeding verbruik totaal\r\n"
        b"25-01-2024;6;13;15\r\n26-01-2024;7;12;16\r\n"
    )

    readings, _, _ = read(data, meter_id="m", timezone=AMSTERDAM)

    assert by_meter(readings) == {"m": [19.0, 19.0]}


def test_a_column_in_unknown_words_beside_a_feed_in_is_left_out_and_said() -> None:
    data = (
        "\ufeffMesszeitpunkt;Einspeisung (kWh);Gemeinschaftsüberschuss (kWh)\r\n"
        "01.06.2024 00:00;1,000000;0,250000\r\n01.06.2024 00:15;1,000000;0,250000\r\n"
    ).encode()

    readings, _, file = read(data, meter_id="m", timezone=ZoneInfo("Europe/Vienna"))

    assert by_meter(readings) == {"m:export": [1.0, 1.0]}
    assert any("gemeinschaftsuberschuss" in notice for notice in file.report.notices)


def test_german_compound_names_a_state_of_charge_and_a_devices_share() -> None:
    header = (
        "timestamp;Ladezustand;Netzeinspeisung;Netzbezug;Solarproduktion Tracker 1;"
        "Solarproduktion Tracker 2;Solarproduktion;Hausverbrauch;Wallbox (ID 1) Netzbezug"
    )
    rows = (
        "01.10.2021 00:00;47;0;0,2;0;0;0;0,3;0,1\r\n"
        "01.10.2021 00:15;46;0,1;0,3;0,5;0,5;1;0,4;0,1\r\n"
    )

    readings, _, file = read((header + "\r\n" + rows).encode(), meter_id="m")

    assert by_meter(readings) == {
        "m": [0.2, 0.3],
        "m:export": [0.0, 0.1],
        "m:generation": [0.0, 1.0],
        "m:load": [0.3, 0.4],
    }
    assert "Ladezustand" not in {c.name for c in file.report.columns if c.role == "value"}


def test_an_inverters_phase_power_beside_its_energy_register_is_not_consumption() -> None:
    data = (
        b",Metering.TotWhOut,GridMs.W.phsA (Avg),GridMs.W.phsB (Avg)\r\n"
        b"DD.MM.YYYY hh:mm:ss,[Wh],[W],[W]\r\n"
        b"30.06.2025 12:00:00,41919016,1200,1200\r\n30.06.2025 12:05:00,41919216,1200,1200\r\n"
        b"30.06.2025 12:10:00,41919416,1200,1200\r\n"
    )

    readings, _, _ = read(data, meter_id="m", timezone=AMSTERDAM)

    assert by_meter(readings) == {"m:generation": [0.2, 0.2]}


# Gas and water


def test_gas_rows_named_only_by_a_type_column_are_not_read_and_said_once() -> None:
    data = (
        b'"Datum","EAN","Verbruik","Type"\n'
        b'"2022-01-01T00:00:00+01:00","871687120061402458","0.742","Elektriciteit"\n'
        b'"2022-01-01T00:00:00+01:00","871687140013926764","0.092","Gas"\n'
        b'"2022-01-01T01:00:00+01:00","871687140013926764","0.046","Gas"\n'
    )

    readings, errors, file = read(data)

    assert by_meter(readings) == {"871687120061402458": [0.742]}
    assert errors == []
    assert "2 rows hold gas without a unit, which is not read (the first on line 3)." in (
        file.report.notices
    )


def test_a_meter_with_rows_in_cubic_metres_is_a_gas_meter() -> None:
    data = (
        "\ufeffVan datum;Van tijdstip;Tot datum;Tot tijdstip;EAN-code;Register;Volume;Eenheid\r\n"
        '10-01-2022;07:00:00;10-01-2022;08:00:00;="541448860018322037";Afname;5,445;kWh\r\n'
        '10-01-2022;07:00:00;10-01-2022;08:00:00;="541448860018322037";Afname;0,498;m³\r\n'
    ).encode()

    readings, errors, _ = read(data, timezone=ZoneInfo("Europe/Brussels"))

    assert by_meter(readings) == {"541448860018322037:gas": [5.445]}
    assert errors == []


@pytest.mark.parametrize(
    ("header", "said"),
    [("time,water usage dl", "holds water"), ("time,Total gas used", "gas without a unit")],
)
def test_a_file_of_water_or_unitless_gas_is_refused_with_a_sentence(header: str, said: str) -> None:
    data = f"{header}\n2025-03-28 14:00,116\n2025-03-28 14:15,303\n".encode()

    with pytest.raises(UnreadableFile, match=said):
        read(data, meter_id="m")


# When an interval is


def test_stamps_from_one_interval_after_midnight_to_midnight_are_ends() -> None:
    times = [f"01.01.2024 {q // 4:02d}:{q % 4 * 15:02d}" for q in range(1, 96)]
    rows = "".join(f"{t};0,100000\r\n" for t in [*times, "02.01.2024 00:00"])
    data = ("\ufeffMesszeitpunkt;Verbrauch (kWh)\r\n" + rows).encode()

    readings, _, file = read(data, meter_id="m", timezone=ZoneInfo("Europe/Vienna"))

    assert (readings[0].timestamp, readings[-1].timestamp) == (
        "2023-12-31T23:00:00Z",
        "2024-01-01T22:45:00Z",
    )
    assert file.report.timestamps == "end"


@pytest.mark.parametrize("newest_first", [False, True])
@pytest.mark.parametrize("ends", [True, False])
def test_a_long_file_is_judged_by_its_whole_span(ends: bool, newest_first: bool) -> None:
    start = datetime(2024, 1, 1, 0, 15) if ends else datetime(2024, 1, 1)
    stamps = [start + timedelta(minutes=15 * q) for q in range(96 * 200)]
    if newest_first:
        stamps.reverse()
    rows = "".join(f"{t:%d.%m.%Y %H:%M};0,1\r\n" for t in stamps)
    data = ("Messzeitpunkt;Verbrauch (kWh)\r\n" + rows).encode()

    readings, errors, file = read(data, meter_id="m", timezone=ZoneInfo("UTC"))

    assert errors == []
    assert file.report.timestamps == ("end" if ends else "start")
    assert readings[0].timestamp == "2024-01-01T00:00:00Z"


def test_starts_a_second_into_their_interval_are_starts() -> None:
    data = (
        b"Starting Date,Ending Date,Starting Time,Ending Time,kWh Usage\r\n"
        b"11/01/2020,11/01/2020,00:00:01,00:15:00,121.920\r\n"
        b"11/01/2020,11/01/2020,00:15:01,00:30:00,120.000\r\n"
    )

    readings, _, _ = read(data, meter_id="m", timezone=ZoneInfo("America/Los_Angeles"))

    assert [r.timestamp for r in readings] == ["2020-11-01T07:00:00Z", "2020-11-01T07:15:00Z"]


def test_export_written_as_negative_numbers_is_read_as_export_and_said() -> None:
    data = (
        b"Vanaf;Tot;Verbruik;Teruglevering\r\n"
        b"2013-06-01 00:00;2013-06-02 00:00;6,257;-4,377\r\n"
        b"2013-06-02 00:00;2013-06-03 00:00;6,334;0\r\n"
    )

    readings, _, file = read(data, meter_id="m", timezone=AMSTERDAM)

    assert by_meter(readings)["m:export"] == [4.377, 0.0]
    assert any("negative numbers" in notice for notice in file.report.notices)


def test_the_repeated_autumn_hour_of_a_newest_first_file_keeps_its_order() -> None:
    data = (
        b"MPRN,Read Value,Read Type,Read Date and End Time\r\n"
        b"1,0.1245,Active Import Interval (kWh),29-10-2023 02:00\r\n"
        b"1,0.1265,Active Import Interval (kWh),29-10-2023 01:30\r\n"
        b"1,0.1300,Active Import Interval (kWh),29-10-2023 01:00\r\n"
        b"1,0.1380,Active Import Interval (kWh),29-10-2023 01:30\r\n"
        b"1,0.1330,Active Import Interval (kWh),29-10-2023 01:00\r\n"
        b"1,0.2410,Active Import Interval (kWh),29-10-2023 00:30\r\n"
    )

    readings, _, _ = read(data, timezone=ZoneInfo("Europe/Dublin"))

    assert [(r.timestamp, r.kwh) for r in readings] == [
        ("2023-10-28T23:00:00Z", 0.241),
        ("2023-10-28T23:30:00Z", 0.133),
        ("2023-10-29T00:00:00Z", 0.138),
        ("2023-10-29T00:30:00Z", 0.13),
        ("2023-10-29T01:00:00Z", 0.1265),
        ("2023-10-29T01:30:00Z", 0.1245),
    ]


# NEM records


def test_a_nem13_record_with_a_stray_space_in_a_date_is_read() -> None:
    data = (
        b"100,NEM13,200401101030,MDA1,Ret1\r\n"
        b"250,VABC005890,11,1,11,11,METSER123,E,006342.8,20031005093055,A,,,007654.9,"
        b"20040107100333,A,,,1312.1,kWh,20040407, 20040108100333,20040108091133\r\n"
        b"900\r\n"
    )

    readings, errors, _ = read(data)

    assert errors == []
    assert [(r.meter_id, r.kwh) for r in readings] == [("VABC005890", 1312.1)]


def test_a_nem12_stream_is_claimed_whatever_its_nmi_looks_like() -> None:
    values = ",".join(["0.5"] * 48)
    data = (
        f"200,(redacted),E1,E1,E1,,252129362,KWH,30,\n300,20231019,{values},A,,,20231020000000,\n"
    )

    readings, _, file = read(data.encode())

    assert file.report.family == "nem12"
    assert sum(r.kwh for r in readings) == pytest.approx(24.0)


# A second pass over real exports


def test_a_nem12_meters_import_streams_are_summed_not_overwritten() -> None:
    day = ",".join(["1.0"] * 48)
    data = (
        "100,NEM12,200506081149,UNITEDDP,NEMMCO\r\n"
        "200,NEM1201002,E1E2,E1,E1,N1,01002,KWH,30,\r\n"
        f"300,20050315,{day},A,,,20050316014209,\r\n"
        "200,NEM1201002,E1E2,E2,E2,N1,01002,KWH,30,\r\n"
        f"300,20050315,{day},A,,,20050316014209,\r\n"
        "900\r\n"
    )

    readings, _, _ = read(data.encode())

    assert len(readings) == 48
    assert sum(r.kwh for r in readings) == pytest.approx(96.0)


def test_a_zones_abbreviation_in_the_time_columns_name_is_its_zone() -> None:
    data = (
        b'"Time (CET/CEST)","Actual Total Load [MW] - BZN|FI"\r\n'
        b'"01.07.2019 00:00 - 01.07.2019 01:00","10467"\r\n'
        b'"01.07.2019 01:00 - 01.07.2019 02:00","10152"\r\n'
    )

    readings, _, file = read(data, meter_id="fi", timezone=ZoneInfo("Europe/Helsinki"))

    assert readings[0].timestamp == "2019-06-30T22:00:00Z"
    assert file.report.timezone_source == "file"


def test_a_unit_line_above_the_header_gives_the_unit() -> None:
    data = (
        "単位[MW平均],,\r\nDATE,TIME,太陽光発電実績\r\n2026/04/01,00:00,2\r\n2026/04/01,00:30,2\r\n"
    )

    readings, _, _ = read(data.encode("cp932"), meter_id="area", timezone=ZoneInfo("Asia/Tokyo"))

    assert [(r.meter_id, r.kwh) for r in readings] == [("area:generation", 1000.0)] * 2


def test_a_short_shift_jis_file_is_read_in_its_code_page() -> None:
    data = (
        "予測値\uff08\uff21\uff0d\uff12\uff09\r\n"  # a title in full-width letters
        "日付,時間帯_自,使用電力量(kWh)\r\n2025/04/16,0:00,1.5\r\n2025/04/16,0:30,1.6\r\n"
    )

    readings, _, file = read(data.encode("cp932"), meter_id="m", timezone=ZoneInfo("Asia/Tokyo"))

    assert file.report.encoding == "shift_jis"
    assert [r.kwh for r in readings] == [1.5, 1.6]


@pytest.mark.parametrize(
    ("header", "meters"),
    [
        ("Vanaf;Tot;Verbruik", {"m"}),
        ("datum;afname verbruik normaal;invoeding productie normaal", {"m", "m:export"}),
        ("Date;From Grid (kWh);To Grid (kWh)", {"m", "m:export"}),
        ("Date;Thermal_Generation;Hydro_Water_Generation", {"m:generation"}),
    ],
)
def test_words_of_real_headers_name_their_columns(header: str, meters: set[str]) -> None:
    columns = header.count(";")
    first = "2013-03-30 00:00;2013-03-31 00:00" if header.startswith("Vanaf") else "30-03-2013"
    second = "2013-03-31 00:00;2013-04-01 00:00" if header.startswith("Vanaf") else "31-03-2013"
    values = ";".join(["5"] * (columns - (1 if header.startswith("Vanaf") else 0)))
    data = f"{header}\r\n{first};{values}\r\n{second};{values}\r\n".encode()

    readings, _, _ = read(data, meter_id="m", timezone=AMSTERDAM)

    assert {r.meter_id for r in readings} == meters


def test_a_forecast_beside_the_actual_values_is_not_read() -> None:
    data = (
        b'"Time (UTC)","Day-ahead Total Load Forecast [MW]","Actual Total Load [MW]"\r\n'
        b'"01.01.2019 00:00 - 01.01.2019 01:00","10018","10467"\r\n'
        b'"01.01.2019 01:00 - 01.01.2019 02:00","9692","10152"\r\n'
    )

    readings, _, _ = read(data, meter_id="m")

    assert [r.kwh for r in readings] == [10_467_000.0, 10_152_000.0]


def test_a_total_beside_its_parts_is_the_channels_quantity() -> None:
    data = (
        "日付,時間帯_自,エリア総発電量(kWh),エリア風力・太陽光発電量(kWh)\r\n"
        "20250415,0:00,1731270,164500\r\n20250415,0:30,1706840,175000\r\n"
    ).encode("cp932")

    readings, _, _ = read(data, meter_id="m", timezone=ZoneInfo("Asia/Tokyo"))

    assert [r.kwh for r in readings] == [1731270.0, 1706840.0]


def test_a_register_with_a_small_dip_is_a_register_and_the_dip_is_said() -> None:
    values = [22800, 22810, 22820, 22830, 22840, 22850, 22834, 22844, 22854, 22864, 22874]
    rows = "".join(f"{1534266000 + 3600 * i},{v}\n" for i, v in enumerate(values))

    readings, errors, _ = read(rows.encode(), meter_id="m", timezone=AMSTERDAM)

    assert {r.kwh for r in readings} == {10.0}
    assert len(errors) == 1
    assert "went down" in errors[0]


def test_a_row_written_twice_with_the_same_value_is_no_error() -> None:
    rows = "".join(f"2024-05-01 {h:02d}:00;{h},5\r\n" for h in range(6))
    data = ("Zeit;Verbrauch (kWh)\r\n" + rows + rows).encode()

    readings, errors, _ = read(data, meter_id="m", timezone=AMSTERDAM)

    assert errors == []
    assert len(readings) == 6


def test_a_meter_reading_under_a_water_title_is_refused_as_water() -> None:
    data = "Wasser\r\n\r\nDatum;Zählerstand;Kommentar\r\n29.10.2022 11:39;120,5;\r\n".encode()

    with pytest.raises(UnreadableFile, match="holds water"):
        read(data, meter_id="m", timezone=ZoneInfo("Europe/Berlin"))
