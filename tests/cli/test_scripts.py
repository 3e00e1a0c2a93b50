"""`wattkey` in scripts: its version and help, `python -m cli`, the reports as JSON, the server's
`force` and `columns` options, and answers told apart by the server's error codes."""

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from tests.cli.command import PYTHON_M_CLI, run, uploads
from tests.cli.conftest import OwnServer
from tests.cli.files import LONDON, LONDON_ROWS, MAPPING, UNKNOWN_LAYOUT, copied, generic
from tests.cli.proxy import RefusedOnce
from tests.e2e.conftest import Tenant
from tests.support import ServerProcess, free_port

RETRY_AFTER_SECONDS = 2  # above the first backoff (at most 1 s): only Retry-After waits this long
VERSION = f"wattkey {version('wattkey')}\n"


def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"


def printed(stdout: str) -> list[dict[str, Any]]:
    """What `upload --json` printed: the whole of stdout is one JSON array."""
    reports: list[dict[str, Any]] = json.loads(stdout)
    return reports


def test_version_is_the_installed_packages() -> None:
    result = run(nowhere(), None, "--version")

    assert (result.returncode, result.stdout, result.stderr) == (0, VERSION, "")


@pytest.mark.parametrize("command", [[], ["upload"], ["watch"]])
def test_h_is_the_help_of_every_command(command: list[str]) -> None:
    short = run(nowhere(), None, *command, "-h")
    long = run(nowhere(), None, *command, "--help")

    assert (short.returncode, long.returncode) == (0, 0), short.stderr
    assert short.stdout == long.stdout
    assert " ".join(["Usage: wattkey", *command]) in short.stdout
    if command:
        assert "--force" in short.stdout
        assert "--columns" in short.stdout


def test_python_m_cli_is_the_command(server: ServerProcess, tenant: Tenant, tmp_path: Path) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)

    sent = run(server.url, tenant.key, "upload", file, "--json", command=PYTHON_M_CLI)
    asked = run(nowhere(), None, "--version", command=PYTHON_M_CLI)

    assert sent.returncode == 0, sent.stderr
    (report,) = printed(sent.stdout)
    assert (report["status"], report["rows_accepted"]) == ("completed", 2)
    assert [listed["upload_id"] for listed in uploads(tenant.machine)] == [report["upload_id"]]
    assert (asked.returncode, asked.stdout) == (0, VERSION)


