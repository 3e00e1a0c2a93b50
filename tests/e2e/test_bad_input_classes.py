"""Input that used to get a 500 or a puzzling answer: nested JSON, calendar edges, compressed
bodies, a field sent twice, an Idempotency-Key of the wrong shape, a file named in another
script. Each gets a 4xx with a sentence, or is read."""

import gzip
import json
import zlib
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, machine

CSV = b"meter_id,timestamp,kwh\nm-1,2025-01-01T00:00:00Z,0.5\nm-1,2025-01-01T01:00:00Z,0.7\n"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def sentence_of(response: httpx.Response) -> str:
    detail = response.json()["detail"]
    assert isinstance(detail, str), detail
    return detail


@pytest.mark.parametrize("depth", [200, 100_000])
def test_deeply_nested_json_to_sign_in_is_a_422(server: ServerProcess, depth: int) -> None:
    body = '{"email": "a@example.com", "password": ' + nested(depth) + "}"
    response = httpx.post(
        f"{server.url}/auth/login", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422, response.text
    assert "nest" in sentence_of(response)


def test_deeply_nested_json_in_the_columns_option_is_a_422(tenant: Tenant) -> None:
    response = tenant.machine.post(
        "/uploads",
        files=[("files", ("a.csv", CSV, "text/csv"))],
        data={"columns": nested(50_000)},
    )

    assert response.status_code == 422, response.text
    assert "columns" in response.text


@pytest.mark.parametrize(
    ("start", "end", "zone"),
    [
        ("0001-01-01", "0001-01-03", "Asia/Tokyo"),
        ("9999-12-30", "9999-12-31T23:00", "America/New_York"),
        ("0001-01-01T00:00:00+14:00", "0001-01-02", "UTC"),
    ],
)
def test_a_summary_whose_buckets_leave_the_calendar_is_a_422(
    tenant: Tenant, start: str, end: str, zone: str
) -> None:
    response = tenant.machine.get(
        "/usage/summary", params={"interval": "day", "start": start, "end": end, "timezone": zone}
    )

    assert response.status_code == 422, response.text
    assert "0001 to 9999" in response.text


@pytest.mark.parametrize("raw", [True, False], ids=["raw", "multipart"])
def test_a_gzip_body_is_read_as_its_decoded_file(tenant: Tenant, raw: bool) -> None:
    if raw:
        response = tenant.machine.post(
            "/uploads",
            content=gzip.compress(CSV),
            headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"},
        )
    else:
        request = httpx.Request(
            "POST", "http://x/uploads", files=[("files", ("a.csv", CSV, "text/csv"))]
        )
        body = request.read()
        response = tenant.machine.post(
            "/uploads",
            content=gzip.compress(body),
            headers={
                "Content-Type": request.headers["Content-Type"],
                "Content-Encoding": "gzip",
            },
        )

    assert response.status_code == 201, response.text
    (report,) = response.json()["uploads"]
    assert report["rows_accepted"] == 2
    assert report["size_bytes"] == len(CSV)


def test_a_gzip_bomb_is_refused_by_its_decoded_size(
    tmp_path: Path, fresh_env: dict[str, str]
) -> None:
    limit = 1024 * 1024
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = bomb.compress(b"0" * (50 * limit)) + bomb.flush()  # 50 MB decoded, 50 KB sent
    server = ServerProcess(
        env={**fresh_env, "MAX_UPLOAD_BYTES": str(limit)}, log_path=tmp_path / "log"
    ).start()
    try:
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app()["id"])
        with machine(server.url, key) as client:
            response = client.post(
                "/uploads",
                content=body,
                headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"},
            )
            listed = client.get("/uploads").json()["items"]
    finally:
        server.stop()

    assert len(body) < limit
    assert response.status_code == 413, response.text
    assert sentence_of(response) == (
        "The request body, decoded, is larger than the upload limit (MAX_UPLOAD_BYTES) of "
        f"{limit} bytes."
    )
    assert listed == []


@pytest.mark.parametrize("encoding", ["br", "zstd", "deflate, gzip"])
def test_another_content_encoding_is_a_415(tenant: Tenant, encoding: str) -> None:
    response = tenant.machine.post(
        "/uploads", content=CSV, headers={"Content-Type": "text/csv", "Content-Encoding": encoding}
    )

    assert response.status_code == 415, response.text
    assert "gzip" in sentence_of(response)


def test_a_bad_gzip_body_is_a_400_sentence(tenant: Tenant) -> None:
    response = tenant.machine.post(
        "/uploads",
        content=b"not gzip at all",
        headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"},
    )

    assert response.status_code == 400, response.text
    assert "gzip" in sentence_of(response)


def test_a_form_field_sent_twice_is_refused(tenant: Tenant) -> None:
    response = tenant.machine.post(
        "/uploads",
        files=[("files", ("a.csv", CSV, "text/csv"))],
        data={"meter_id": ["m-1", "m-2"]},
    )

    assert response.status_code == 422, response.text
    assert sentence_of(response) == "meter_id is given twice; send it once."


@pytest.mark.parametrize("key", [b"", "é".encode(), b"x" * 256, b"tab\there"])
def test_an_idempotency_key_of_the_wrong_shape_says_its_shape(tenant: Tenant, key: bytes) -> None:
    response = tenant.machine.post(
        "/uploads", content=CSV, headers={b"Content-Type": b"text/csv", b"Idempotency-Key": key}
    )

    assert response.status_code == 422, response.text
    assert "1 to 255 printable ASCII characters" in response.text
    assert "^[" not in response.text


def test_a_file_named_in_another_script_keeps_its_name(tenant: Tenant) -> None:
    response = tenant.machine.post(
        "/uploads", files=[("files", ("名前 データ.csv", CSV, "text/csv"))]
    )

    (report,) = response.json()["uploads"]
    assert report["filename"] == "名前_データ.csv"
    assert report["object_key"].endswith("/名前_データ.csv")
    assert json.dumps(report, ensure_ascii=False)
