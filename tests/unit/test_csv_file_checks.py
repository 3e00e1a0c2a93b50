"""Whole-file rules: every line is measured, wherever the chunks of the read fall, and any
bytes are either read under one encoding or refused with a sentence."""

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.csv_reader import UnreadableFile
from services.csv_reader.text import encoding
from services.csv_reader.text import lines as text_lines
from services.csv_reader.text.encoding import examine

LIMIT = 64


def longest_line(data: bytes) -> int:
    return max(len(line) for line in re.split(rb"[\r\n]", data))


def longest_text_line(text: str) -> int:
    return max(len(line) for line in re.split(r"[\r\n]", text))


@pytest.fixture(autouse=True)
def small_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks and a small bound, so that lines cross chunk edges all the time."""
    monkeypatch.setattr(text_lines, "MAX_LINE_BYTES", LIMIT)
    monkeypatch.setattr(text_lines, "WINDOW", LIMIT // 2)
    monkeypatch.setattr(encoding, "CHUNK_BYTES", 50)


lines = st.lists(
    st.tuples(st.integers(0, LIMIT + 40), st.sampled_from([b"\n", b"\r\n", b"\r"])),
    min_size=1,
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(lines, st.integers(0, LIMIT + 40))
def test_a_file_is_refused_exactly_when_a_line_is_too_long(
    shape: list[tuple[int, bytes]], unterminated: int
) -> None:
    data = b"".join(b"x" * length + end for length, end in shape) + b"y" * unterminated
    if longest_line(data) > LIMIT:
        with pytest.raises(UnreadableFile, match=f"longer than {LIMIT} bytes"):
            examine(io.BytesIO(data))
    else:
        examine(io.BytesIO(data))


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_are_examined_without_an_exception_of_another_kind(data: bytes) -> None:
    try:
        found = examine(io.BytesIO(data))
    except UnreadableFile:
        return
    text = data.decode(found.codec)
    assert "\x00" not in text
    assert longest_text_line(text) <= LIMIT


def test_the_line_of_a_long_line_is_named() -> None:
    data = b"short\n" * 30 + b"y" * 100 + b"\nend\n"
    with pytest.raises(UnreadableFile, match=r"^Line 31 is longer than 64 bytes"):
        examine(io.BytesIO(data))
