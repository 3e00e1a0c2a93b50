"""Upload records, alerts and audit events: newest first by time-ordered ids, plus a sparse
index for the records that need attention."""

from datetime import datetime
from typing import Generic

from storage.aws.schema import FAILED_DELIVERIES_INDEX, UNFINISHED_INDEX
from storage.aws.table import Item, KeyRange, M, Table, load, load_all
from storage.cursors import decode_cursor
from storage.records import Alert, AuditEvent, Page, Upload

FLAGGED = "1"
EXPIRES_AT = "expires_at"
DAY_SECONDS = 86_400


class _NewestFirst(Generic[M]):
    """Records of an application under time-ordered ids (the sort key).

    The `flag` attribute is present only on records that need attention, so its index
    (sparse) holds exactly those and is read without a Scan.
    """

    def __init__(
        self, table: Table, model: type[M], flag: str = "", flag_index: str | None = None
    ) -> None:
        self._table = table
        self._model = model
        self._flag = flag
        self._flag_index = flag_index

    def put(self, record: M, app_id: str, record_id: str, flagged: bool) -> None:
        self._table.put(self._item(record, app_id, record_id, flagged))

    def put_new(self, record: M, app_id: str, record_id: str, flagged: bool) -> bool:
        return self._table.put_new(self._item(record, app_id, record_id, flagged))

    def get(self, app_id: str, record_id: str) -> M | None:
        return load(self._model, self._table.get(app_id, record_id))

    def page(self, app_id: str, limit: int, cursor: str | None) -> Page[M]:
        partition, sort = self._table.keys
        after = self._table.key(app_id, *decode_cursor(cursor, 1)) if cursor else None
        items, next_cursor = self._table.query_page(
            KeyRange(partition, app_id),
            limit,
            after,
            lambda item: [item[sort]["S"]],
            forward=False,
        )
        return Page(items=load_all(self._model, items), next_cursor=next_cursor)

    def delete(self, app_id: str, record_id: str) -> None:
        self._table.delete(app_id, record_id)

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange(self._table.keys[0], app_id))

    def flagged(self) -> list[M]:
        items = self._table.query_all(KeyRange(self._flag, FLAGGED), self._flag_index)
        return load_all(self._model, items)

    def _item(self, record: M, app_id: str, record_id: str, flagged: bool) -> Item:
        flag = {self._flag: FLAGGED} if flagged else {}
        return self._table.document(record, app_id, record_id, **flag)


class DynamoUploads:
    """With a retention, a finished upload's item carries `expires_at` (epoch seconds: its
    creation plus the retention) for DynamoDB's TTL; an unfinished one never does, so it
    cannot expire before it is processed."""

    def __init__(self, table: Table, retention_days: int | None = None) -> None:
        self._table = table
        self._records = _NewestFirst(table, Upload, "unfinished", UNFINISHED_INDEX)
        self._retention_seconds = retention_days * DAY_SECONDS if retention_days else None

    def put(self, upload: Upload) -> None:
        if self._retention_seconds is None or not upload.finished:
            self._records.put(upload, upload.app_id, upload.upload_id, not upload.finished)
            return
        created = datetime.fromisoformat(upload.created_at).timestamp()
        expires_at = int(created) + self._retention_seconds
        item = self._table.document(upload, upload.app_id, upload.upload_id)
        self._table.put({**item, EXPIRES_AT: {"N": str(expires_at)}})

    def get(self, app_id: str, upload_id: str) -> Upload | None:
        return self._records.get(app_id, upload_id)

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Upload]:
        return self._records.page(app_id, limit, cursor)

    def list_unfinished(self) -> list[Upload]:
        return self._records.flagged()

    def delete(self, app_id: str, upload_id: str) -> None:
        self._records.delete(app_id, upload_id)

    def delete_app(self, app_id: str) -> None:
        self._records.delete_app(app_id)

    def finished_before(self, created_before: str, limit: int) -> list[Upload]:
        return []  # TTL deletes them


class DynamoAlerts:
    def __init__(self, table: Table) -> None:
        self._records = _NewestFirst(table, Alert, "failed_deliveries", FAILED_DELIVERIES_INDEX)

    def add(self, alert: Alert) -> bool:
        return self._records.put_new(
            alert, alert.app_id, alert.alert_id, alert.has_failed_deliveries
        )

    def put(self, alert: Alert) -> None:
        self._records.put(alert, alert.app_id, alert.alert_id, alert.has_failed_deliveries)

    def get(self, app_id: str, alert_id: str) -> Alert | None:
        return self._records.get(app_id, alert_id)

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Alert]:
        return self._records.page(app_id, limit, cursor)

    def list_with_failed_deliveries(self) -> list[Alert]:
        return self._records.flagged()

    def delete_app(self, app_id: str) -> None:
        self._records.delete_app(app_id)


class DynamoAuditLog:
    def __init__(self, table: Table) -> None:
        self._records = _NewestFirst(table, AuditEvent)

    def add(self, event: AuditEvent) -> None:
        self._records.put(event, event.app_id, event.event_id, flagged=False)

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[AuditEvent]:
        return self._records.page(app_id, limit, cursor)

    def delete_app(self, app_id: str) -> None:
        self._records.delete_app(app_id)
