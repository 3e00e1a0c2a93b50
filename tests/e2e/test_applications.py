"""Applications: CRUD, validation, and nobody sees another operator's."""

import httpx
import pytest

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, app_body


def test_create_read_update_list_delete(operator: Operator) -> None:
    created = operator.create_app(
        threshold_kwh=2.5,
        alert_emails=["alerts@example.com"],
        alert_sns_topic_arn="arn:aws:sns:us-east-1:123456789012:wattkey-alerts",
    )
    assert created["name"] == "Meters North"
    assert created["application_id"] == "meters-north"
    assert created["email"] == "ops@example.com"
    assert created["domain"] == "example.com"
    assert created["threshold_kwh"] == 2.5
    assert created["alert_emails"] == ["alerts@example.com"]
    assert created["created_at"] == created["updated_at"]
    app_id = created["id"]
    assert operator.client.get(f"/app/{app_id}").json() == created
    updated = operator.client.put(
        f"/app/{app_id}", json=app_body(App_name="Renamed", threshold_kwh=None)
    )
    assert updated.status_code == 200
    assert updated.json()["name"] == "Renamed"
    assert updated.json()["threshold_kwh"] is None
    assert updated.json()["created_at"] == created["created_at"]
    second = operator.create_app(App_name="Second")
    listed = operator.client.get("/apps").json()
    assert [app["id"] for app in listed] == [app_id, second["id"]]
    assert operator.client.delete(f"/app/{app_id}").status_code == 204
    assert operator.client.get(f"/app/{app_id}").status_code == 404
    assert operator.client.delete(f"/app/{app_id}").status_code == 404
    assert [app["id"] for app in operator.client.get("/apps").json()] == [second["id"]]


@pytest.mark.parametrize(
    "body",
    [
        app_body(App_name=""),
        app_body(Email="nope"),
        app_body(threshold_kwh="lots"),
        app_body(alert_emails=["not an email"]),
        app_body(alert_sns_topic_arn="topic"),
        {"App_name": "only a name"},
    ],
)
def test_invalid_bodies_are_422(operator: Operator, body: dict[str, object]) -> None:
    response = operator.client.post("/app", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_a_bad_topic_arn_is_refused_with_an_example(operator: Operator) -> None:
    response = operator.client.post("/app", json=app_body(alert_sns_topic_arn="alerts"))
    assert response.status_code == 422
    assert "must be an SNS topic ARN such as arn:aws:sns:" in response.json()["detail"]


def test_patch_changes_only_the_fields_given(operator: Operator) -> None:
    created = operator.create_app(threshold_kwh=2.5, alert_emails=["a@example.com"])
    app_id = created["id"]
    changed = operator.client.patch(f"/app/{app_id}", json={"threshold_kwh": 7})
    assert changed.status_code == 200
    body = changed.json()
    assert body.pop("updated_at") >= created.pop("updated_at")
    assert body == {**created, "threshold_kwh": 7.0}
    assert operator.client.get(f"/app/{app_id}").json()["threshold_kwh"] == 7.0
    renamed = operator.client.patch(
        f"/app/{app_id}", json={"name": "Renamed", "alert_emails": None, "threshold_kwh": None}
    ).json()
    assert (renamed["name"], renamed["alert_emails"], renamed["threshold_kwh"]) == (
        "Renamed",
        [],
        None,
    )
    assert renamed["application_id"] == created["application_id"]
    for body in ({"App_name": None}, {"Email": "nope"}, {"threshold_kwh": True}, []):
        refused = operator.client.patch(f"/app/{app_id}", json=body)
        assert refused.status_code == 422, body
        assert isinstance(refused.json()["detail"], str)
    assert operator.client.patch("/app/app_missing", json={"name": "x"}).status_code == 404


def test_optional_fields_may_be_null(operator: Operator) -> None:
    created = operator.create_app(threshold_kwh=None, alert_emails=None, alert_sns_topic_arn=None)
    assert created["alert_emails"] == []
    assert created["threshold_kwh"] is None


def test_requires_a_signed_in_operator(server: ServerProcess) -> None:
    assert httpx.post(f"{server.url}/app", json=app_body()).status_code == 401
    assert httpx.get(f"{server.url}/apps").status_code == 401


def test_another_operators_application_is_404_everywhere(
    server: ServerProcess, tenant: Tenant
) -> None:
    intruder = Operator.register(server.url)
    app_id = tenant.app["id"]
    key_id = tenant.operator.client.get(f"/app/{app_id}/api-keys").json()[0]["id"]
    attempts = [
        ("GET", f"/app/{app_id}", None),
        ("PUT", f"/app/{app_id}", app_body()),
        ("DELETE", f"/app/{app_id}", None),
        ("POST", f"/app/{app_id}/api-key", {}),
        ("GET", f"/app/{app_id}/api-keys", None),
        ("DELETE", f"/app/{app_id}/api-key/{key_id}", None),
        ("GET", f"/app/{app_id}/uploads", None),
        ("GET", f"/app/{app_id}/usage", None),
        ("GET", f"/app/{app_id}/alerts", None),
    ]
    for method, path, body in attempts:
        response = intruder.client.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
    upload = intruder.client.post(
        f"/app/{app_id}/uploads", files={"files": ("a.csv", b"meter_id,timestamp,kwh\n")}
    )
    assert upload.status_code == 404
    assert intruder.client.get("/apps").json() == []
    assert tenant.operator.client.get(f"/app/{app_id}").status_code == 200
    assert tenant.machine.get("/protected").status_code == 200
