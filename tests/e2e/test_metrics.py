"""GET /metrics as Prometheus scrapes it: counters that move with what clients do, labelled by
route templates and fixed words, never by an application, a key or a user."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.backends import local_env
from tests.e2e.conftest import Tenant
from tests.support import ServerProcess, completed_upload, eventually

CSV = b"meter_id,timestamp,kwh\nm-1,2025-01-01T00:00:00Z,1.5\nm-1,2025-01-01T01:00:00Z,9.5\n"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(url: str) -> Samples:
    response = httpx.get(f"{url}/metrics", timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def label_values(samples: Samples) -> Iterator[str]:
    for name, labels in samples:
        if name.startswith("wattkey_"):
            yield from (label_value for _, label_value in labels)


def test_metrics_count_requests_uploads_readings_alerts_and_keys_without_tenants(
    server: ServerProcess, tenant: Tenant
) -> None:
    before = scrape(server.url)
    app_id = tenant.app["id"]
    assert tenant.machine.get("/protected").status_code == 200
    assert tenant.operator.client.get(f"/app/{app_id}/usage").status_code == 200
    bad = httpx.get(f"{server.url}/protected", headers={"X-API-Key": "sk_" + "x" * 43})
    assert bad.status_code == 401
    sent = tenant.machine.post(
        "/uploads", files={"files": ("m.csv", CSV)}, data={"threshold_kwh": "5"}
    )
    assert sent.status_code in (201, 202), sent.text
    upload_id = sent.json()["uploads"][0]["upload_id"]
    completed_upload(tenant.machine, upload_id, timeout=60)

    after = eventually(
        lambda: (
            scraped
            if value(
                scraped := scrape(server.url),
                "wattkey_alert_deliveries_total",
                channel="log",
                outcome="sent",
            )
            > value(before, "wattkey_alert_deliveries_total", channel="log", outcome="sent")
            else None
        ),
        timeout=30,
    )

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "wattkey_http_requests_total"
    assert moved(requests, route="/protected", method="GET", status="200") >= 1
    assert moved(requests, route="/protected", method="GET", status="401") >= 1
    assert moved(requests, route="/app/{app_id}/usage", method="GET", status="200") >= 1
    assert (
        moved("wattkey_http_request_duration_seconds_count", route="/protected", method="GET") >= 2
    )
    assert moved("wattkey_uploads_total", outcome="completed") >= 1
    assert moved("wattkey_readings_ingested_total") >= 2
    assert moved("wattkey_key_verifications_total", outcome="unknown", cache="false") >= 1
    assert (
        moved("wattkey_key_verifications_total", outcome="valid", cache="false")
        + moved("wattkey_key_verifications_total", outcome="valid", cache="true")
    ) >= 2
    told = " ".join(label_values(after))
    for secret in (app_id, tenant.key, tenant.key[:12], upload_id, tenant.operator.email):
        assert secret not in told


def test_with_two_workers_metrics_count_every_request(tmp_path: Path) -> None:
    env = {**local_env(tmp_path / "data"), "WEB_CONCURRENCY": "2"}
    server = ServerProcess(env=env, log_path=tmp_path / "server.log").start()
    try:
        sent = 200
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(
                pool.map(lambda _: httpx.get(f"{server.url}/", timeout=30).status_code, range(sent))
            )
        assert codes == [200] * sent
        # Each scrape is answered by one worker; every one of them sums both workers' files.
        counts = {
            value(
                scrape(server.url),
                "wattkey_http_requests_total",
                route="/",
                method="GET",
                status="200",
            )
            for _ in range(6)
        }
    finally:
        server.stop()

    assert counts == {float(sent)}
