"""What months of unattended running meet: a symlink loop, a file no one may read, a file
removed or grown while it is sent, and a server that answers with somebody else's page. The
watcher says so in one line and carries on; `upload` says so and exits 2, never a traceback."""

import gzip
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.command import run, start, uploads
from tests.cli.files import HEADER, generic, readings
from tests.cli.proxy import SlowUpload
from tests.cli.test_watch import SETTLE_SECONDS, names, stop
from tests.e2e.conftest import Tenant
from tests.support import ServerProcess, eventually

SLOW_BYTES_PER_SECOND = 400_000
BIG_ROWS = 40_000  # about 2 MB: five seconds through the slow relay


def big_file(path: Path, meter: str, rows: int = BIG_ROWS) -> Path:
    path.write_text(HEADER + readings(meter, *[(n % 97) / 10 for n in range(rows)]))
    return path


@pytest.fixture
def slow(server: ServerProcess) -> Iterator[SlowUpload]:
    with SlowUpload(server.port, SLOW_BYTES_PER_SECOND) as relay:
        yield relay


def test_a_symlink_loop_is_told_once_and_the_watcher_carries_on(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "loop.csv").symlink_to(inbox / "loop.csv")
    log = tmp_path / "watch.log"
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    try:
        generic(inbox / "good.csv", "good-1", 0.5)
        eventually(
            lambda: names(inbox / "sent") == ["good.csv"],
            timeout=SETTLE_SECONDS,
            message="good.csv sent",
        )
        generic(inbox / "later.csv", "good-1", 0.7)
        eventually(
            lambda: names(inbox / "sent") == ["good.csv", "later.csv"],
            timeout=SETTLE_SECONDS,
            message="later.csv sent after the loop was met",
        )
    finally:
        assert stop(watcher) == 0, log.read_text()

    told = [line for line in log.read_text().splitlines() if "loop.csv" in line]
    assert len(told) == 1, log.read_text()
    assert "cannot be read" in told[0]
    assert "Traceback" not in log.read_text()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_an_unreadable_file_is_told_once_and_sent_once_it_can_be_read(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    locked = generic(inbox / "locked.csv", "lock-1", 0.5)
    locked.chmod(0)
    log = tmp_path / "watch.log"
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    try:
        eventually(
            lambda: "locked.csv cannot be read" in log.read_text(), timeout=30, message="told"
        )
        locked.chmod(0o644)
        eventually(
            lambda: names(inbox / "sent") == ["locked.csv"], timeout=SETTLE_SECONDS, message="sent"
        )
    finally:
        assert stop(watcher) == 0, log.read_text()
    assert log.read_text().count("locked.csv cannot be read") == 1


def test_rows_added_while_a_file_is_sent_are_sent_too(
    slow: SlowUpload, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "watch.log"
    path = big_file(inbox / "growing.csv", "grow-1")
    watcher = start(slow.url, tenant.key, "watch", inbox, log=log)
    try:
        eventually(
            lambda: slow.received > 100_000, timeout=SETTLE_SECONDS, message="the send has begun"
        )
        with path.open("a") as handle:  # the gateway goes on writing the next day
            handle.write(readings("grow-1", *[1.0] * 1000).replace("2025-01-01", "2025-02-01"))
        eventually(
            lambda: names(inbox / "sent") == ["growing.csv"],
            timeout=120,
            message="filed once whole",
        )
    finally:
        assert stop(watcher) == 0, log.read_text()

    assert "changed while it was being sent" in log.read_text()
    latest = uploads(tenant.machine)[0]
    assert latest["rows_accepted"] == BIG_ROWS + 1000
    assert (inbox / "sent" / "growing.csv").read_text().count("\n") == BIG_ROWS + 1001


def test_a_file_removed_while_it_is_sent_is_told_and_the_watcher_carries_on(
    slow: SlowUpload, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "watch.log"
    path = big_file(inbox / "vanishing.csv", "gone-1")
    watcher = start(slow.url, tenant.key, "watch", inbox, log=log)
    try:
        eventually(
            lambda: slow.received > 100_000, timeout=SETTLE_SECONDS, message="the send has begun"
        )
        path.unlink()
        eventually(
            lambda: "vanishing.csv was removed" in log.read_text(), timeout=120, message="told"
        )
        generic(inbox / "next.csv", "next-1", 0.5)
        eventually(
            lambda: names(inbox / "sent") == ["next.csv"],
            timeout=SETTLE_SECONDS,
            message="next sent",
        )
    finally:
        assert stop(watcher) == 0, log.read_text()
    assert "Traceback" not in log.read_text()


class _Portal(http.server.BaseHTTPRequestHandler):
    """A captive portal: 200 and a page of HTML to whatever is asked."""

    def _page(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"<html><body>Please accept the terms of this network.</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _page

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def portal() -> Iterator[str]:
    listening = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    threading.Thread(target=listening.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{listening.server_address[1]}"
    listening.shutdown()


def test_a_server_answering_html_gets_a_sentence_and_status_2(portal: str, tmp_path: Path) -> None:
    done = run(portal, "sk_whatever", "upload", generic(tmp_path / "a.csv", "m-1", 0.5))

    assert done.returncode == 2, done.stderr
    assert "not a Wattkey upload report" in done.stderr
    assert "text/html" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_upload_gzip_sends_the_file_compressed(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    path = big_file(tmp_path / "big.csv", "zip-1", rows=5000)

    done = run(server.url, tenant.key, "upload", "--gzip", path)

    assert done.returncode == 0, done.stderr
    (report,) = uploads(tenant.machine)
    assert report["rows_accepted"] == 5000
    assert report["size_bytes"] == path.stat().st_size
    assert len(gzip.compress(path.read_bytes())) < report["size_bytes"]


def test_the_watch_log_has_no_traceback_for_a_symlink_to_nowhere(
    server: ServerProcess, tenant: Tenant, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    log = tmp_path / "watch.log"
    watcher = start(server.url, tenant.key, "watch", inbox, log=log)
    try:
        generic(inbox / "good.csv", "good-1", 0.5)
        eventually(
            lambda: names(inbox / "sent") == ["good.csv"], timeout=SETTLE_SECONDS, message="sent"
        )
    finally:
        assert stop(watcher) == 0, log.read_text()
    assert "Traceback" not in log.read_text()
