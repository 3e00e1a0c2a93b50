"""A file being received: spooled to a temporary file while its size and sha256 are counted."""

import hashlib
import re
import tempfile
from pathlib import Path

from services.errors import TooLarge

DEFAULT_FILENAME = "upload.csv"
UNSAFE_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None) -> str:
    """The last path segment of `name`, reduced to characters that are safe in an object key."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = UNSAFE_CHARACTERS.sub("_", base).strip("._")[:200]
    return cleaned or DEFAULT_FILENAME


class IncomingFile:
    def __init__(self, filename: str | None, max_bytes: int) -> None:
        self.filename = safe_filename(filename)
        self.size_bytes = 0
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self._handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by finish/discard
            prefix="wattkey-", suffix=".upload", delete=False
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
