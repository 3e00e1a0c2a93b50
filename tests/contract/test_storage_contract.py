"""What every storage backend must do, asserted through the ports only."""

import uuid
from pathlib import Path

import pytest

from storage.errors import AlreadyExists, InvalidCursor
from storage.ports import Storage
from storage.records import (
    Alert,
    ApiKey,
    Application,
    Breach,
    Delivery,
    IdempotencyRecord,
    MeterSpan,
    Reading,
    ReadingQuery,
    RecentFile,
    RecordedAnswer,
    Upload,
    User,
)
from tests.contract.readings import write

NOW = "2025-01-01T00:00:00Z"


def user(email: str = "a@example.com") -> User:
    return User(user_id=str(uuid.uuid4()), email=email, password_hash="h", created_at=NOW)


def application(owner_id: str, created_at: str = NOW) -> Application:
    return Application(
        id=str(uuid.uuid4()),
        owner_id=owner_id,
        name="n",
        application_id="a",
        email="e@example.com",
        domain="d",
        created_at=created_at,
        updated_at=created_at,
    )


def api_key(app_id: str, created_at: str = NOW) -> ApiKey:
    return ApiKey(
        id=f"key_{uuid.uuid4().hex}",
        app_id=app_id,
        name="k",
        prefix="sk_abc",
        key_hash=uuid.uuid4().hex,
        created_at=created_at,
    )


def upload(app_id: str, upload_id: str, status: str = "queued") -> Upload:
    return Upload.model_validate(
        {
            "upload_id": upload_id,
            "app_id": app_id,
            "filename": "f.csv",
            "status": status,
            "size_bytes": 3,
            "sha256": "0" * 64,
            "object_key": f"uploads/{app_id}/{upload_id}/f.csv",
            "created_at": NOW,
        }
    )


def alert(app_id: str, alert_id: str, deliveries: list[Delivery] | None = None) -> Alert:
    return Alert(
        alert_id=alert_id,
        app_id=app_id,
        upload_id=alert_id.replace("al_", "up_"),
        threshold_kwh=1.0,
        breach_count=1,
        max_kwh=2.0,
        breaches=[Breach(meter_id="m", timestamp=NOW, kwh=2.0)],
        deliveries=deliveries or [],
        created_at=NOW,
    )


def test_health_check_reports_ok(storage: Storage) -> None:
    assert set(storage.lifecycle.check().values()) == {"ok"}


def test_prepare_is_idempotent(storage: Storage) -> None:
    storage.lifecycle.prepare()
    assert storage.lifecycle.check()


def test_users_enforce_unique_email(storage: Storage) -> None:
    first = user("taken@example.com")
    storage.users.add(first)
    with pytest.raises(AlreadyExists):
        storage.users.add(user("taken@example.com"))
    assert storage.users.find_by_email("taken@example.com") == first
    assert storage.users.find_by_email("other@example.com") is None


def test_revoked_tokens_until_expiry(storage: Storage) -> None:
    storage.revoked_tokens.add("live", 4_000_000_000)
    storage.revoked_tokens.add("past", 1)
    assert storage.revoked_tokens.contains("live")
    assert not storage.revoked_tokens.contains("past")
    assert not storage.revoked_tokens.contains("never")


def test_applications_by_owner(storage: Storage) -> None:
    older = application("owner-1", "2025-01-01T00:00:00Z")
    newer = application("owner-1", "2025-01-02T00:00:00Z")
    other = application("owner-2")
    for app in (newer, older, other):
        storage.applications.put(app)
    assert storage.applications.list_by_owner("owner-1") == [older, newer]
    assert storage.applications.get(other.id) == other
    renamed = older.model_copy(update={"name": "renamed", "alert_emails": ["x@example.com"]})
    storage.applications.put(renamed)
    assert storage.applications.get(older.id) == renamed
    storage.applications.delete(older.id)
    assert storage.applications.get(older.id) is None
    assert storage.applications.list_by_owner("owner-1") == [newer]


