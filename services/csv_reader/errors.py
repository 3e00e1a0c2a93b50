"""What the reader says when a file or a row cannot be read."""

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from services.csv_reader.report import LayoutReport


class UnreadableFile(Exception):
    """The file cannot be read at all; str(exc) is one sentence saying why, for the report.

    `layout` is what was found of the file's layout before it had to stop, when anything was.
    """

    def __init__(self, reason: str, layout: "LayoutReport | None" = None) -> None:
        super().__init__(reason)
        self.layout = layout


class Rejected(Exception):
    """A row (or one cell of it) is rejected; the message is the sentence for the report."""


class NotRead(Exception):
    """A row holds what this service does not read (water, a gas volume, gas without a
    unit): no error of the row, but said once for the file. The message names what it holds."""


class RowError(NamedTuple):
    line: int  # 1-based physical line of the original file
    error: str
