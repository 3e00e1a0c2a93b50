"""`wattkey watch` against a real server on each backend: files dropped in, stops and restarts."""

import json
import signal
import subprocess
import time
from pathlib import Path

from tests.cli.command import start, uploads
from tests.cli.conftest import OwnServer
from tests.cli.files import (
    HEADER,
    LONDON,
    LONDON_ROWS,
    MAPPING,
    UNKNOWN_LAYOUT,
    copied,
    generic,
    readings,
)
from tests.e2e.conftest import Tenant
from tests.support import ServerProcess, eventually

SETTLE_SECONDS = 60
STOP_SECONDS = 10
SLOW_PARTS = 8
SLOW_PAUSE_SECONDS = 0.2  # well under the watcher's poll: the file never looks settled meanwhile
# Large enough that the server takes a moment over it, so that a kill lands mid-send.
LARGE_ROWS = 15_000


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


def stop(watcher: subprocess.Popen[bytes]) -> int:
    watcher.send_signal(signal.SIGTERM)
    return watcher.wait(timeout=STOP_SECONDS)


def begun(inbox: Path, name: str) -> bool:
    """The watcher has recorded the file's key (or has even sent it already)."""
    return f"{name}.json" in names(inbox / ".wattkey") or name in names(inbox / "sent")


def watching(log: Path) -> int:
    """How many watchers have started, by their first log line."""
    return sum(" watching " in line for line in log.read_text().splitlines())


def write_slowly(path: Path, meter: str) -> int:
    """The file in parts, as a gateway writing as it reads; returns its rows."""
    with path.open("w") as handle:
        handle.write(HEADER)
        for part in range(SLOW_PARTS):
            handle.write(readings(meter, *[part + hour / 10 for hour in range(3)]))
            handle.flush()
            time.sleep(SLOW_PAUSE_SECONDS)
    return SLOW_PARTS * 3


