"""Reading usage back, and the one alert an upload with breaches raises."""

from typing import Any

from tests.e2e.conftest import Tenant
from tests.support import ServerProcess

ROWS = b"""meter_id,timestamp,kwh
a,2025-01-01T00:00:00Z,1
b,2025-01-01T00:00:00Z,7
a,2025-01-01T01:00:00Z,9.5
b,2025-01-01T01:00:00Z,2
a,2025-01-02T00:00:00Z,3
"""


def upload(tenant: Tenant, body: bytes = ROWS, **fields: Any) -> dict[str, Any]:
    response = tenant.machine.post("/uploads", files={"files": ("r.csv", body)}, data=fields)
    assert response.status_code == 201, response.text
    report: dict[str, Any] = response.json()["uploads"][0]
    return report


def test_usage_is_ordered_filtered_and_paginated(tenant: Tenant) -> None:
    upload(tenant)
    every = tenant.machine.get("/usage").json()
    assert [(i["meter_id"], i["timestamp"]) for i in every["items"]] == [
        ("a", "2025-01-01T00:00:00Z"),
        ("b", "2025-01-01T00:00:00Z"),
        ("a", "2025-01-01T01:00:00Z"),
        ("b", "2025-01-01T01:00:00Z"),
        ("a", "2025-01-02T00:00:00Z"),
    ]
    assert every["next_cursor"] is None
    window = tenant.machine.get(
        "/usage", params={"meter_id": "a", "start": "2025-01-01T01:00:00Z", "end": "2025-01-02"}
    ).json()
    assert [i["kwh"] for i in window["items"]] == [9.5, 3.0]
    offset = tenant.machine.get("/usage", params={"start": "2025-01-01T02:00:00+01:00"}).json()
    assert len(offset["items"]) == 3
    seen = []
    cursor = None
    while True:
        page = tenant.machine.get(
            "/usage", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
        ).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == every["items"]


def test_usage_bad_parameters(tenant: Tenant) -> None:
    assert tenant.machine.get("/usage", params={"start": "last week"}).status_code == 422
    assert (
        tenant.machine.get(
            "/usage", params={"start": "2025-02-01", "end": "2025-01-01"}
        ).status_code
        == 422
    )
    answer = tenant.machine.get("/usage", params={"cursor": "zzz"})
    assert (answer.status_code, answer.json()["code"]) == (400, "invalid_cursor")
    assert tenant.machine.get("/usage", params={"cursor": "zzz.yyy"}).status_code == 400
    assert tenant.machine.get("/usage", params={"limit": 5000}).status_code == 422


def test_one_alert_per_upload_summarising_breaches(server: ServerProcess, tenant: Tenant) -> None:
    report = upload(tenant, threshold_kwh="5")
    assert report["alert_id"]
    alerts = tenant.machine.get("/alerts").json()
    (alert,) = alerts["items"]
    assert alert["alert_id"] == report["alert_id"]
    assert alert["upload_id"] == report["upload_id"]
    assert alert["threshold_kwh"] == 5
    assert alert["breach_count"] == 2
    assert alert["max_kwh"] == 9.5
    assert alert["breaches"] == [
        {"meter_id": "b", "timestamp": "2025-01-01T00:00:00Z", "kwh": 7.0},
        {"meter_id": "a", "timestamp": "2025-01-01T01:00:00Z", "kwh": 9.5},
    ]
    (log_delivery,) = [d for d in alert["deliveries"] if d["channel"] == "log"]
    assert log_delivery["status"] == "sent"
    assert alert["alert_id"] in server.log()
    console = tenant.operator.client.get(f"/app/{tenant.app['id']}/alerts").json()
    assert console["items"] == alerts["items"]


def test_application_threshold_and_override(server: ServerProcess, tenant: Tenant) -> None:
    app_id = tenant.app["id"]
    body = {
        "App_name": "n",
        "Application": "a",
        "Email": "e@example.com",
        "Domain": "d",
        "threshold_kwh": 8,
        "alert_emails": ["ops@example.com"],
    }
    assert tenant.operator.client.put(f"/app/{app_id}", json=body).status_code == 200
    by_app = upload(tenant)
    assert by_app["alert_id"]
    alert = tenant.machine.get("/alerts").json()["items"][0]
    assert alert["breach_count"] == 1
    (email,) = [d for d in alert["deliveries"] if d["channel"] == "email"]
    assert email["target"] == "ops@example.com"
    if server.env["STORAGE_BACKEND"] == "aws":
        assert email["status"] == "sent", email
    else:
        assert email["status"] == "skipped"
        assert "aws" in email["error"]
    assert upload(tenant, threshold_kwh="100")["alert_id"] is None
    negative = upload(tenant, threshold_kwh="-1")
    negative_alert = tenant.machine.get("/alerts").json()["items"][0]
    assert negative_alert["alert_id"] == negative["alert_id"]
    assert negative_alert["breach_count"] == 5
    assert len(tenant.machine.get("/alerts").json()["items"]) == 2


def test_no_threshold_no_alert(tenant: Tenant) -> None:
    assert upload(tenant)["alert_id"] is None
    assert tenant.machine.get("/alerts").json() == {"items": [], "next_cursor": None}


def test_a_date_alone_as_end_covers_that_whole_day(tenant: Tenant) -> None:
    upload(tenant, b"meter_id,timestamp,kwh\na,2025-01-02T00:00:00Z,1\na,2025-01-02T23:59:59Z,2\n")
    upload(tenant, b"meter_id,timestamp,kwh\na,2025-01-03T00:00:00Z,3\n")
    day = tenant.machine.get("/usage", params={"start": "2025-01-02", "end": "2025-01-02"}).json()
    assert [item["kwh"] for item in day["items"]] == [1.0, 2.0]
    to_the_second = tenant.machine.get("/usage", params={"end": "2025-01-02T00:00:00Z"}).json()
    assert [item["kwh"] for item in to_the_second["items"]] == [1.0]


def test_a_changed_threshold_applies_to_the_next_upload_at_once(tenant: Tenant) -> None:
    app_id = tenant.app["id"]
    assert tenant.operator.client.patch(f"/app/{app_id}", json={"threshold_kwh": 5}).is_success
    first = upload(tenant, b"meter_id,timestamp,kwh\nm,2025-03-01T00:00:00Z,6\n")
    assert first["alert_id"]
    assert tenant.operator.client.patch(f"/app/{app_id}", json={"threshold_kwh": 10}).is_success
    second = upload(tenant, b"meter_id,timestamp,kwh\nm,2025-03-01T01:00:00Z,6\n")
    assert second["alert_id"] is None


def test_only_consumption_breaches_a_threshold(tenant: Tenant) -> None:
    """A feed-in of 6.5 kWh is good news, not an alert; the 7.2 kWh drawn is one."""
    body = "Datum;Bezug kWh;Einspeisung kWh\n01.06.2025 12:00;0,4;6,5\n01.06.2025 12:15;7,2;0,1\n"
    report = upload(tenant, body.encode(), threshold_kwh="5", meter_id="haus")
    assert report["rows_accepted"] == 4  # readings: import and export of two rows
    (alert,) = tenant.machine.get("/alerts").json()["items"]
    assert alert["alert_id"] == report["alert_id"]
    assert alert["breaches"] == [
        {"meter_id": "haus", "timestamp": "2025-06-01T12:15:00Z", "kwh": 7.2}
    ]
