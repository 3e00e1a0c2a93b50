"""The storage contract runs against every backend; each gets fresh, empty stores per test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.local.backend import open_local_storage
from storage.ports import Storage


@pytest.fixture(params=["local"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    opened = open_local_storage(tmp_path)
    opened.lifecycle.prepare()
    yield opened
    opened.lifecycle.close()
