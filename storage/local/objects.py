"""Raw files under DATA_DIR/objects/ with the S3 key layout; sha256 kept in a sidecar file."""

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from storage.errors import StorageUnavailable

METADATA_SUFFIX = ".metadata.json"


class FolderObjects:
    def __init__(self, root: Path) -> None:
        self.root = root

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def put_file(self, key: str, source: Path, sha256: str) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_durably(target, lambda handle: _copy(source, handle))
            metadata = json.dumps({"sha256": sha256}).encode()
            _write_durably(_metadata_path(target), lambda handle: handle.write(metadata))
        except OSError as error:
            raise StorageUnavailable(f"object folder: {error.strerror}") from error

    @contextmanager
    def fetch(self, key: str) -> Iterator[BinaryIO]:
        with self._path(key).open("rb") as handle:
            yield handle

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
            _metadata_path(path).unlink(missing_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"object folder: {error.strerror}") from error

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix), ignore_errors=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"object key {key!r} leaves the objects folder")
        return path


def _metadata_path(path: Path) -> Path:
    return path.with_name(path.name + METADATA_SUFFIX)


def _copy(source: Path, handle: BinaryIO) -> None:
    with source.open("rb") as reader:
        shutil.copyfileobj(reader, handle, 1024 * 1024)


def _write_durably(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a sibling temporary file, fsync it, then rename it into place."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    with temporary.open("wb") as handle:
        write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