def test_api_keys_lookup_revoke_touch_delete(storage: Storage) -> None:
    first = api_key("app-1", "2025-01-01T00:00:00Z")
    second = api_key("app-1", "2025-01-02T00:00:00Z")
    foreign = api_key("app-2")
    for key in (second, first, foreign):
        storage.api_keys.add(key)
    assert storage.api_keys.find_by_hash(first.key_hash) == first
    assert storage.api_keys.find_by_hash("nope") is None
    assert storage.api_keys.list_for_app("app-1") == [first, second]
    assert storage.api_keys.revoke("app-1", first.id, "2025-02-01T00:00:00Z")
    assert not storage.api_keys.revoke("app-1", foreign.id, NOW)
    assert not storage.api_keys.revoke("app-1", "missing", NOW)
    storage.api_keys.touch("app-1", second.id, "2025-03-01T00:00:00Z")
    revoked, touched = storage.api_keys.list_for_app("app-1")
    assert revoked.revoked_at == "2025-02-01T00:00:00Z"
    assert touched.last_used_at == "2025-03-01T00:00:00Z"
    storage.api_keys.delete_for_app("app-1")
    assert storage.api_keys.list_for_app("app-1") == []
    assert storage.api_keys.find_by_hash(second.key_hash) is None
    assert storage.api_keys.find_by_hash(foreign.key_hash) == foreign


def test_uploads_newest_first_paginated_and_unfinished(storage: Storage) -> None:
    ids = [f"up_{n:04d}" for n in range(5)]
    for upload_id in ids:
        storage.uploads.put(upload("app-1", upload_id))
    storage.uploads.put(upload("app-2", "up_9999"))
    storage.uploads.put(upload("app-1", ids[0], status="completed"))
    first = storage.uploads.list_recent("app-1", 2, None)
    assert [u.upload_id for u in first.items] == ["up_0004", "up_0003"]
    assert first.next_cursor
    second = storage.uploads.list_recent("app-1", 3, first.next_cursor)
    assert [u.upload_id for u in second.items] == ["up_0002", "up_0001", "up_0000"]
    assert second.next_cursor is None
    assert storage.uploads.get("app-1", ids[0]).status == "completed"  # type: ignore[union-attr]
    assert storage.uploads.get("app-2", ids[0]) is None
    unfinished = {(u.app_id, u.upload_id) for u in storage.uploads.list_unfinished()}
    assert unfinished == {("app-1", i) for i in ids[1:]} | {("app-2", "up_9999")}


def test_bad_cursor_is_refused(storage: Storage) -> None:
    for cursor in ("not-a-cursor", "W10", "eyJ4IjoxfQ"):
        with pytest.raises(InvalidCursor):
            storage.uploads.list_recent("app-1", 10, cursor)
        with pytest.raises(InvalidCursor):
            storage.readings.query(ReadingQuery("app-1", limit=10, cursor=cursor))


def test_readings_upsert_and_query(storage: Storage) -> None:
    write(
        storage,
        "app-1",
        [
            Reading("m2", "2025-01-01T01:00:00Z", 2.0),
            Reading("m1", "2025-01-01T01:00:00Z", 1.0),
            Reading("m1", "2025-01-01T00:00:00Z", 0.5),
            Reading("m1", "2025-01-01T02:00:00Z", 3.0),
        ],
    )
    write(storage, "app-2", [Reading("m1", "2025-01-01T00:00:00Z", 9.0)])
    write(storage, "app-1", [Reading("m1", "2025-01-01T01:00:00Z", 1.5)])
    everything = storage.readings.query(ReadingQuery("app-1", limit=100))
    assert everything.items == [
        Reading("m1", "2025-01-01T00:00:00Z", 0.5),
        Reading("m1", "2025-01-01T01:00:00Z", 1.5),
        Reading("m2", "2025-01-01T01:00:00Z", 2.0),
        Reading("m1", "2025-01-01T02:00:00Z", 3.0),
    ]
    bounded = storage.readings.query(
        ReadingQuery("app-1", "m1", "2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z")
    )
    assert [r.kwh for r in bounded.items] == [1.5, 3.0]


