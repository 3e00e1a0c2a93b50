"""Every problem of one upload as CSV (`line,error`), however many: written to a scratch file
while the upload is read, then kept as an object beside the raw file. The upload's report keeps
only the first few."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from services.incoming import IncomingFile, Spool
from storage.ports import Objects
from storage.records import RowProblem

HEADER = ("line", "error")
CHUNK_BYTES = 64 * 1024


def errors_key(object_key: str) -> str:
    """Beside the upload's folder (`uploads/{app}/{upload}.errors.csv`), so that no file name
    of the upload's own can meet it."""
    folder = object_key.rsplit("/", 1)[0]
    return f"{folder}.errors.csv"


class RejectedLines:
    def __init__(self, spool: Spool) -> None:
        self._spool = spool
        self._file: IncomingFile | None = None

    def add(self, problems: Sequence[tuple[int, str]]) -> None:
        """A batch of (line, error) pairs, written in one go."""
        if not problems:
            return
        if self._file is None:
            self._file = self._spool.scratch("errors.csv")
            self._file.write(_encoded([HEADER]))
        self._file.write(_encoded(problems))

    def keep(self, objects: Objects, key: str) -> str | None:
        """Store what was written under `key`; None (and nothing stored) when nothing was."""
        if self._file is None:
            return None
        self._file.finish()
        objects.put_file(key, self._file.path, self._file.sha256)
        return key

    def discard(self) -> None:
        if self._file is not None:
            self._file.discard()


def read_back(objects: Objects, key: str) -> Iterator[bytes]:
    with objects.fetch(key) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk


def as_csv(problems: Iterable[RowProblem]) -> Iterator[bytes]:
    """A short list of problems (a report's own) in the same CSV."""
    yield _encoded([HEADER, *((problem.line, problem.error) for problem in problems)])


def _encoded(rows: Iterable[tuple[object, ...]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode()
