"""What became of each file: the table `wattkey upload` prints, and its exit status."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Column, Table

from cli.answers import UploadReport
from cli.sending import Rejected

ERRORS_SHOWN = 5
# Piped or redirected, the table is read by scripts: never wrap or cut it to 80 columns.
UNWRAPPED_WIDTH = 10_000


@dataclass(frozen=True)
class Outcome:
    """One file's report, or the sentence the server refused it with (and the refusal's
    code; None when the file itself could not be sent, unreadable or shrinking)."""

    name: str
    report: UploadReport | None = None
    problem: str | None = None
    code: str | None = None

    @classmethod
    def refused(cls, name: str, error: Exception) -> "Outcome":
        return cls(
            name, problem=str(error), code=error.code if isinstance(error, Rejected) else None
        )

    @property
    def ok(self) -> bool:
        """Accepted, not failed, and not one row rejected (queued counts, for --no-wait)."""
        report = self.report
        return report is not None and report.status != "failed" and not report.rows_rejected

    def as_json(self) -> dict[str, Any]:
        """The server's report, or a refusal as the server's error answer names it."""
        if self.report is not None:
            return self.report.model_dump(mode="json")
        return {"filename": Path(self.name).name, "detail": self.problem, "code": self.code}

    @property
    def note(self) -> str:
        if self.problem:
            return self.problem
        if self.report is None:
            return ""
        if duplicate_of := self.report.duplicate_of:
            return f"duplicate of {duplicate_of}"
        if self.report.status == "failed" and self.report.errors:
            return self.report.errors[0].error
        return ""


def exit_status(outcomes: list[Outcome]) -> int:
    return 0 if all(outcome.ok for outcome in outcomes) else 1


def table(outcomes: list[Outcome]) -> Table:
    # A name or an id wraps rather than being cut short with an ellipsis.
    shown = Table(
        Column("File", overflow="fold"),
        "Status",
        Column("Accepted", justify="right"),
        Column("Rejected", justify="right"),
        Column("Upload", overflow="fold"),
        Column("Alert", overflow="fold"),
        "Note",
    )
    for outcome in outcomes:
        report = outcome.report
        if report is None:
            shown.add_row(outcome.name, "refused", "", "", "", "", outcome.note)
            continue
        shown.add_row(
            outcome.name,
            report.status,
            str(report.rows_accepted),
            str(report.rows_rejected),
            report.upload_id,
            report.alert_id or "",
            outcome.note,
        )
    return shown


def stdout_console() -> Console:
    terminal = Console()
    return terminal if terminal.is_terminal else Console(width=UNWRAPPED_WIDTH)


def print_outcomes(console: Console, outcomes: list[Outcome], url: str) -> None:
    """The table, then the first rejected lines of each file and where to read all of them."""
    console.print(table(outcomes))
    for outcome in outcomes:
        report = outcome.report
        if report is None or not report.rows_rejected:
            continue
        for error in report.errors[:ERRORS_SHOWN]:
            console.print(f"{outcome.name} line {error.line}: {error.error}", markup=False)
        more = report.rows_rejected - min(len(report.errors), ERRORS_SHOWN)
        if more > 0:
            errors_csv = f"{url}/uploads/{report.upload_id}/errors.csv"
            console.print(
                f"{outcome.name}: {more} more rejected lines in {errors_csv}", markup=False
            )


def print_json(outcomes: list[Outcome]) -> None:
    """One JSON array on stdout, an entry per file in the order sent: for scripts."""
    print(json.dumps([outcome.as_json() for outcome in outcomes], indent=2))
