"""The verified-key cache of one instance, against a real SQLite store shared with another,
on a clock the tests move."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from services.api_keys import REFRESH_AFTER, ApiKeyService, KeyTerms
from services.audit import AuditService
from services.cursors import CursorSeal
from services.errors import Unauthorized
from services.key_limits import KeyLimits
from storage.local.backend import open_local_storage
from storage.ports import Storage
from storage.records import Application
from tests.support import FakeClock, eventually

CACHE_SECONDS = 10.0
CHECKED_AGAIN_AFTER = CACHE_SECONDS * REFRESH_AFTER

Instance = Callable[[], ApiKeyService]


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    opened = open_local_storage(tmp_path)
    opened.lifecycle.prepare()
    yield opened
    opened.lifecycle.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def instance(storage: Storage, clock: FakeClock) -> Iterator[Instance]:
    """Makes instances of the service over the one store, all on the test's clock."""
    made: list[ApiKeyService] = []

    def make() -> ApiKeyService:
        made.append(
            ApiKeyService(
                storage.api_keys,
                storage.applications,
                "pepper",
                CACHE_SECONDS,
                clock,
                audit=AuditService(storage.audit, CursorSeal("secret")),
                limits=KeyLimits(storage.request_counters),
            )
        )
        return made[-1]

    yield make
    for keys in made:
        keys.close()


@pytest.fixture
def app(storage: Storage) -> Application:
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


def checked_lately(keys: ApiKeyService, secret: str, clock: FakeClock) -> bool:
    """Whether the cached copy is not yet due a check: any check already started has ended."""
    cached = keys.cached(secret)
    assert cached is not None
    return cached.refresh_at > clock.now


def test_a_verified_key_is_answered_from_the_cache_until_it_is_due_a_check(
    instance: Instance, app: Application, clock: FakeClock
) -> None:
    here, elsewhere = instance(), instance()
    key, secret = here.issue(app, KeyTerms(name="k"))
    verified = here.verify(secret)
    elsewhere.revoke(app, key.id)
    clock.advance(CHECKED_AGAIN_AFTER - 0.001)
    assert here.cached(secret) == verified


def test_a_busy_key_stays_cached_while_it_is_checked_again(
    instance: Instance, app: Application, clock: FakeClock
) -> None:
    keys = instance()
    _, secret = keys.issue(app, KeyTerms(name="k"))
    keys.verify(secret)
    for _ in range(int(4 * CACHE_SECONDS)):
        clock.advance(1)
        assert keys.cached(secret) is not None
        eventually(lambda: checked_lately(keys, secret, clock), timeout=10, interval=0.01)


def test_a_key_revoked_elsewhere_goes_once_it_is_checked_again(
    instance: Instance, app: Application, clock: FakeClock
) -> None:
    here, elsewhere = instance(), instance()
    key, secret = here.issue(app, KeyTerms(name="k"))
    here.verify(secret)
    elsewhere.revoke(app, key.id)
    clock.advance(CHECKED_AGAIN_AFTER)
    assert here.cached(secret) is not None  # answered at once; checked in the background
    eventually(lambda: here.cached(secret) is None, timeout=10, interval=0.01)
    assert clock.now < CACHE_SECONDS
    with pytest.raises(Unauthorized):
        here.verify(secret)


def test_a_key_revoked_elsewhere_and_not_used_since_goes_with_the_cache_time(
    instance: Instance, app: Application, clock: FakeClock
) -> None:
    here, elsewhere = instance(), instance()
    key, secret = here.issue(app, KeyTerms(name="k"))
    here.verify(secret)
    elsewhere.revoke(app, key.id)
    clock.advance(CACHE_SECONDS)
    assert here.cached(secret) is None
    with pytest.raises(Unauthorized):
        here.verify(secret)


def test_a_key_revoked_here_is_refused_at_once(instance: Instance, app: Application) -> None:
    keys = instance()
    key, secret = keys.issue(app, KeyTerms(name="k"))
    keys.verify(secret)
    keys.revoke(app, key.id)
    assert keys.cached(secret) is None
