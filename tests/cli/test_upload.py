"""`wattkey upload` against a real server on each backend, run as a user runs it."""

import time
from pathlib import Path

import httpx
import pytest

from tests.cli.command import RUN_SECONDS, run, start, table_row, uploads
from tests.cli.conftest import OwnServer
from tests.cli.files import LONDON, LONDON_ROWS, OCTOPUS, OCTOPUS_ROWS, copied, generic
from tests.cli.proxy import AnswerLostOnce
from tests.e2e.conftest import Tenant
from tests.support import Operator, ServerProcess, free_port


def test_a_folder_is_sent_with_its_nested_files(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    north = generic(folder / "north.csv", "north-7", 0.42, 0.5)
    south = generic(folder / "2025" / "south.CSV", "south-1", 1.5)
    octopus = copied(OCTOPUS, folder / "2025" / "01" / "octopus.csv")
    (folder / "2025" / "notes.txt").write_text("not a CSV file\n")

    result = run(
        server.url, tenant.key, "upload", folder, "--meter-id", "1900012345678",
        "--timezone", "Europe/London",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    listed = {report["filename"]: report for report in uploads(tenant.machine)}
    assert {name: report["rows_accepted"] for name, report in listed.items()} == {
        "north.csv": 2,
        "south.CSV": 1,
        "octopus.csv": OCTOPUS_ROWS,
    }
    for path in (north, south, octopus):
        cells = table_row(result.stdout, str(path))
        assert cells[1:5] == [
            "completed",
            str(listed[path.name]["rows_accepted"]),
            "0",
            listed[path.name]["upload_id"],
        ]


def test_rejected_rows_are_shown_and_exit_1(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    london = copied(LONDON, tmp_path / "london.csv")
    good = generic(tmp_path / "good.csv", "north-7", 0.5)

    result = run(server.url, tenant.key, "upload", london, good)

    assert result.returncode == 1, result.stderr
    accepted, rejected = LONDON_ROWS
    assert table_row(result.stdout, str(london))[1:4] == ["completed", str(accepted), str(rejected)]
    assert table_row(result.stdout, str(good))[1:4] == ["completed", "1", "0"]
    assert f"{london} line 5: " in result.stdout
    assert len(uploads(tenant.machine)) == 2


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_a_refused_key_exits_2_with_the_servers_sentence(
    server: ServerProcess, tmp_path: Path, output: list[str]
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.5)
    refused = httpx.get(f"{server.url}/uploads", headers={"X-API-Key": "sk_not-a-key"})

    result = run(server.url, "sk_not-a-key", "upload", file, *output)

    assert result.returncode == 2
    assert result.stderr == f"wattkey: {refused.json()['detail']}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ([], "Missing command"),
        (["upload"], "Missing argument"),
        (["upload", "no-such-file.csv"], "no-such-file.csv"),
        (["upload", "{file}", "--threshold-kwh", "lots"], "--threshold-kwh"),
        (["upload", "{file}", "--colour"], "--colour"),
        (["upload", "{file}"], "no API key"),
        (["upload", "{file}", "--api-key", "k", "--url", "ftp://example.com"], "--url"),
        (["upload", "{tmp}/empty"], "no CSV files"),
        (["watch", "{file}"], "is a file"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args: list[str], says: str, tmp_path: Path) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.5)
    (tmp_path / "empty").mkdir()
    filled = [arg.format(file=file, tmp=tmp_path) for arg in args]

    result = run(f"http://127.0.0.1:{free_port()}", None, *filled)

    assert result.returncode == 2
    assert says in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""


def test_an_option_the_server_refuses_is_bad_usage(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.5)

    result = run(server.url, tenant.key, "upload", file, "--timezone", "Mars/Olympus_Mons")

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("wattkey: timezone: ")
    assert "Mars/Olympus_Mons" in result.stderr
    assert uploads(tenant.machine) == []


def test_an_upload_started_before_the_server_completes_once_it_is_up(
    own_server: OwnServer, tmp_path: Path
) -> None:
    own_server.server.stop()
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)
    log = tmp_path / "wattkey.log"

    command = start(own_server.server.url, own_server.key, "upload", file, log=log)
    time.sleep(3)
    own_server.server.start()

    assert command.wait(timeout=RUN_SECONDS) == 0, log.read_text()
    (report,) = uploads(own_server.machine)
    assert (report["status"], report["rows_accepted"]) == ("completed", 2)
    assert table_row(log.read_text(), str(file))[4] == report["upload_id"]


def test_an_answer_lost_on_the_way_is_retried_without_a_second_upload(
    server: ServerProcess, operator: Operator, tmp_path: Path
) -> None:
    tenant = Tenant(server, operator, threshold_kwh=5)
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 7.5)

    with tenant.machine, AnswerLostOnce(server.port) as proxy:
        result = run(proxy.url, tenant.key, "upload", file)
        listed = uploads(tenant.machine)
        alerts = tenant.machine.get("/alerts").json()["items"]

    assert proxy.answers_lost == 1
    assert result.returncode == 0, result.stderr
    assert len(listed) == 1
    assert table_row(result.stdout, str(file))[4] == listed[0]["upload_id"]
    assert len(alerts) == 1


def test_no_wait_prints_the_reports_as_first_answered(
    own_server: OwnServer, tmp_path: Path
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)

    result = run(own_server.server.url, own_server.key, "upload", file, "--no-wait")

    assert result.returncode == 0, result.stderr
    cells = table_row(result.stdout, str(file))
    assert cells[1] == "queued"
    assert [report["upload_id"] for report in uploads(own_server.machine)] == [cells[4]]


def test_a_file_sent_again_is_answered_by_its_first_upload(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    file = generic(tmp_path / "north.csv", "north-7", 0.42, 0.5)

    first = run(server.url, tenant.key, "upload", file)
    again = run(server.url, tenant.key, "upload", file)

    assert (first.returncode, again.returncode) == (0, 0), again.stderr
    original = table_row(first.stdout, str(file))[4]
    cells = table_row(again.stdout, str(file))
    assert cells[1] == "completed"
    assert cells[-1] == f"duplicate of {original}"
