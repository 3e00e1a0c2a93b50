"""Property-based round trips: readings written in each family's layout read back as written."""

import io
import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from services.csv_reader import Reading, read_csv

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY_STANDARD = timedelta(hours=10)
# January: no clock change in any zone used here.
DAYS = st.integers(0, 27).map(lambda n: datetime(2025, 1, 1) + timedelta(days=n))
KWH = st.integers(0, 999_999).map(lambda n: n / 1000)
# What a home meter's register moves in a quarter hour: a heat pump and a car charger at most.
QUARTER_HOUR_KWH = st.integers(0, 6_000).map(lambda n: n / 1000)
METERS = st.sampled_from(["m1", "north-7", "Zähler Süd", "541448820000123456"])


def read(data: bytes, **options: object) -> list[Reading]:
    readings: list[Reading] = []
    for batch in read_csv(io.BytesIO(data), batch_size=5, **options):  # type: ignore[arg-type]
        assert batch.errors == []
        readings.extend(batch.readings)
    return sorted(readings)


def same(got: list[Reading], wanted: list[Reading]) -> bool:
    return [(r.meter_id, r.timestamp) for r in got] == [
        (r.meter_id, r.timestamp) for r in wanted
    ] and all(math.isclose(a.kwh, b.kwh, abs_tol=1e-9) for a, b in zip(got, wanted, strict=True))


def utc(moment: datetime, zone: ZoneInfo | None = None) -> str:
    aware = moment.replace(tzinfo=zone or UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


series = st.lists(
    st.tuples(METERS, DAYS, st.integers(0, 95), KWH),
    min_size=1,
    max_size=40,
    unique_by=lambda r: r[:3],
)


@settings(max_examples=60, deadline=None)
@given(series)
def test_generic_long_files(rows: list[tuple[str, datetime, int, float]]) -> None:
    lines = ["meter_id,timestamp,kwh"] + [
        f'"{m}",{utc(day + timedelta(minutes=15 * q))},{kwh}' for m, day, q, kwh in rows
    ]
    wanted = sorted(
        Reading(m, utc(day + timedelta(minutes=15 * q)), kwh) for m, day, q, kwh in rows
    )
    assert same(read("\n".join(lines).encode()), wanted)


@settings(max_examples=60, deadline=None)
@given(series)
def test_european_portal_files(rows: list[tuple[str, datetime, int, float]]) -> None:
    lines = ["\ufeffZählpunkt;Datum;Uhrzeit;Verbrauch (kWh)"] + [
        f"{m};{day:%d.%m.%Y};{(day + timedelta(minutes=15 * q)):%H:%M};{str(kwh).replace('.', ',')}"
        for m, day, q, kwh in rows
    ]
    wanted = sorted(
        Reading(m, utc(day + timedelta(minutes=15 * q), BERLIN), kwh) for m, day, q, kwh in rows
    )
    assert same(read("\r\n".join(lines).encode(), timezone=BERLIN), wanted)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAYS, st.integers(0, 23), KWH), min_size=1, max_size=30,
                unique_by=lambda r: r[:2]))  # fmt: skip
def test_green_button_files(rows: list[tuple[datetime, int, float]]) -> None:
    lines = [
        "Name,JANE DOE",
        'Address,"1 MAIN ST, TOWN"',
        "Account Number,1234",
        "",
        "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES",
    ] + [
        f"Electric usage,{day.month}/{day.day}/{day.year},{hour}:00,{hour}:59,{kwh},$0.10,"
        for day, hour, kwh in rows
    ]
    wanted = sorted(
        Reading("1234", utc(day + timedelta(hours=hour), NEW_YORK), kwh) for day, hour, kwh in rows
    )
    assert same(read("\n".join(lines).encode(), timezone=NEW_YORK), wanted)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(DAYS, st.lists(KWH, min_size=24, max_size=24)), min_size=1,
                max_size=5, unique_by=lambda r: r[0]))  # fmt: skip
def test_wide_day_rows(days: list[tuple[datetime, list[float]]]) -> None:
    header = "Giorno;" + ";".join(f"{h:02d}:00-{(h + 1) % 24:02d}:00" for h in range(24))
    lines = [header] + [
        f"{day:%d/%m/%Y};" + ";".join(str(v).replace(".", ",") for v in values)
        for day, values in days
    ]
    wanted = sorted(
        Reading("pod-1", utc(day + timedelta(hours=h), BERLIN), value)
        for day, values in days
        for h, value in enumerate(values)
    )
    assert same(read("\n".join(lines).encode(), timezone=BERLIN, meter_id="pod-1"), wanted)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(QUARTER_HOUR_KWH.filter(bool), QUARTER_HOUR_KWH, QUARTER_HOUR_KWH),
        min_size=3,
        max_size=30,
    )
)
def test_cumulative_registers_become_differences(steps: list[tuple[float, float, float]]) -> None:
    """The import register moves (a register that never does is, from its values, no register);
    its night tariff and the export register may stand still."""
    start = datetime(2025, 1, 10)
    t1, t2, out = 8350.0, 4650.0, 3095.0
    lines = ["time,Import T1 kWh,Import T2 kWh,Export T1 kWh"]
    wanted: list[Reading] = []
    for n, (a, b, c) in enumerate(steps):
        moment = start + timedelta(minutes=15 * n)
        lines.append(f"{moment:%Y-%m-%d %H:%M},{t1:.3f},{t2:.3f},{out:.3f}")
        if n < len(steps) - 1:
            earlier = utc(moment, BERLIN)
            wanted += [Reading("p1", earlier, a + b), Reading("p1:export", earlier, c)]
        t1, t2, out = t1 + a, t2 + b, out + c
    assert same(read("\n".join(lines).encode(), timezone=BERLIN, meter_id="p1"), sorted(wanted))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(DAYS, st.lists(KWH, min_size=48, max_size=48)), min_size=1,
                max_size=3, unique_by=lambda r: r[0]))  # fmt: skip
def test_nem12_files(days: list[tuple[datetime, list[float]]]) -> None:
    lines = ["100,NEM12,202501310930,MDP,RETAILER", "200,NMI0000001,E1,1,E1,N1,MTR1,KWH,30,"]
    lines += [
        f"300,{day:%Y%m%d}," + ",".join(f"{v:.3f}" for v in values) + ",A,,,20250131093012,"
        for day, values in days
    ]
    lines.append("900")
    wanted = sorted(
        Reading(
            "NMI0000001",
            (day + timedelta(minutes=30 * n) - SYDNEY_STANDARD).strftime("%Y-%m-%dT%H:%M:%SZ"),
            value,
        )
        for day, values in days
        for n, value in enumerate(values)
    )
    assert same(read("\r\n".join(lines).encode()), wanted)
