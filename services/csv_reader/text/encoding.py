"""The first stage: the file's bytes as text. One pass over the whole file decides its
encoding and checks the rules about it as a whole, so that a file is read under one encoding
or refused with one sentence, never stored in part.

UTF-8 (with or without a byte-order mark) is what most exporters write; UTF-16 is known by
its byte-order mark or by the zero bytes of its ASCII characters; any other file is in a
legacy code page, which charset-normalizer names from the file's non-ASCII lines.
"""

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO

from charset_normalizer import from_bytes

from services.csv_reader.columns.vocabulary import words_known
from services.csv_reader.errors import UnreadableFile
from services.csv_reader.text.lines import LineBound

CHUNK_BYTES = 1024 * 1024
UTF16_PROBE_BYTES = 4096
# Share of one byte parity that is zero in UTF-16 text of mostly ASCII characters.
UTF16_ZEROS = 0.3
# Non-ASCII lines handed to charset-normalizer: enough to tell languages apart, quick to judge.
SAMPLE_BYTES = 64 * 1024
# Python's codec, and the name a report gives it, of each legacy code page considered.
CODE_PAGES = {
    "cp1252": "windows-1252",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1257": "windows-1257",
    "cp932": "shift_jis",
    "gb18030": "gb18030",
    "big5": "big5",
    "cp949": "euc-kr",
}
ODD_CHARACTERS = re.compile("[\uff61-\uff9f\u0080-\u009f\ufffd]")
# Chaos scores this close read a sample alike; the vocabulary tells them apart.
CHAOS_TIE = 1.0
BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16be", "utf-16"),
)


@dataclass(frozen=True)
class Encoding:
    name: str  # as the report gives it: utf-8, utf-16le, windows-1252...
    codec: str  # the Python codec that reads the file from its first byte
    crcrlf: bool = False  # lines end in CR CR LF, which is one line end


def examine(stream: BinaryIO) -> Encoding:
    """Read `stream` whole: its encoding; UnreadableFile with a sentence when a rule is broken
    (not text, empty, a line longer than the bound)."""
    stream.seek(0)
    head = stream.read(UTF16_PROBE_BYTES)
    if not head:
        raise UnreadableFile("The file is empty.")
    utf16 = _utf16(head)
    stream.seek(0)
    try:
        if utf16 is not None:
            return _decoded_whole(stream, *utf16)
        return _bytes_whole(stream)
    except ValueError as problem:  # the bound on a line
        raise UnreadableFile(str(problem)) from None


def _utf16(head: bytes) -> tuple[str, str] | None:
    for bom, name, codec in BOMS[1:]:
        if head.startswith(bom):
            return name, codec
    if head.startswith(BOMS[0][0]) or len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= UTF16_ZEROS * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16le", "utf-16-le"
    if even.count(0) >= UTF16_ZEROS * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16be", "utf-16-be"
    return None


def _decoded_whole(stream: BinaryIO, name: str, codec: str) -> Encoding:
    decoder = codecs.getincrementaldecoder(codec)()
    bound: LineBound[str] = LineBound("\n", "\r")
    crcrlf = False
    while chunk := stream.read(CHUNK_BYTES):
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError:
            raise UnreadableFile(
                f"The file starts as {name.upper()} text, but line {bound.lines_before + 1} "
                "holds bytes that are not; save it again as UTF-8 or UTF-16 CSV."
            ) from None
        _no_nul(text, "\x00", bound.lines_before, "character")
        crcrlf = crcrlf or "\r\r\n" in text
        bound.feed(text)
    bound.finish()
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UnreadableFile(
            f"The file is {name.upper()} text, but it ends inside a character; it was cut "
            "short: send it whole."
        ) from None
    return Encoding(name, codec, crcrlf)


