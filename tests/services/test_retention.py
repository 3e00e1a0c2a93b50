"""RETENTION_DAYS: old finished uploads lose their record and files, readings stay; on aws the
bucket's lifecycle rule and the uploads table's TTL do it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.container import Services
from services.errors import NotFound
from services.retention import RetentionSweep
from services.uploads import UploadOptions
from storage.aws.objects import RETENTION_RULE
from storage.local.backend import open_local_storage
from storage.ports import Storage
from storage.records import Application, ReadingQuery, Upload
from tests.aws_servers import AwsServers, OpenAws, server_client
from tests.contract.readings import read_all, write

APP = "app-1"
NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def stored_upload(
    storage: Storage, tmp_path: Path, upload_id: str, age_days: float, status: str = "completed"
) -> Upload:
    created = (NOW - timedelta(days=age_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    upload = Upload.model_validate(
        {
            "upload_id": upload_id,
            "app_id": APP,
            "filename": "m.csv",
            "status": status,
            "size_bytes": 4,
            "sha256": "0" * 64,
            "object_key": f"uploads/{APP}/{upload_id}/m.csv",
            "errors_key": f"uploads/{APP}/{upload_id}.errors.csv",
            "created_at": created,
        }
    )
    source = tmp_path / f"{upload_id}.csv"
    source.write_bytes(b"data")
    storage.objects.put_file(upload.object_key, source, upload.sha256)
    storage.objects.put_file(f"uploads/{APP}/{upload_id}.errors.csv", source, upload.sha256)
    storage.uploads.put(upload)
    return upload


def test_the_sweep_deletes_old_finished_uploads_and_their_files_and_keeps_readings(
    tmp_path: Path,
) -> None:
    storage = open_local_storage(tmp_path / "data")
    storage.lifecycle.prepare()
    old = stored_upload(storage, tmp_path, "up_old", age_days=31)
    failed = stored_upload(storage, tmp_path, "up_failed", age_days=40, status="failed")
    recent = stored_upload(storage, tmp_path, "up_recent", age_days=29)
    waiting = stored_upload(storage, tmp_path, "up_waiting", age_days=90, status="queued")
    write(storage, APP, [("m-1", "2026-05-01T00:00:00Z", 1.5)])
    objects = tmp_path / "data" / "objects"

    deleted = RetentionSweep(storage.uploads, storage.objects, 30, clock=lambda: NOW).sweep()

    assert deleted == 2
    for gone in (old, failed):
        assert storage.uploads.get(APP, gone.upload_id) is None
        assert not (objects / gone.object_key).exists()
        assert not (objects / gone.object_key).parent.exists()
        assert not (objects / f"uploads/{APP}/{gone.upload_id}.errors.csv").exists()
    for kept in (recent, waiting):  # too young, or not read yet: kept whatever its age
        assert storage.uploads.get(APP, kept.upload_id) == kept
        assert (objects / kept.object_key).read_bytes() == b"data"
        assert (objects / f"uploads/{APP}/{kept.upload_id}.errors.csv").exists()
    readings = read_all(storage, ReadingQuery(app_id=APP, meter_id="m-1"))
    assert [(r.timestamp, r.kwh) for r in readings] == [("2026-05-01T00:00:00Z", 1.5)]
    storage.lifecycle.close()


def test_on_aws_prepare_sets_the_lifecycle_rule_and_ttl_and_finished_items_carry_it(
    open_aws: OpenAws, aws_servers: AwsServers, tmp_path: Path
) -> None:
    storage = open_aws(retention_days=30)
    storage.lifecycle.prepare()
    storage.lifecycle.prepare()  # every start does it again
    bucket = storage.objects.bucket  # type: ignore[attr-defined]
    table = storage.uploads._records._table.name  # type: ignore[attr-defined]
    s3 = server_client("s3", aws_servers.moto_url)
    dynamodb = server_client("dynamodb", aws_servers.dynamodb_url)

    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r["Filter"], r["Status"], r["Expiration"]) for r in rules] == [
        (RETENTION_RULE, {"Prefix": "uploads/"}, "Enabled", {"Days": 30})
    ]
    ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl.get("AttributeName") == "expires_at"
    assert ttl["TimeToLiveStatus"] in ("ENABLED", "ENABLING")

    done = stored_upload(storage, tmp_path, "up_done", age_days=1)
    waiting = stored_upload(storage, tmp_path, "up_waiting", age_days=1, status="processing")
    items = {
        upload.upload_id: dynamodb.get_item(
            TableName=table,
            Key={"app_id": {"S": APP}, "upload_id": {"S": upload.upload_id}},
        )["Item"]
        for upload in (done, waiting)
    }
    created = datetime.fromisoformat(done.created_at).timestamp()
    assert int(items["up_done"]["expires_at"]["N"]) == int(created) + 30 * 86_400
    assert "expires_at" not in items["up_waiting"]
    assert storage.uploads.get(APP, "up_done") == done


BAD_LINES = b"meter_id,timestamp,kwh\nm-1,2026-05-01T00:00:00Z,1.5\nm-1,not a time,2\n"


@pytest.mark.parametrize("storage", ["local"], indirect=True)
def test_a_repeat_of_a_swept_upload_answers_its_errors_file_with_a_404(
    services: Services, app: Application, storage: Storage
) -> None:
    def send() -> Upload:
        incoming = services.spool.receive("m.csv")
        incoming.write(BAD_LINES)
        reports, _ = services.uploads.accept(app, [incoming], UploadOptions())
        return reports[0]

    original = send()
    repeat = send()
    assert repeat.duplicate_of == original.upload_id
    now = datetime.now(UTC)
    month_ago = (now - timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    storage.uploads.put(original.model_copy(update={"created_at": month_ago}))
    sweep = RetentionSweep(storage.uploads, storage.objects, 30, clock=lambda: now)

    assert repeat.errors_key is not None
    assert sweep.sweep() == 1
    assert services.uploads.get(app, repeat.upload_id).rows_rejected == 1

    with pytest.raises(NotFound, match="no longer kept"):
        services.uploads.rejected_lines(app, repeat.upload_id)