def test_json_is_the_servers_report_of_each_file_and_nothing_else(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    london = copied(LONDON, tmp_path / "london.csv")
    good = generic(tmp_path / "good.csv", "north-7", 0.5)

    result = run(server.url, tenant.key, "upload", london, good, "--json")

    assert result.returncode == 1, result.stderr  # London's rows rejected
    reports = printed(result.stdout)
    assert [report["filename"] for report in reports] == ["london.csv", "good.csv"]
    accepted, rejected = LONDON_ROWS
    assert [(r["status"], r["rows_accepted"], r["rows_rejected"]) for r in reports] == [
        ("completed", accepted, rejected),
        ("completed", 1, 0),
    ]
    listed = {report["upload_id"]: report for report in uploads(tenant.machine)}
    for report in reports:
        assert report == {name: listed[report["upload_id"]][name] for name in report}
    assert reports[0]["errors"][0]["line"] == 5


def test_a_mapping_the_server_refuses_is_bad_usage_and_nothing_on_stdout(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.5)

    result = run(server.url, tenant.key, "upload", file, "--columns", "{time", "--json")

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("wattkey: columns: ")
    assert result.stdout == ""
    assert uploads(tenant.machine) == []


def test_a_file_over_the_servers_limit_fails_and_the_others_are_sent(
    small_limit_server: OwnServer, tmp_path: Path
) -> None:
    big = generic(tmp_path / "big.csv", "north-7", *[0.5] * 100)
    small = generic(tmp_path / "small.csv", "north-7", 0.5)

    result = run(
        small_limit_server.server.url, small_limit_server.key, "upload", big, small, "--json"
    )

    assert result.returncode == 1, result.stderr
    refusal, report = printed(result.stdout)
    assert (refusal["filename"], refusal["code"]) == ("big.csv", "too_large")
    assert "MAX_UPLOAD_BYTES" in refusal["detail"]
    assert (report["filename"], report["status"]) == ("small.csv", "completed")


@pytest.mark.parametrize(
    ("status", "code"), [(429, "rate_limited"), (409, "in_progress"), (503, "busy")]
)
def test_an_answer_to_try_later_is_retried_after_its_retry_after(
    server: ServerProcess, tenant: Tenant, tmp_path: Path, status: int, code: str
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)

    with RefusedOnce(server.port, status, code, RETRY_AFTER_SECONDS) as proxy:
        result = run(proxy.url, tenant.key, "upload", file, "--json")

    assert result.returncode == 0, result.stderr
    (report,) = printed(result.stdout)
    assert [listed["upload_id"] for listed in uploads(tenant.machine)] == [report["upload_id"]]
    refused, retried = proxy.connected_at[:2]
    assert retried - refused >= RETRY_AFTER_SECONDS


def test_force_reads_a_file_sent_before_again(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)

    runs = [
        run(server.url, tenant.key, "upload", file, *force, "--json")
        for force in ([], [], ["--force"])
    ]

    assert [done.returncode for done in runs] == [0, 0, 0], runs[-1].stderr
    (first,), (again,), (forced,) = (printed(done.stdout) for done in runs)
    assert again["duplicate_of"] == first["upload_id"]
    assert forced["duplicate_of"] is None
    assert forced["upload_id"] != first["upload_id"]
    assert (forced["status"], forced["rows_accepted"]) == ("completed", 2)
    assert forced["readings"] == {"new": 0, "replaced": 0, "unchanged": 2}


def test_columns_map_a_layout_the_server_cannot_tell(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    file = tmp_path / "gateway.csv"
    file.write_text(UNKNOWN_LAYOUT)

    unaided = run(server.url, tenant.key, "upload", file, "--json")
    mapped = run(
        server.url, tenant.key, "upload", file, "--columns", MAPPING,
        "--timezone", "Europe/Berlin", "--json",
    )  # fmt: skip

    assert unaided.returncode == 1
    assert printed(unaided.stdout)[0]["status"] == "failed"
    assert mapped.returncode == 0, mapped.stderr
    (report,) = printed(mapped.stdout)
    assert (report["status"], report["rows_accepted"], report["rows_rejected"]) == (
        "completed",
        2,
        0,
    )
    usage = tenant.machine.get("/usage", params={"meter_id": "gw-1"}).json()["items"]
    assert [(reading["timestamp"], reading["kwh"]) for reading in usage] == [
        ("2024-12-31T23:00:00Z", 1.5),
        ("2025-01-01T00:00:00Z", 2.5),
    ]


def test_a_key_that_may_not_send_says_so_and_exits_2(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    read_only = tenant.operator.create_key(tenant.app["id"], scopes=["usage:read"])
    file = generic(tmp_path / "north.csv", "north-7", 0.5)

    result = run(server.url, read_only, "upload", file)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "wattkey: This API key lacks the scope uploads:write; use a key that has it.\n"
    )
    assert uploads(tenant.machine) == []


def test_a_key_over_its_rate_limit_waits_out_the_retry_after(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    limited = tenant.operator.create_key(
        tenant.app["id"], rate_limit={"requests": 1, "per_seconds": 2}
    )
    files = [generic(tmp_path / f"{name}.csv", name, 0.5) for name in ("north", "south")]

    result = run(server.url, limited, "upload", *files, "--json")

    assert result.returncode == 0, result.stderr
    assert [report["status"] for report in printed(result.stdout)] == ["completed"] * 2