def test_readings_paginate_across_meters(storage: Storage) -> None:
    readings = [
        Reading(f"m{meter}", f"2025-01-01T{hour:02d}:00:00Z", float(hour))
        for meter in range(3)
        for hour in range(10)
    ]
    write(storage, "app-1", readings)
    for meter_id, expected in ((None, 30), ("m1", 10)):
        seen: list[Reading] = []
        cursor = None
        while True:
            page = storage.readings.query(ReadingQuery("app-1", meter_id, limit=7, cursor=cursor))
            seen.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len(seen) == expected
        assert seen == sorted(seen, key=lambda r: (r.timestamp, r.meter_id))


def test_readings_large_batch(storage: Storage) -> None:
    readings = [
        Reading(f"m{n % 7}", f"2025-01-01T00:{n // 7 % 60:02d}:{n % 60:02d}Z", n)
        for n in range(2500)
    ]
    write(storage, "app-big", readings)
    unique = {(r.meter_id, r.timestamp) for r in readings}
    page = storage.readings.query(ReadingQuery("app-big", limit=1000))
    total = len(page.items)
    while page.next_cursor:
        page = storage.readings.query(ReadingQuery("app-big", limit=1000, cursor=page.next_cursor))
        total += len(page.items)
    assert total == len(unique)


def test_alerts_add_once_list_and_retry_index(storage: Storage) -> None:
    failed = Delivery(channel="email", target="x@example.com", status="failed", error="boom")
    assert storage.alerts.add(alert("app-1", "al_0001"))
    assert not storage.alerts.add(alert("app-1", "al_0001", [failed]))
    assert storage.alerts.get("app-1", "al_0001") == alert("app-1", "al_0001")
    storage.alerts.put(alert("app-1", "al_0002", [failed]))
    storage.alerts.add(alert("app-2", "al_0003"))
    page = storage.alerts.list_recent("app-1", 1, None)
    assert [a.alert_id for a in page.items] == ["al_0002"]
    rest = storage.alerts.list_recent("app-1", 5, page.next_cursor)
    assert [a.alert_id for a in rest.items] == ["al_0001"]
    assert [a.alert_id for a in storage.alerts.list_with_failed_deliveries()] == ["al_0002"]
    sent = failed.model_copy(update={"status": "sent", "error": None})
    storage.alerts.put(alert("app-1", "al_0002", [sent]))
    assert storage.alerts.list_with_failed_deliveries() == []
    assert storage.alerts.get("app-2", "al_0001") is None


def stored(storage: Storage, key: str) -> bool:
    try:
        with storage.objects.fetch(key):
            return True
    except FileNotFoundError:
        return False


def test_objects_keep_their_bytes(storage: Storage, tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"meter_id,timestamp,kwh\nm,2025-01-01,1\n")
    key = "uploads/app-1/up_1/source.csv"
    storage.objects.put_file(key, source, "ab" * 32)
    with storage.objects.fetch(key) as stream:
        assert stream.read() == source.read_bytes()
    assert not stored(storage, "uploads/app-1/missing/x.csv")


