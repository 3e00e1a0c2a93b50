"""Usage summaries and meters as clients read them: calendar buckets in a zone, every bucket
listed, one meter or all, the clocks changing, tenancy and every refusal."""

from typing import Any

import pytest

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess


def upload(tenant: Tenant, rows: list[str], **fields: str) -> None:
    body = "meter_id,timestamp,kwh\n" + "\n".join(rows) + "\n"
    answer = tenant.machine.post("/uploads", files={"files": ("u.csv", body.encode())}, data=fields)
    assert answer.status_code == 201, answer.text
    assert answer.json()["uploads"][0]["rows_rejected"] == 0


def summary(tenant: Tenant, **params: str) -> dict[str, Any]:
    answer = tenant.machine.get("/usage/summary", params=params)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def hourly(meter: str, start: str, hours: int, kwh: float = 1.0) -> list[str]:
    """`hours` readings of `kwh`, one an hour of UTC from the UTC hour `start`."""
    from datetime import datetime, timedelta

    first = datetime.fromisoformat(start)
    return [
        f"{meter},{(first + timedelta(hours=n)).strftime('%Y-%m-%dT%H:%M:%SZ')},{kwh}"
        for n in range(hours)
    ]


def test_days_when_european_clocks_change_have_23_and_25_hours(tenant: Tenant) -> None:
    upload(tenant, hourly("m", "2025-03-29T00:00:00+00:00", 72))
    upload(tenant, hourly("m", "2025-10-25T00:00:00+00:00", 72))
    spring = summary(
        tenant, interval="day", start="2025-03-29", end="2025-03-31", timezone="Europe/Berlin"
    )
    assert [(b["start"], b["end"], b["readings"]) for b in spring["buckets"]] == [
        ("2025-03-29T00:00:00+01:00", "2025-03-30T00:00:00+01:00", 23),  # from 01:00 local
        ("2025-03-30T00:00:00+01:00", "2025-03-31T00:00:00+02:00", 23),
    ]
    autumn = summary(
        tenant, interval="day", start="2025-10-26", end="2025-10-27", timezone="Europe/Berlin"
    )
    (day,) = autumn["buckets"]
    assert (day["readings"], day["kwh"], day["max_kwh"]) == (25, 25.0, 1.0)
    assert (autumn["start"], autumn["end"]) == (
        "2025-10-26T00:00:00+02:00",
        "2025-10-27T00:00:00+01:00",
    )
    assert autumn["total_kwh"] == 25.0
    assert (autumn["interval"], autumn["timezone"], autumn["meter_id"]) == (
        "day",
        "Europe/Berlin",
        None,
    )


def test_american_hours_when_clocks_go_back(tenant: Tenant) -> None:
    upload(tenant, hourly("m", "2025-11-02T04:00:00+00:00", 4, kwh=2.0))
    hours = summary(
        tenant,
        interval="hour",
        start="2025-11-02T00:00:00",
        end="2025-11-02T03:00:00",
        timezone="America/New_York",
    )
    assert [b["start"] for b in hours["buckets"]] == [
        "2025-11-02T00:00:00-04:00",
        "2025-11-02T01:00:00-04:00",
        "2025-11-02T01:00:00-05:00",
        "2025-11-02T02:00:00-05:00",
    ]
    assert [b["kwh"] for b in hours["buckets"]] == [2.0, 2.0, 2.0, 2.0]


def test_empty_buckets_one_meter_and_every_meter(tenant: Tenant) -> None:
    upload(
        tenant,
        ["a,2025-01-01T10:00:00Z,1.5", "b,2025-01-01T11:00:00Z,2", "a,2025-01-03T00:00:00Z,4"],
    )
    every = summary(tenant, interval="day", start="2025-01-01", end="2025-01-04")
    assert [(b["kwh"], b["max_kwh"], b["readings"]) for b in every["buckets"]] == [
        (3.5, 2.0, 2),
        (0.0, None, 0),
        (4.0, 4.0, 1),
    ]
    only_a = summary(tenant, interval="day", start="2025-01-01", end="2025-01-04", meter_id="a")
    assert only_a["meter_id"] == "a"
    assert [b["kwh"] for b in only_a["buckets"]] == [1.5, 0.0, 4.0]
    assert only_a["total_kwh"] == 5.5


def test_a_solar_home_total_is_its_consumption_and_export_stays_apart(tenant: Tenant) -> None:
    net_metering = (
        "Name,JANE DOE\r\nAccount Number,0000000000\r\n\r\n"
        "TYPE,DATE,START TIME,END TIME,IMPORT (kWh),EXPORT (kWh),COST,NOTES\r\n"
        "Electric usage,2025-06-01,00:00,00:14,0.30,0.00,$0.09,\r\n"
        "Electric usage,2025-06-01,12:00,12:14,0.05,0.80,$0.00,\r\n"
        "Electric usage,2025-06-02,12:00,12:14,0.10,1.20,$0.00,\r\n"
    )
    sent = tenant.machine.post(
        "/uploads",
        files={"files": ("green-button.csv", net_metering.encode())},
        data={"meter_id": "home"},
    )
    assert sent.status_code == 201, sent.text

    every = summary(tenant, interval="day", start="2025-06-01", end="2025-06-03")
    export = summary(
        tenant, interval="day", start="2025-06-01", end="2025-06-03", meter_id="home:export"
    )

    assert every["meter_id"] is None
    assert every["total_kwh"] == pytest.approx(0.45)
    assert [b["kwh"] for b in every["buckets"]] == pytest.approx([0.35, 0.10])
    assert every["channels"] == pytest.approx({"export": 2.0})
    assert export["total_kwh"] == pytest.approx(2.0)
    assert export["channels"] == {}


