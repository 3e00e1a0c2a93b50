"""How a line splits into cells: its delimiter (`,` `;` tab or `|`, or what Excel's `sep=`
line says; runs of spaces for loggers that write columns so) and the csv module's quoting."""

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _csv import Reader

DELIMITERS = (",", ";", "\t", "|")
SPACES = " "  # a file whose columns are runs of spaces: a last resort, never a header's names
SEPARATOR_HINT = re.compile(r'\ufeff?"?sep=(.)"?')


def separator_hint(line: str) -> str | None:
    """The delimiter an Excel `sep=;` line names, if the line is one."""
    found = SEPARATOR_HINT.fullmatch(line.strip())
    return found.group(1) if found else None


def delimiters(line: str, forced: str | None = None) -> list[str]:
    """The delimiters a line could be split by, the most frequent first."""
    if forced:
        return [forced]
    present = [d for d in DELIMITERS if d in line]
    return sorted(present, key=line.count, reverse=True)


def cells_of(line: str, delimiter: str) -> list[str]:
    return next(rows_of([line], delimiter), [])


def rows_of(lines: Iterable[str], delimiter: str) -> "Reader":
    """The csv module's rows; spaces as the delimiter take any run of them as one."""
    return csv.reader(lines, delimiter=delimiter, skipinitialspace=delimiter == SPACES)
