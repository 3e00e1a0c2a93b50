"""API keys found by their hash at once and stopped in every copy; the audit log."""

import pytest

from storage.errors import InvalidCursor
from storage.ports import Storage
from storage.records import AuditEvent, Quota, RateLimit
from tests.contract.test_storage_contract import api_key


def test_a_key_is_found_by_its_hash_the_moment_it_is_stored(storage: Storage) -> None:
    key = api_key("app-1").model_copy(
        update={
            "scopes": ["usage:read"],
            "rate_limit": RateLimit(requests=10, per_seconds=60),
            "quota": Quota(requests=1000, period="month"),
        }
    )
    storage.api_keys.add(key)

    assert storage.api_keys.find_by_hash(key.key_hash) == key


def test_revoking_or_expiring_a_key_reaches_its_lookup(storage: Storage) -> None:
    key, other = api_key("app-1"), api_key("app-1")
    storage.api_keys.add(key)
    storage.api_keys.add(other)

    assert storage.api_keys.revoke("app-1", key.id, "2026-12-02T10:00:00Z")
    assert storage.api_keys.expire("app-1", other.id, "2026-12-02T11:00:00Z")
    assert storage.api_keys.expire("app-1", other.id, "2026-12-02T10:30:00Z")
    assert not storage.api_keys.expire("app-1", other.id, "2026-12-03T00:00:00Z")  # later
    assert not storage.api_keys.expire("app-2", other.id, "2026-12-02T09:00:00Z")

    found = storage.api_keys.find_by_hash(key.key_hash)
    assert found is not None
    assert found.revoked_at == "2026-12-02T10:00:00Z"
    stopping = storage.api_keys.find_by_hash(other.key_hash)
    assert stopping is not None
    assert stopping.expires_at == "2026-12-02T10:30:00Z"
    listed = {k.id: k.expires_at for k in storage.api_keys.list_for_app("app-1")}
    assert listed[other.id] == "2026-12-02T10:30:00Z"


def test_an_applications_keys_go_with_every_copy(storage: Storage) -> None:
    key = api_key("app-1")
    storage.api_keys.add(key)

    storage.api_keys.delete_for_app("app-1")

    assert storage.api_keys.find_by_hash(key.key_hash) is None


def event(app_id: str, n: int) -> AuditEvent:
    return AuditEvent(
        event_id=f"aud_{n:04d}",
        app_id=app_id,
        event="key.created",
        actor="user:usr_1",
        target=f"key_{n}",
        at="2026-12-02T10:00:00Z",
        details={"name": "gateway", "scopes": ["usage:read"]},
    )


def test_the_audit_log_reads_newest_first_a_page_at_a_time(storage: Storage) -> None:
    for n in range(5):
        storage.audit.add(event("app-1", n))
    storage.audit.add(event("app-2", 9))

    first = storage.audit.list_recent("app-1", 3, None)
    rest = storage.audit.list_recent("app-1", 3, first.next_cursor)

    assert [e.event_id for e in first.items] == ["aud_0004", "aud_0003", "aud_0002"]
    assert [e.event_id for e in rest.items] == ["aud_0001", "aud_0000"]
    assert rest.next_cursor is None
    assert first.items[0] == event("app-1", 4)
    with pytest.raises(InvalidCursor):
        storage.audit.list_recent("app-1", 3, "garbage")
    storage.audit.delete_app("app-1")
    assert storage.audit.list_recent("app-1", 3, None).items == []
    assert len(storage.audit.list_recent("app-2", 3, None).items) == 1
