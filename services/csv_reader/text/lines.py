"""Lines of a file: the bound on a line's length, checked over the raw chunks, and the decoded
lines the later stages read."""

import io
from collections.abc import Iterator
from typing import AnyStr, BinaryIO, Generic

MAX_LINE_BYTES = 64 * 1024
# A line longer than MAX_LINE_BYTES covers a whole window of this size at a multiple of it.
WINDOW = MAX_LINE_BYTES // 2


class LineBound(Generic[AnyStr]):
    """Raises UnreadableFile's reason (ValueError) when a line of the chunks it is fed is
    longer than MAX_LINE_BYTES (characters, for decoded text). Chunks are bytes or str."""

    def __init__(self, newline: AnyStr, carriage_return: AnyStr) -> None:
        self._breaks: tuple[AnyStr, AnyStr] = (newline, carriage_return)
        self._newline: AnyStr = newline
        self.lines_before = 0  # line breaks before the current chunk
        self._run = 0  # characters since the last line break

    def feed(self, chunk: AnyStr) -> None:
        first = self._first_break(chunk, 0, len(chunk))
        if first < 0:
            self._at_most(self._run + len(chunk), self.lines_before + 1)
            self._run += len(chunk)
            self.lines_before += chunk.count(self._newline)
            return
        self._at_most(self._run + first, self.lines_before + 1)
        last = max(chunk.rfind(brk) for brk in self._breaks)
        # A window with no break is part of a line at least WINDOW long: measure that line.
        for start in range(first, last, WINDOW):
            end = min(start + WINDOW, last)
            if self._first_break(chunk, start + 1, end) < 0:
                line_start = max(chunk.rfind(brk, 0, start + 1) for brk in self._breaks)
                line_end = self._first_break(chunk, start + 1, len(chunk))
                line = self.lines_before + chunk.count(self._newline, 0, start) + 1
                self._at_most(line_end - line_start - 1, line)
        self._run = len(chunk) - last - 1
        self.lines_before += chunk.count(self._newline)

    def finish(self) -> None:
        self._at_most(self._run, self.lines_before + 1)  # the last line, with no break after it

    def _first_break(self, chunk: AnyStr, start: int, end: int) -> int:
        found = [at for at in (chunk.find(brk, start, end) for brk in self._breaks) if at >= 0]
        return min(found, default=-1)

    @staticmethod
    def _at_most(length: int, line: int) -> None:
        if length > MAX_LINE_BYTES:
            raise ValueError(
                f"Line {line} is longer than {MAX_LINE_BYTES} bytes; no energy CSV has such "
                "lines, so the file is not read."
            )


def open_text(stream: BinaryIO, codec: str) -> io.TextIOWrapper:
    """The stream from its first byte as text; line ends are kept for the csv module."""
    stream.seek(0)
    return io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")


def collapsed(lines: Iterator[str]) -> Iterator[str]:
    """Lines of a file that ends its lines in CR CR LF, each one line, not a line and a blank."""
    previous_ended_in_cr = False
    for line in lines:
        if line in ("\r\n", "\n") and previous_ended_in_cr:
            previous_ended_in_cr = False
            continue
        previous_ended_in_cr = line.endswith("\r") and not line.endswith("\r\n")
        yield line
