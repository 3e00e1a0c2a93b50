"""Health, docs, unknown routes and request logs, as a client and an operator see them."""

import json
from typing import Any

import httpx

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, eventually


def test_root_and_health(server: ServerProcess) -> None:
    root = httpx.get(f"{server.url}/").json()
    assert root["status"] == "online"
    assert root["service"] == "wattkey"
    assert root["version"]
    health = httpx.get(f"{server.url}/health")
    assert health.status_code == 200
    assert health.json()["status"] == "healthy"
    assert health.json()["checks"]


def test_openapi_and_swagger(server: ServerProcess) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    for path in (
        "/auth/register",
        "/app",
        "/uploads",
        "/usage",
        "/alerts",
        "/app/{app_id}/uploads",
    ):
        assert path in spec["paths"]
    assert "multipart/form-data" in spec["paths"]["/uploads"]["post"]["requestBody"]["content"]
    docs = httpx.get(f"{server.url}/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_swagger_ui_and_redoc_need_no_internet(server: ServerProcess) -> None:
    for page, assets in (
        ("/docs", ("swagger-ui-bundle.js", "swagger-ui.css")),
        ("/redoc", ("redoc.standalone.js",)),
    ):
        html = httpx.get(f"{server.url}{page}").text
        assert "cdn." not in html, page
        assert "fonts.googleapis" not in html, page
        for asset in assets:
            path = f"/static-offline-docs/{asset}"
            assert path in html
            served = httpx.get(f"{server.url}{path}")
            assert served.status_code == 200
            assert len(served.content) > 10_000


def test_unknown_route_and_method(server: ServerProcess) -> None:
    missing = httpx.get(f"{server.url}/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found", "code": "not_found"}
    wrong = httpx.delete(f"{server.url}/health")
    assert wrong.status_code == 405
    assert "detail" in wrong.json()


def test_a_wrong_method_lists_every_method_of_the_path(server: ServerProcess) -> None:
    wrong = httpx.post(f"{server.url}/app/app_123")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "DELETE, GET, PATCH, PUT"
    assert httpx.delete(f"{server.url}/uploads").headers["allow"] == "GET, POST"


def test_the_document_describes_the_error_bodies_the_server_sends(server: ServerProcess) -> None:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    upload = spec["paths"]["/app/{app_id}/uploads"]["post"]["responses"]
    for code in ("401", "404", "408", "413", "415", "422", "503"):
        assert upload[code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"
        }


def test_a_body_that_is_not_utf8_is_a_422_sentence(operator: Operator) -> None:
    response = operator.client.post(
        "/app", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("The request body is not valid JSON")


def test_malformed_json_is_a_422_sentence(server: ServerProcess) -> None:
    response = httpx.post(
        f"{server.url}/auth/register",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("The request body is not valid JSON")


def logged_request(server: ServerProcess, request_id: str) -> dict[str, Any]:
    """The log line of one request; it is written just after the response is sent."""

    def logged() -> dict[str, Any] | None:
        for line in server.log().splitlines():
            entry: dict[str, Any] = json.loads(line) if line.startswith("{") else {}
            if entry.get("request_id") == request_id and "status" in entry:
                return entry
        return None

    return eventually(logged, timeout=10, interval=0.05, message="the request was not logged")


def test_request_log_lines_name_the_caller_never_the_secret(
    server: ServerProcess, tenant: Tenant
) -> None:
    response = tenant.machine.get("/protected", headers={"X-Request-ID": "trace-me-123"})
    assert response.headers["x-request-id"] == "trace-me-123"
    entry = logged_request(server, "trace-me-123")
    assert entry["method"] == "GET"
    assert entry["path"] == "/protected"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["caller"] == f"app:{tenant.app['id']}"
    assert entry["message"].startswith("GET /protected 200 ")
    assert tenant.key not in server.log()
    assert "correct horse" not in server.log()