def test_month_buckets_and_a_range_cut_to_start_and_end(tenant: Tenant) -> None:
    upload(
        tenant, ["m,2025-01-20T00:00:00Z,1", "m,2025-02-10T00:00:00Z,2", "m,2025-03-05T00:00:00Z,4"]
    )
    months = summary(tenant, interval="month", start="2025-01-15", end="2025-03-10")
    assert [(b["start"][:10], b["end"][:10], b["kwh"]) for b in months["buckets"]] == [
        ("2025-01-15", "2025-02-01", 1.0),
        ("2025-02-01", "2025-03-01", 2.0),
        ("2025-03-01", "2025-03-10", 4.0),
    ]


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"start": "2025-01-01", "end": "2025-01-02"}, "interval"),
        ({"interval": "week", "start": "2025-01-01", "end": "2025-01-02"}, "interval"),
        ({"interval": "day", "end": "2025-01-02"}, "start"),
        ({"interval": "day", "start": "2025-01-01"}, "end"),
        (
            {"interval": "day", "start": "2025-01-02", "end": "2025-01-02"},
            "end must be after start",
        ),
        (
            {"interval": "day", "start": "2025-01-03", "end": "2025-01-02"},
            "end must be after start",
        ),
        ({"interval": "day", "start": "yesterday", "end": "2025-01-02"}, "start must be an ISO"),
        (
            {
                "interval": "day",
                "start": "2025-01-01",
                "end": "2025-01-02",
                "timezone": "Mars/Olympus",
            },
            "not a time zone",
        ),
        ({"interval": "hour", "start": "2020-01-01", "end": "2025-01-01"}, "more than 10000 hours"),
        (
            {"interval": "day", "start": "0001-01-01T00:00:00+01:00", "end": "2025-01-01"},
            "0001 to 9999",
        ),
    ],
)
def test_every_refusal_is_a_422_sentence(tenant: Tenant, params: dict[str, str], said: str) -> None:
    answer = tenant.machine.get("/usage/summary", params=params)
    assert answer.status_code == 422, answer.text
    assert said in answer.json()["detail"]


def test_ten_thousand_buckets_are_fine(tenant: Tenant) -> None:
    found = summary(tenant, interval="hour", start="2025-01-01", end="2026-02-21T16:00:00")
    assert len(found["buckets"]) == 10_000


def test_meters_with_their_first_and_last_readings(tenant: Tenant) -> None:
    upload(
        tenant, ["b,2025-01-02T00:00:00Z,1", "a,2025-01-01T00:00:00Z,1", "b,2025-01-05T00:00:00Z,1"]
    )
    upload(
        tenant,
        ["a,2025-01-09T00:00:00Z,1"] + [f"m{n:02d},2025-02-01T00:00:00Z,1" for n in range(5)],
    )
    first = tenant.machine.get("/meters", params={"limit": 3}).json()
    assert first["items"] == [
        {
            "meter_id": "a",
            "first_timestamp": "2025-01-01T00:00:00Z",
            "last_timestamp": "2025-01-09T00:00:00Z",
        },
        {
            "meter_id": "b",
            "first_timestamp": "2025-01-02T00:00:00Z",
            "last_timestamp": "2025-01-05T00:00:00Z",
        },
        {
            "meter_id": "m00",
            "first_timestamp": "2025-02-01T00:00:00Z",
            "last_timestamp": "2025-02-01T00:00:00Z",
        },
    ]
    rest = tenant.machine.get("/meters", params={"cursor": first["next_cursor"]}).json()
    assert [m["meter_id"] for m in rest["items"]] == ["m01", "m02", "m03", "m04"]
    assert rest["next_cursor"] is None
    by_operator = tenant.operator.client.get(f"/app/{tenant.app['id']}/meters").json()
    assert len(by_operator["items"]) == 7


def test_another_tenant_sees_nothing_of_it(server: ServerProcess, tenant: Tenant) -> None:
    upload(tenant, ["a,2025-01-01T00:00:00Z,1"])
    other = Tenant(server, Operator.register(server.url))
    assert other.machine.get("/meters").json()["items"] == []
    theirs = other.machine.get(
        "/usage/summary", params={"interval": "day", "start": "2025-01-01", "end": "2025-01-02"}
    )
    assert theirs.json()["total_kwh"] == 0
    for path in ("meters", "usage/summary?interval=day&start=2025-01-01&end=2025-01-02"):
        assert other.operator.client.get(f"/app/{tenant.app['id']}/{path}").status_code == 404
    assert (
        tenant.operator.client.get(
            f"/app/{tenant.app['id']}/usage/summary",
            params={"interval": "day", "start": "2025-01-01", "end": "2025-01-02"},
        ).json()["total_kwh"]
        == 1.0
    )