def _bytes_whole(stream: BinaryIO) -> Encoding:
    decoder = codecs.getincrementaldecoder("utf-8")()
    bound: LineBound[bytes] = LineBound(b"\n", b"\r")
    utf8 = True
    sample: list[bytes] = []
    sampled = 0
    crcrlf = False
    bom = False
    while chunk := stream.read(CHUNK_BYTES):
        bom = bom or (bound.lines_before == 0 and chunk.startswith(codecs.BOM_UTF8))
        _no_nul(chunk, b"\x00", bound.lines_before, "byte")
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if sampled < SAMPLE_BYTES and not chunk.isascii():
            found = [line for line in chunk.splitlines() if not line.isascii()]
            sample.extend(found)
            sampled += sum(len(line) for line in found)
        crcrlf = crcrlf or b"\r\r\n" in chunk
        bound.feed(chunk)
    bound.finish()
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return Encoding("utf-8", "utf-8-sig" if bom else "utf-8", crcrlf)
    return _code_page(stream, b"\n".join(sample)[:SAMPLE_BYTES], crcrlf)


def _no_nul(chunk: bytes | str, nul: bytes | str, lines_before: int, what: str) -> None:
    at = chunk.find(nul)  # type: ignore[arg-type]
    if at >= 0:
        line = lines_before + chunk.count("\n" if isinstance(chunk, str) else b"\n", 0, at) + 1  # type: ignore[arg-type]
        raise UnreadableFile(
            f"The file is not text: line {line} holds a NUL {what}. Save it as CSV text."
        )


def _code_page(stream: BinaryIO, sample: bytes, crcrlf: bool) -> Encoding:
    """The legacy code page of a file that is not UTF-8: charset-normalizer's choice among
    CODE_PAGES, Windows-1252 where it decodes the file's words alike, checked whole."""
    found = from_bytes(sample, cp_isolation=list(CODE_PAGES))
    matches = [m for m in found if m.encoding in CODE_PAGES]
    # Code pages that read the sample about as well are told apart by the words of energy
    # exports they find in it, then by how often exporters use them (CODE_PAGES' order).
    least = min((m.percent_chaos for m in matches), default=0.0)
    order = list(CODE_PAGES)
    matches.sort(
        key=lambda m: (
            m.percent_chaos > least + CHAOS_TIE,
            -words_known(str(m)),
            _odd(str(m)),
            m.percent_chaos,
            order.index(m.encoding),
        )
    )
    ranked = [match.encoding for match in matches]
    by_words = _by_words(sample)
    if by_words and (not ranked or _known(sample, by_words[0]) > _known(sample, ranked[0])):
        ranked.insert(0, by_words[0])  # a short sample: the words it reads settle it
    if ranked and _same_text(sample, ranked[0], "cp1252"):
        ranked.insert(0, "cp1252")
    for codec in [*ranked, "cp1252"]:
        if _decodes_whole(stream, codec):
            return Encoding(CODE_PAGES[codec], codec, crcrlf)
    # Bytes no Windows code page defines (0x81 in windows-1252): ISO-8859-1 reads them all.
    return Encoding("windows-1252", "latin-1", crcrlf)


def _known(sample: bytes, codec: str) -> int:
    return words_known(sample.decode(codec, errors="replace"))


def _by_words(sample: bytes) -> list[str]:
    """The code pages that decode a sample, best first: by the words they find, then by how
    few odd characters they make. A sample too short for charset-normalizer's statistics
    (a title and a header) is told by them alone."""
    decoded = {}
    for codec in CODE_PAGES:
        try:
            decoded[codec] = sample.decode(codec)
        except UnicodeDecodeError:
            continue
    order = list(CODE_PAGES)
    return sorted(
        decoded, key=lambda c: (-words_known(decoded[c]), _odd(decoded[c]), order.index(c))
    )


def _odd(text: str) -> int:
    """Characters a wrong code page makes of other bytes: half-width katakana (what Shift_JIS
    makes of Korean or Chinese), C1 controls, replacement characters."""
    return len(ODD_CHARACTERS.findall(text))


def _same_text(sample: bytes, codec: str, other: str) -> bool:
    try:
        return sample.decode(codec) == sample.decode(other)
    except UnicodeDecodeError:
        return False


def _decodes_whole(stream: BinaryIO, codec: str) -> bool:
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        while chunk := stream.read(CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
