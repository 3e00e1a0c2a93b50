"""Files being received: spooled to a folder of their own while their size and sha256 are
counted, and swept from there when the process that received them died."""

import hashlib
import logging
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from services.errors import TooLarge
from services.processes import is_running

DEFAULT_FILENAME = "upload.csv"
# Letters and digits of any script, `.`, `-`: safe in an object key and a path, and readable.
UNSAFE_CHARACTERS = re.compile(r"[^\w.-]+|_+")


def safe_filename(name: str | None) -> str:
    """The last path segment of `name`, its letters in any script kept (`名前.csv`), every
    other character made `_`, so that it is safe as an object key and in a path."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    cleaned = UNSAFE_CHARACTERS.sub("_", base).strip("._")[:200]
    return cleaned or DEFAULT_FILENAME


logger = logging.getLogger(__name__)
SUFFIX = ".upload"


class Spool:
    """The folder incoming files are written to; each file's name starts with its process id."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def receive(self, filename: str | None) -> "IncomingFile":
        self.folder.mkdir(parents=True, exist_ok=True)
        return IncomingFile(filename, self.max_bytes, self.folder)

    def scratch(self, filename: str) -> "IncomingFile":
        """A file the server writes itself: no upload limit, swept like received ones."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return IncomingFile(filename, sys.maxsize, self.folder)

    def sweep(self) -> None:
        """Delete what processes that are gone (a crash, `kill -9`) left behind."""
        for path in self.folder.glob(f"*{SUFFIX}"):
            if not is_running(int(path.name.split("-", 1)[0])):
                path.unlink(missing_ok=True)
                logger.info(
                    "removed a file a stopped process was receiving", extra={"file": path.name}
                )


class IncomingFile:
    def __init__(self, filename: str | None, max_bytes: int, folder: Path) -> None:
        self.filename = safe_filename(filename)
        self.size_bytes = 0
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self._handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by finish/discard
            prefix=f"{os.getpid()}-", suffix=SUFFIX, dir=folder, delete=False
        )
        self.path = Path(self._handle.name)

    def write(self, chunk: bytes) -> None:
        self.size_bytes += len(chunk)
        if self.size_bytes > self._max_bytes:
            raise TooLarge(
                f"{self.filename} is larger than the upload limit of {self._max_bytes} bytes."
            )
        self._digest.update(chunk)
        self._handle.write(chunk)

    def finish(self) -> None:
        self._handle.close()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def discard(self) -> None:
        self._handle.close()
        self.path.unlink(missing_ok=True)
