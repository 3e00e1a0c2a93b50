"""`wattkey upload`: the files named, sent one after another with progress bars, then waited for."""

import uuid
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)

from cli.reports import Outcome
from cli.sending import FileChanged, Options, Rejected, Server


class NoFiles(Exception):
    """The paths named hold no CSV file."""


def csv_files(paths: list[Path]) -> list[Path]:
    """Each file as named, and each folder's `*.csv` files, recursively, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                inside
                for inside in path.rglob("*")
                if inside.suffix.lower() == ".csv" and inside.is_file()
            )
        else:
            found.append(path)
    if not found:
        raise NoFiles(f"no CSV files in {', '.join(map(str, paths))}")
    return found


def progress_bars(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


def bar(progress: Progress, task: TaskID) -> Callable[[int], None]:
    return lambda done: progress.update(task, completed=done)


def send_all(
    server: Server, files: list[Path], options: Options, console: Console, gzip: bool = False
) -> list[Outcome]:
    """Every file in turn, each under a key of its own that all its retries reuse."""
    outcomes: list[Outcome] = []
    with progress_bars(console) as progress:
        for path in files:
            task = progress.add_task(str(path), total=None)
            try:
                progress.update(task, total=path.stat().st_size)
                key = str(uuid.uuid4())
                report = server.send(path, key, options, bar(progress, task), gzip)
                outcomes.append(Outcome(str(path), report))
            except (Rejected, FileChanged, OSError) as error:
                outcomes.append(Outcome.refused(str(path), error))
            finally:
                progress.remove_task(task)
    return outcomes


def finish_all(server: Server, outcomes: list[Outcome], console: Console) -> list[Outcome]:
    with console.status("Waiting for the server to process the files ..."):
        return [
            Outcome(outcome.name, server.finished(outcome.report))
            if outcome.report is not None
            else outcome
            for outcome in outcomes
        ]
