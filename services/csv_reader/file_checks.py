"""Rules about a file as a whole, checked before any of its rows is read.

Each is decided once for the whole file, so that a file is either read under one rule or
refused with one sentence, never stored in part: text (no NUL byte), UTF-8 from the first
byte to the last, and no line longer than MAX_LINE_BYTES (a bound on what one row can cost).
"""

import codecs
from typing import BinaryIO

CHUNK_BYTES = 1024 * 1024
MAX_LINE_BYTES = 64 * 1024
# A line longer than MAX_LINE_BYTES covers a whole window of this size at a multiple of it.
WINDOW_BYTES = MAX_LINE_BYTES // 2
LINE_BREAKS = (b"\n", b"\r")


class UnreadableFile(Exception):
    """The file cannot be read at all; str(exc) is one sentence saying why, for the report."""


def check_whole_file(stream: BinaryIO) -> None:
    """Read `stream` to its end; UnreadableFile with a sentence when a rule is broken."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0  # line breaks before this chunk
    run = 0  # bytes since the last line break
    size = 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = lines_before + chunk.count(b"\n", 0, nul) + 1
            raise UnreadableFile(
                f"The file is not text: line {line} holds a NUL byte. Upload the CSV as UTF-8 text."
            )
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line = lines_before + chunk.count(b"\n", 0, max(error.start, 0)) + 1
            raise UnreadableFile(
                f"The file is not UTF-8 text (line {line} holds bytes that are not UTF-8); "
                "save it as UTF-8 CSV."
            ) from None
        run = _check_lines(chunk, run, lines_before)
        lines_before += chunk.count(b"\n")
    if size == 0:
        raise UnreadableFile("The file is empty.")
    _at_most(run, lines_before + 1)  # the last line, when no line break ends it
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UnreadableFile(
            "The file is not UTF-8 text (it ends inside a character); save it as UTF-8 CSV."
        ) from None


def _check_lines(chunk: bytes, run: int, lines_before: int) -> int:
    """Raise when a line of `chunk` (with `run` bytes of it in earlier chunks) is too long.

    Returns the bytes of the chunk's last line, which may go on in the next chunk.
    """
    first = _first_break(chunk, 0, len(chunk))
    if first < 0:
        _at_most(run + len(chunk), lines_before + 1)
        return run + len(chunk)
    _at_most(run + first, lines_before + 1)
    last = max(chunk.rfind(brk) for brk in LINE_BREAKS)
    # A window with no break is part of a line at least WINDOW_BYTES long: measure that line.
    for start in range(first, last, WINDOW_BYTES):
        end = min(start + WINDOW_BYTES, last)
        if _first_break(chunk, start + 1, end) < 0:
            line_start = max(chunk.rfind(brk, 0, start + 1) for brk in LINE_BREAKS)
            line_end = _first_break(chunk, start + 1, len(chunk))
            _at_most(line_end - line_start - 1, lines_before + chunk.count(b"\n", 0, start) + 1)
    return len(chunk) - last - 1


def _first_break(chunk: bytes, start: int, end: int) -> int:
    found = [at for at in (chunk.find(brk, start, end) for brk in LINE_BREAKS) if at >= 0]
    return min(found, default=-1)


def _at_most(length: int, line: int) -> None:
    if length > MAX_LINE_BYTES:
        raise UnreadableFile(
            f"Line {line} is longer than {MAX_LINE_BYTES} bytes; no energy CSV has such lines, "
            "so the file is not read."
        )
