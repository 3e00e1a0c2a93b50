"""`wattkey watch`: send each CSV file that settles in a folder, once, across restarts.

A file is sent when its size and mtime are the same at two polls in a row, then moved into
`sent/`, or into `failed/` with its report beside it. Before a file is sent, its
Idempotency-Key is written to `.wattkey/<name>.json`: a watcher stopped or killed while
sending sends it again with the same key after a restart, and the server replays its answer
instead of creating a second upload.
"""

import json
import logging
import os
import signal
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from cli.reports import Outcome
from cli.sending import FileChanged, Options, Rejected, Server, Unexpected, Unreachable

POLL_SECONDS = 1.0
SENT = "sent"
FAILED = "failed"
STATE = ".wattkey"

log = logging.getLogger("wattkey.watch")


def log_to_stderr() -> None:
    """Plain lines, each with its time, for a terminal or the journal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


Signature = tuple[int, int]  # size in bytes, mtime in ns


class Stopped(Exception):
    """SIGTERM or Ctrl-C arrived while a file was being sent."""


class StopSignal:
    """SIGTERM and Ctrl-C: stop between files, or abandon the send in flight.

    Abandoning is safe only while the file's key is on disk and before its report is acted
    on, so the handler interrupts a send only inside `interruptible()`.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._interruptible = False

    def install(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested.set()
        if self._interruptible:
            raise Stopped

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        self._interruptible = True
        try:
            if self.requested.is_set():
                raise Stopped
            yield
        finally:
            self._interruptible = False


class Keys:
    """The Idempotency-Key of each file being sent, kept in `FOLDER/.wattkey/`."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder / STATE

    def key_for(self, path: Path, signature: Signature, options: Options) -> str:
        """The key recorded for this very file and options, else a new one, recorded first."""
        wanted = {"size": signature[0], "mtime_ns": signature[1], "options": options.query()}
        recorded = self._read(path)
        if recorded is not None and all(recorded.get(name) == wanted[name] for name in wanted):
            return str(recorded["key"])
        key = str(uuid.uuid4())
        self._write(path, {"key": key, **wanted})
        return key

    def forget(self, path: Path) -> None:
        self._state(path).unlink(missing_ok=True)

    def forget_gone(self) -> None:
        """Drop the keys of files no longer waiting (moved just before the watcher stopped)."""
        if not self._folder.is_dir():
            return
        for state in self._folder.glob("*.json"):
            if not (self._folder.parent / state.stem).exists():
                state.unlink(missing_ok=True)

    def _state(self, path: Path) -> Path:
        return self._folder / f"{path.name}.json"

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            recorded: dict[str, Any] = json.loads(self._state(path).read_text())
        except (FileNotFoundError, ValueError):  # none yet, or cut short by a crash
            return None
        return recorded

    def _write(self, path: Path, state: dict[str, Any]) -> None:
        """Atomically and durably: the key must be on disk before the server may see it."""
        self._folder.mkdir(exist_ok=True)
        target = self._state(path)
        scratch = target.with_name(f".{target.name}.tmp")
        with scratch.open("w") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, target)
        directory = os.open(self._folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def csv_signatures(folder: Path) -> tuple[dict[Path, Signature], dict[Path, str]]:
    """The non-empty, non-hidden `*.csv` files directly in `folder` (not in its subfolders),
    and the entries that cannot be looked at (a symlink loop, no permission) with why."""
    found: dict[Path, Signature] = {}
    problems: dict[Path, str] = {}
    for entry in os.scandir(folder):
        if entry.name.startswith(".") or not entry.name.lower().endswith(".csv"):
            continue
        try:
            if not entry.is_file():
                continue
            status = entry.stat()
        except FileNotFoundError:  # removed while listed
            continue
        except OSError as error:
            problems[Path(entry.path)] = error.strerror or str(error)
            continue
        if status.st_size:
            found[Path(entry.path)] = (status.st_size, status.st_mtime_ns)
    return found, problems


def signature(path: Path) -> Signature | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


def free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/stem.N.csv` when a file of that name is already there."""
    target = folder / name
    count = 0
    while target.exists():
        count += 1
        target = folder / f"{Path(name).stem}.{count}{Path(name).suffix}"
    return target


def log_line(outcome: Outcome, where: str) -> str:
    report = outcome.report
    if report is None:
        return f"{outcome.name} {where}: {outcome.problem}"
    line = (
        f"{outcome.name} {where} upload {report.upload_id} {report.status} "
        f"accepted {report.rows_accepted} rejected {report.rows_rejected}"
    )
    if outcome.note:
        return f"{line}: {outcome.note}"
    if report.errors:  # the report beside the file in failed/ lists the rest
        first = report.errors[0]
        return f"{line}: line {first.line}: {first.error}"
    return line


class Watcher:
    def __init__(self, folder: Path, server: Server, options: Options, stop: StopSignal) -> None:
        self._folder = folder
        self._server = server
        self._options = options
        self._stop = stop
        self._keys = Keys(folder)
        self._told: dict[Path, str] = {}  # each file's problem, said once until it changes

    def run(self) -> None:
        """Until a stop is requested; Refused ends it (nothing would succeed)."""
        self._keys.forget_gone()
        log.info("watching %s", self._folder)
        previous: dict[Path, Signature] = {}
        while not self._stop.requested.is_set():
            current, problems = csv_signatures(self._folder)
            for path, problem in problems.items():
                self._tell(path, f"cannot be read ({problem}); left where it is, tried again")
            settled = sorted(path for path, seen in current.items() if previous.get(path) == seen)
            try:
                self._deliver_all(settled, current)
            except (Unreachable, Unexpected) as error:
                log.warning("%s; trying again", error)
            except Stopped:
                break
            previous = current
            self._stop.requested.wait(POLL_SECONDS)
        log.info("stopped")

    def _deliver_all(self, settled: list[Path], seen: dict[Path, Signature]) -> None:
        for path in settled:
            if self._stop.requested.is_set():
                return
            # Sending an earlier file took time: this one must still be as it was seen.
            if signature(path) == seen[path]:
                self._deliver(path, seen[path])

    def _deliver(self, path: Path, seen: Signature) -> None:
        key = self._keys.key_for(path, seen, self._options)
        try:
            with self._stop.interruptible():
                outcome = Outcome(
                    path.name, self._server.finished(self._server.send(path, key, self._options))
                )
        except Rejected as error:
            outcome = Outcome.refused(path.name, error)
        except (FileChanged, FileNotFoundError) as error:
            log.warning("%s not sent: %s", path.name, error)
            return
        except OSError as error:  # unreadable: no permission, a device gone
            self._tell(path, f"cannot be read ({error.strerror or error}); tried again")
            return
        if signature(path) not in (seen, None):
            # Rows were added while it was sent: what was sent is not the file. The file is
            # sent again, whole and under a new key, once it settles.
            log.warning("%s changed while it was being sent; it is sent again whole", path.name)
            return
        self._file_away(path, outcome)

    def _tell(self, path: Path, problem: str) -> None:
        if self._told.get(path) != problem:
            self._told[path] = problem
            log.warning("%s %s", path.name, problem)

    def _file_away(self, path: Path, outcome: Outcome) -> None:
        where = SENT if outcome.ok else FAILED
        folder = self._folder / where
        folder.mkdir(exist_ok=True)
        target = free_name(folder, path.name)
        if not outcome.ok:
            report = json.dumps(outcome.as_json(), indent=2)
            target.with_suffix(".report.json").write_text(report + "\n")
        try:
            os.replace(path, target)
        except FileNotFoundError:  # deleted while it was sent: its upload stands
            target.with_suffix(".report.json").unlink(missing_ok=True)
            log.warning("%s was removed while it was being sent; %s", path.name,
                        log_line(outcome, "sent"))  # fmt: skip
            return
        finally:
            self._keys.forget(path)
            self._told.pop(path, None)
        log.info("%s", log_line(outcome, where))