def test_settled_files_are_sent_once_and_filed_away(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "watch.log"
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    try:
        generic(inbox / "north.csv", "north-7", 0.42, 0.5)
        copied(LONDON, inbox / "london.csv")
        (inbox / "notes.txt").write_text("not a CSV file\n")
        generic(inbox / "sent" / "older.csv", "north-7", 0.1)  # already filed: left alone
        slow_rows = write_slowly(inbox / "slow.csv", "slow-1")
        eventually(
            lambda: (
                names(inbox / "sent") == ["north.csv", "older.csv", "slow.csv"]
                and names(inbox / "failed") == ["london.csv", "london.report.json"]
            ),
            timeout=SETTLE_SECONDS,
            message="every file filed away",
        )
    finally:
        assert stop(watcher) == 0, log.read_text()

    listed = {report["filename"]: report for report in uploads(tenant.machine)}
    assert sorted(listed) == ["london.csv", "north.csv", "slow.csv"]
    assert listed["slow.csv"]["rows_total"] == slow_rows
    report = json.loads((inbox / "failed" / "london.report.json").read_text())
    assert (report["upload_id"], report["rows_rejected"]) == (
        listed["london.csv"]["upload_id"],
        LONDON_ROWS[1],
    )
    assert names(inbox) == [".wattkey", "failed", "notes.txt", "sent"]
    lines = log.read_text().splitlines()
    for name, report in listed.items():
        (line,) = [line for line in lines if report["upload_id"] in line]
        assert f" {name} " in line
        assert f"accepted {report['rows_accepted']} rejected {report['rows_rejected']}" in line


def test_restarts_never_send_a_file_twice(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    state = inbox / ".wattkey"
    log = tmp_path / "watch.log"
    files = ["1-large.csv", "2-large.csv", "3-small.csv", "4-small.csv"]
    for name in files[:2]:
        generic(inbox / name, name, *[n % 10 / 10 for n in range(LARGE_ROWS)])
    for name in files[2:]:
        generic(inbox / name, name, 0.42, 0.5)

    # Killed outright while it sends the first file.
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    eventually(
        lambda: begun(inbox, "1-large.csv"), timeout=SETTLE_SECONDS, message="the first begun"
    )
    time.sleep(0.1)
    watcher.kill()
    watcher.wait()
    # Stopped while it sends the second.
    # (The first may have begun the second file already: wait for this one to be watching.)
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    eventually(
        lambda: watching(log) == 2, timeout=SETTLE_SECONDS, message="the second watcher started"
    )
    eventually(
        lambda: begun(inbox, "2-large.csv"), timeout=SETTLE_SECONDS, message="the second begun"
    )
    assert stop(watcher) == 0, log.read_text()
    # Left to finish.
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    try:
        eventually(
            lambda: names(inbox / "sent") == files,
            timeout=SETTLE_SECONDS,
            message="every file sent",
        )
    finally:
        assert stop(watcher) == 0, log.read_text()

    assert sorted(report["filename"] for report in uploads(tenant.machine)) == files
    assert names(state) == []


def test_a_refused_key_stops_the_watcher_with_exit_2(server: ServerProcess, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    generic(inbox / "north.csv", "north-7", 0.5)
    log = tmp_path / "watch.log"

    watcher = start(server.url, "sk_not-a-key", "watch", inbox, log=log)

    assert watcher.wait(timeout=SETTLE_SECONDS) == 2
    assert "API key" in log.read_text()
    assert names(inbox) == [".wattkey", "north.csv"]


def test_a_server_that_is_down_is_waited_for(own_server: OwnServer, tmp_path: Path) -> None:
    own_server.server.stop()
    inbox = tmp_path / "inbox"
    generic(inbox / "north.csv", "north-7", 0.42, 0.5)
    log = tmp_path / "watch.log"

    watcher = start(own_server.server.url, own_server.key, "watch", inbox, log=log)
    try:
        time.sleep(3)
        own_server.server.start()
        eventually(
            lambda: names(inbox / "sent") == ["north.csv"], timeout=SETTLE_SECONDS, message="sent"
        )
    finally:
        assert stop(watcher) == 0, log.read_text()
    assert len(uploads(own_server.machine)) == 1


def test_columns_and_force_are_sent_with_every_file(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "watch.log"
    options = ["--columns", MAPPING, "--timezone", "Europe/Berlin", "--force"]
    watcher = start(server.url, tenant.key, "watch", inbox, *options, log=log)
    try:
        (inbox / "first.csv").write_text(UNKNOWN_LAYOUT)
        eventually(lambda: names(inbox / "sent") == ["first.csv"], timeout=SETTLE_SECONDS)
        (inbox / "again.csv").write_text(UNKNOWN_LAYOUT)  # the same file: read again, forced
        eventually(
            lambda: names(inbox / "sent") == ["again.csv", "first.csv"], timeout=SETTLE_SECONDS
        )
    finally:
        assert stop(watcher) == 0, log.read_text()

    listed = uploads(tenant.machine)
    assert [(report["filename"], report["duplicate_of"]) for report in listed] == [
        ("again.csv", None),
        ("first.csv", None),
    ]
    assert all(report["rows_accepted"] == 2 for report in listed)


def test_an_option_the_server_refuses_stops_the_watch_and_leaves_the_files(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    generic(inbox / "north.csv", "north-7", 0.5)
    log = tmp_path / "watch.log"

    watcher = start(
        server.url, tenant.key, "watch", inbox, "--timezone", "Mars/Olympus_Mons", log=log
    )
    try:
        status = watcher.wait(timeout=SETTLE_SECONDS * 2)
    finally:
        stop(watcher)

    assert status == 2, log.read_text()
    assert "Mars/Olympus_Mons" in log.read_text()
    assert (inbox / "north.csv").exists()  # neither sent nor failed: the watch stopped
    assert not (inbox / "failed").exists()
    assert uploads(tenant.machine) == []
