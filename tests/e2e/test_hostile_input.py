"""Input a careless or hostile client sends: always a 4xx with a sentence, never a 500."""

import base64
import json

import httpx

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess


def test_moments_off_the_calendar_are_422(tenant: Tenant) -> None:
    for bounds in (
        {"start": "0001-01-01T00:00:00+01:00"},
        {"end": "9999-12-31T23:59:59-01:00"},
    ):
        answer = tenant.machine.get("/usage", params=bounds)
        assert answer.status_code == 422, answer.text
        assert "outside the years 0001 to 9999" in answer.json()["detail"]
    key = tenant.operator.client.post(
        f"/app/{tenant.app['id']}/api-key", json={"expires_at": "0001-01-01T00:00:00+01:00"}
    )
    assert key.status_code == 422
    assert "0001 to 9999" in key.json()["detail"]


def test_forged_nested_and_borrowed_cursors_are_refused(
    server: ServerProcess, tenant: Tenant, operator: Operator
) -> None:
    nested = base64.urlsafe_b64encode(b"[" * 50_000 + b"]" * 50_000).decode().rstrip("=")
    forged = base64.urlsafe_b64encode(json.dumps(["zzz"]).encode()).decode().rstrip("=")
    for cursor in (f"{forged}.AAAAAAAAAAAAAAAAAAAAAA", f"{nested[:2000]}.x"):
        answer = tenant.machine.get("/uploads", params={"cursor": cursor})
        assert answer.status_code == 400, answer.text
        assert answer.json()["detail"].startswith("The cursor is not one this API returned")
    for n in range(3):
        body = f"meter_id,timestamp,kwh\nm,2025-01-0{n + 1}T00:00:00Z,1\n".encode()
        tenant.machine.post("/uploads", files={"files": ("f.csv", body)})
    cursor = tenant.machine.get("/uploads", params={"limit": 1}).json()["next_cursor"]
    assert tenant.machine.get("/uploads", params={"cursor": cursor}).status_code == 200
    other = Tenant(server, operator)
    assert other.machine.get("/uploads", params={"cursor": cursor}).status_code == 400
    assert tenant.machine.get("/alerts", params={"cursor": cursor}).status_code == 400


def test_a_huge_password_is_a_422(server: ServerProcess, operator: Operator) -> None:
    for route, sent in (
        ("/auth/token", {"data": {"username": operator.email, "password": "p" * 5000}}),
        ("/auth/login", {"json": {"email": operator.email, "password": "p" * 5000}}),
        ("/auth/register", {"json": {"email": "x@example.com", "password": "p" * 5000}}),
    ):
        answer = httpx.post(f"{server.url}{route}", **sent)  # type: ignore[arg-type]
        assert answer.status_code == 422, (route, answer.text)
        assert "password" in answer.json()["detail"]


def test_a_file_with_an_endless_line_fails_with_a_sentence(tenant: Tenant) -> None:
    endless = b"meter_id,timestamp,kwh\n" + b"9" * 1_000_000
    report = tenant.machine.post("/uploads", files={"files": ("x.csv", endless)}).json()
    (upload,) = report["uploads"]
    assert upload["status"] == "failed"
    assert upload["errors"] == [
        {
            "line": 0,
            "error": "Line 2 is longer than 65536 bytes; no energy CSV has such lines, so "
            "the file is not read.",
        }
    ]


def test_reports_quote_only_the_start_of_a_bad_cell(tenant: Tenant) -> None:
    rows = "".join(f"m,2025-01-01T00:{n % 60:02d}:00Z,{'x' * 30_000}\n" for n in range(100))
    report = tenant.machine.post(
        "/uploads", files={"files": ("x.csv", ("meter_id,timestamp,kwh\n" + rows).encode())}
    ).json()["uploads"][0]
    assert report["rows_rejected"] == 100
    assert all(len(error["error"]) < 120 for error in report["errors"])
    listed = tenant.machine.get("/uploads")
    assert len(listed.content) < 50_000
