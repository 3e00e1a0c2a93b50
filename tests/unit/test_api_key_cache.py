"""The verified-key cache of one instance, against a real SQLite store shared with another."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.api_keys import ApiKeyService
from services.errors import Unauthorized
from storage.local.backend import open_local_storage
from storage.ports import Storage
from storage.records import Application

CACHE_SECONDS = 0.5


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    opened = open_local_storage(tmp_path)
    opened.lifecycle.prepare()
    yield opened
    opened.lifecycle.close()


def instance(storage: Storage) -> ApiKeyService:
    return ApiKeyService(storage.api_keys, storage.applications, "pepper", CACHE_SECONDS)


def application(storage: Storage) -> Application:
    app = Application(
        id="app_1",
        owner_id="usr_1",
        name="n",
        application_id="a",
        email="e@example.com",
        domain="d",
        created_at="2025-01-01T00:00:00Z",
        updated_at="2025-01-01T00:00:00Z",
    )
    storage.applications.put(app)
    return app


def test_a_busy_key_stays_cached_while_it_is_checked_again(storage: Storage) -> None:
    keys = instance(storage)
    _, secret = keys.issue(application(storage), "k", None)
    keys.verify(secret)
    deadline = time.monotonic() + CACHE_SECONDS * 4
    while time.monotonic() < deadline:
        assert keys.cached(secret) is not None
        time.sleep(0.02)
    keys.close()


def test_a_key_revoked_elsewhere_is_refused_within_the_cache_time(storage: Storage) -> None:
    here, elsewhere = instance(storage), instance(storage)
    app = application(storage)
    key, secret = here.issue(app, "k", None)
    here.verify(secret)
    elsewhere.revoke(app, key.id)
    revoked_at = time.monotonic()
    while here.cached(secret) is not None:
        assert time.monotonic() - revoked_at <= CACHE_SECONDS + 0.1
        time.sleep(0.01)
    with pytest.raises(Unauthorized):
        here.verify(secret)
    here.close()
    elsewhere.close()


def test_a_key_revoked_here_is_refused_at_once(storage: Storage) -> None:
    keys = instance(storage)
    app = application(storage)
    key, secret = keys.issue(app, "k", None)
    keys.verify(secret)
    keys.revoke(app, key.id)
    assert keys.cached(secret) is None
    keys.close()