def test_objects_are_deleted_one_by_one_and_by_folder(storage: Storage, tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_bytes(b"x")
    keys = [f"uploads/app-{app}/up_{n}/f.csv" for app in (1, 2) for n in range(3)]
    for key in keys:
        storage.objects.put_file(key, source, "ab" * 32)
    storage.objects.delete(keys[0])
    storage.objects.delete(keys[0])
    storage.objects.delete_prefix("uploads/app-2/")
    storage.objects.delete_prefix("uploads/app-9/")
    assert [stored(storage, key) for key in keys] == [
        False, True, True, False, False, False,
    ]  # fmt: skip


def test_an_applications_records_and_readings_are_deleted_and_nobody_elses(
    storage: Storage,
) -> None:
    for app_id in ("app-1", "app-2"):
        storage.uploads.put(upload(app_id, "up_0001"))
        storage.alerts.add(alert(app_id, "al_0001"))
        write(
            storage,
            app_id,
            [Reading(f"m{n % 3}", f"2025-01-01T0{n // 60}:{n % 60:02d}:00Z", n) for n in range(90)],
        )
    for store in (storage.uploads, storage.alerts, storage.readings):
        store.delete_app("app-1")
    assert storage.uploads.get("app-1", "up_0001") is None
    assert storage.alerts.get("app-1", "al_0001") is None
    assert storage.readings.query(ReadingQuery("app-1")).items == []
    assert storage.uploads.get("app-2", "up_0001") is not None
    assert storage.alerts.get("app-2", "al_0001") is not None
    assert len(storage.readings.query(ReadingQuery("app-2", limit=1000)).items) == 90


def test_purges_are_listed_until_removed(storage: Storage) -> None:
    storage.purges.add("app-1")
    storage.purges.add("app-2")
    storage.purges.add("app-1")
    assert sorted(storage.purges.list()) == ["app-1", "app-2"]
    storage.purges.remove("app-1")
    storage.purges.remove("app-9")
    assert storage.purges.list() == ["app-2"]


def test_alert_channels_name_their_targets(storage: Storage) -> None:
    app = application("owner").model_copy(
        update={
            "alert_emails": ["a@example.com"],
            "alert_sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts",
        }
    )
    targets = {channel.name: channel.targets(app) for channel in storage.alert_channels}
    assert targets["email"] == ["a@example.com"]
    assert targets["sns"] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
    assert len(targets["log"]) == 1


def test_totals_per_bucket_for_one_meter_or_all(storage: Storage) -> None:
    write(
        storage,
        "app-1",
        [
            Reading("a", "2025-01-01T00:00:00Z", 1.0),
            Reading("a", "2025-01-01T00:30:00Z", 2.5),
            Reading("b", "2025-01-01T00:45:00Z", 4.0),
            Reading("a", "2025-01-01T02:00:00Z", 3.0),
            Reading("a", "2025-01-01T03:00:00Z", 9.0),  # the end is excluded
            Reading("a", "2024-12-31T23:59:59Z", 9.0),  # before the start
        ],
    )
    write(storage, "app-2", [Reading("a", "2025-01-01T00:00:00Z", 50.0)])
    edges = [f"2025-01-01T0{hour}:00:00Z" for hour in range(4)]
    every = storage.readings.totals("app-1", None, edges)
    assert every.channels == {}
    assert [(t.kwh, t.max_kwh, t.readings) for t in every.buckets] == [
        (7.5, 4.0, 3),
        (0.0, None, 0),
        (3.0, 3.0, 1),
    ]
    one = storage.readings.totals("app-1", "a", edges).buckets
    assert [(t.kwh, t.readings) for t in one] == [(3.5, 2), (0.0, 0), (3.0, 1)]
    assert [t.readings for t in storage.readings.totals("app-1", "c", edges).buckets] == [0, 0, 0]


def test_totals_of_every_meter_keep_channels_apart(storage: Storage) -> None:
    write(
        storage,
        "app-1",
        [
            Reading("home", "2025-06-01T10:00:00Z", 1.0),
            Reading("home:export", "2025-06-01T10:00:00Z", 3.0),
            Reading("home:generation", "2025-06-01T10:30:00Z", 4.5),
            Reading("shed", "2025-06-01T11:00:00Z", 0.5),
            Reading("shed:export", "2025-06-01T11:00:00Z", 0.25),
            Reading("site:2", "2025-06-01T11:00:00Z", 2.0),  # a colon, but no channel
            Reading("home:export", "2025-06-01T12:00:00Z", 9.0),  # after the range
        ],
    )
    edges = ["2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z", "2025-06-01T12:00:00Z"]

    every = storage.readings.totals("app-1", None, edges)
    export = storage.readings.totals("app-1", "home:export", edges)

    assert [(t.kwh, t.max_kwh, t.readings) for t in every.buckets] == [
        (1.0, 1.0, 1),
        (2.5, 2.0, 2),
    ]
    assert every.channels == {"export": 3.25, "generation": 4.5}
    assert [t.kwh for t in export.buckets] == [3.0, 0.0]
    assert export.channels == {}


def test_totals_with_edges_inside_hours(storage: Storage) -> None:
    write(
        storage,
        "app-1",
        [Reading("a", f"2025-01-01T05:{minute:02d}:00Z", 1.0) for minute in range(60)],
    )
    halves = ["2025-01-01T05:00:00Z", "2025-01-01T05:30:00Z", "2025-01-01T06:00:00Z"]
    assert [t.readings for t in storage.readings.totals("app-1", None, halves).buckets] == [30, 30]
    seconds = ["2025-01-01T05:00:30Z", "2025-01-01T05:10:30Z"]
    assert [t.readings for t in storage.readings.totals("app-1", "a", seconds).buckets] == [10]


def test_meters_are_listed_with_their_widest_span(storage: Storage) -> None:
    def span(meter: str, first: str, last: str) -> MeterSpan:
        return MeterSpan(meter_id=meter, first_timestamp=first, last_timestamp=last)

    storage.meters.widen(
        "app-1",
        [span(f"m{n}", "2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z") for n in range(5)],
    )
    storage.meters.widen(
        "app-1",
        [
            span("m1", "2025-01-01T00:00:00Z", "2025-01-02T12:00:00Z"),
            span("m2", "2025-01-02T06:00:00Z", "2025-01-09T00:00:00Z"),
        ],
    )
    storage.meters.widen("app-2", [span("zz", "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")])
    first = storage.meters.list("app-1", 3, None)
    assert [m.meter_id for m in first.items] == ["m0", "m1", "m2"]
    assert first.items[1] == span("m1", "2025-01-01T00:00:00Z", "2025-01-03T00:00:00Z")
    assert first.items[2] == span("m2", "2025-01-02T00:00:00Z", "2025-01-09T00:00:00Z")
    rest = storage.meters.list("app-1", 3, first.next_cursor)
    assert [m.meter_id for m in rest.items] == ["m3", "m4"]
    assert rest.next_cursor is None
    storage.meters.delete_app("app-1")
    assert storage.meters.list("app-1", 10, None).items == []
    assert len(storage.meters.list("app-2", 10, None).items) == 1


def claim(key: str, fingerprint: str, now: int, **fields: object) -> IdempotencyRecord:
    return IdempotencyRecord.model_validate(
        {
            "app_id": "app-1",
            "key": key,
            "fingerprint": fingerprint,
            "claimed_until": now + 120,
            "expires_at": now + 86_400,
            **fields,
        }
    )


def test_an_idempotency_key_is_claimed_once_then_answered(storage: Storage) -> None:
    keys = storage.idempotency_keys
    first = claim("k1", "request-a", 1_000)
    assert keys.claim(first, 1_000) is None
    assert keys.claim(claim("k1", "request-b", 1_001), 1_001) == first
    answered = first.model_copy(
        update={"answer": RecordedAnswer(status_code=201, body='{"uploads": []}')}
    )
    keys.answer(answered)
    assert keys.claim(claim("k1", "request-a", 1_002), 1_002) == answered
    # Another application's key of the same name is its own.
    other = claim("k1", "request-a", 1_002).model_copy(update={"app_id": "app-2"})
    assert keys.claim(other, 1_002) is None


def test_a_released_stale_or_expired_claim_lets_the_next_request_run(storage: Storage) -> None:
    keys = storage.idempotency_keys
    assert keys.claim(claim("released", "a", 1_000), 1_000) is None
    keys.release("app-1", "released")
    assert keys.claim(claim("released", "a", 1_001), 1_001) is None
    assert keys.claim(claim("stale", "a", 1_000), 1_000) is None
    assert keys.claim(claim("stale", "b", 1_121), 1_121) is None  # unanswered past its claim
    answered = claim("expired", "a", 1_000, answer={"status_code": 201, "body": "{}"})
    keys.answer(answered)
    assert keys.claim(claim("expired", "a", 87_399), 87_399) == answered
    assert keys.claim(claim("expired", "b", 87_400), 87_400) is None


def held(upload_id: str, expires_at: int, spans: list[MeterSpan] | None = None) -> RecentFile:
    return RecentFile(upload_id=upload_id, expires_at=expires_at, spans=spans)


def test_idempotency_keys_and_recent_files_go_with_their_application(storage: Storage) -> None:
    storage.idempotency_keys.claim(claim("k", "a", 1_000), 1_000)
    storage.recent_files.claim("app-1", "digest", held("up_1", 2_000), 1_000)
    storage.recent_files.claim("app-2", "digest", held("up_2", 2_000), 1_000)
    storage.idempotency_keys.delete_app("app-1")
    storage.recent_files.delete_app("app-1")
    assert storage.idempotency_keys.claim(claim("k", "b", 1_000), 1_000) is None
    assert storage.recent_files.claim("app-1", "digest", held("up_3", 2_000), 1_000) is None
    assert storage.recent_files.claim("app-2", "digest", held("up_4", 2_000), 1_000) == held(
        "up_2", 2_000
    )


def test_a_recent_file_is_claimed_once_until_it_expires(storage: Storage) -> None:
    files = storage.recent_files
    assert files.claim("app-1", "digest", held("up_1", 2_000), 1_000) is None
    assert files.claim("app-1", "digest", held("up_2", 2_500), 1_999) == held("up_1", 2_000)
    assert files.claim("app-1", "digest", held("up_1", 2_000), 1_000) == held("up_1", 2_000)
    assert files.claim("app-2", "digest", held("up_3", 2_000), 1_000) is None
    assert files.claim("app-1", "other", held("up_4", 2_000), 1_000) is None
    # Expired (expires_at <= now): anyone may take it.
    assert files.claim("app-1", "digest", held("up_2", 3_000), 2_000) is None
    assert files.claim("app-1", "digest", held("up_5", 3_000), 2_999) == held("up_2", 3_000)


def test_a_claim_may_replace_the_upload_it_names(storage: Storage) -> None:
    files = storage.recent_files
    assert files.claim("app-1", "digest", held("up_1", 2_000), 1_000) is None
    assert files.claim("app-1", "digest", held("up_2", 2_500), 1_100, replacing="up_9") == held(
        "up_1", 2_000
    )
    assert files.claim("app-1", "digest", held("up_2", 2_500), 1_100, replacing="up_1") is None
    # The record is up_2's now: replacing up_1 again no longer takes it.
    assert files.claim("app-1", "digest", held("up_3", 2_500), 1_200, replacing="up_1") == held(
        "up_2", 2_500
    )


def test_a_recent_file_is_remembered_and_released_only_by_its_holder(storage: Storage) -> None:
    files = storage.recent_files
    spans = [
        MeterSpan(meter_id=f"meter-{n:04d}", first_timestamp=NOW, last_timestamp=NOW)
        for n in range(1_000)
    ]
    assert files.claim("app-1", "digest", held("up_1", 2_000), 1_000) is None
    files.remember("app-1", "digest", held("up_2", 9_000, spans))  # not the holder: no write
    assert files.claim("app-1", "digest", held("up_3", 2_000), 1_000) == held("up_1", 2_000)
    files.remember("app-1", "digest", held("up_1", 9_000, spans))
    assert files.claim("app-1", "digest", held("up_3", 9_000), 2_000) == held("up_1", 9_000, spans)
    files.remember("app-1", "missing", held("up_1", 9_000, spans))  # no record: none is made
    assert files.claim("app-1", "missing", held("up_3", 9_000), 2_000) is None
    files.release("app-1", "digest", "up_3")  # not the holder: kept
    assert files.claim("app-1", "digest", held("up_4", 9_000), 2_000) == held("up_1", 9_000, spans)
    files.release("app-1", "digest", "up_1")
    files.release("app-1", "never", "up_1")
    assert files.claim("app-1", "digest", held("up_4", 9_000), 2_000) is None
