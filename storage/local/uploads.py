"""Upload records and alerts in SQLite, newest first by their time-ordered ids."""

from storage.cursors import decode_cursor, encode_cursor
from storage.local.database import Database, Record
from storage.records import Alert, Page, Upload

ALERT_ROW = (
    "INSERT OR {} INTO alerts (app_id, alert_id, failed_deliveries, doc) VALUES (?, ?, ?, ?)"
)


class SqliteUploads:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, upload: Upload) -> None:
        self._db.run(
            "INSERT OR REPLACE INTO uploads (app_id, upload_id, unfinished, doc)"
            " VALUES (?, ?, ?, ?)",
            (upload.app_id, upload.upload_id, not upload.finished, upload.model_dump_json()),
        )

    def get(self, app_id: str, upload_id: str) -> Upload | None:
        return self._db.document(
            Upload,
            "SELECT doc FROM uploads WHERE app_id = ? AND upload_id = ?",
            [app_id, upload_id],
        )

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Upload]:
        return newest_first(self._db, Upload, "uploads", "upload_id", app_id, limit, cursor)

    def list_unfinished(self) -> list[Upload]:
        return self._db.documents(Upload, "SELECT doc FROM uploads WHERE unfinished = 1")

    def delete(self, app_id: str, upload_id: str) -> None:
        self._db.run("DELETE FROM uploads WHERE app_id = ? AND upload_id = ?", [app_id, upload_id])

    def delete_app(self, app_id: str) -> None:
        _delete_app(self._db, "uploads", app_id)

    def finished_before(self, created_before: str, limit: int) -> list[Upload]:
        return self._db.documents(
            Upload,
            "SELECT doc FROM uploads WHERE unfinished = 0"
            " AND json_extract(doc, '$.created_at') < ? LIMIT ?",
            (created_before, limit),
        )


class SqliteAlerts:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, alert: Alert) -> bool:
        return self._db.run(ALERT_ROW.format("IGNORE"), _alert_row(alert)) > 0

    def put(self, alert: Alert) -> None:
        self._db.run(ALERT_ROW.format("REPLACE"), _alert_row(alert))

    def get(self, app_id: str, alert_id: str) -> Alert | None:
        return self._db.document(
            Alert, "SELECT doc FROM alerts WHERE app_id = ? AND alert_id = ?", [app_id, alert_id]
        )

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Alert]:
        return newest_first(self._db, Alert, "alerts", "alert_id", app_id, limit, cursor)

    def list_with_failed_deliveries(self) -> list[Alert]:
        return self._db.documents(Alert, "SELECT doc FROM alerts WHERE failed_deliveries = 1")

    def delete_app(self, app_id: str) -> None:
        _delete_app(self._db, "alerts", app_id)


def _alert_row(alert: Alert) -> tuple[object, ...]:
    return (alert.app_id, alert.alert_id, alert.has_failed_deliveries, alert.model_dump_json())


def _delete_app(db: Database, table: str, app_id: str) -> None:
    """Every record of an application; table names are constants."""
    db.run(f"DELETE FROM {table} WHERE app_id = ?", [app_id])  # noqa: S608


def newest_first(
    db: Database,
    model: type[Record],
    table: str,
    id_column: str,
    app_id: str,
    limit: int,
    cursor: str | None,
) -> Page[Record]:
    """One page of an application's records, by descending id; table names are constants."""
    before = decode_cursor(cursor, 1)[0] if cursor else "\uffff"
    sql = (
        f"SELECT doc, {id_column} FROM {table} WHERE app_id = ? AND {id_column} < ?"  # noqa: S608
        f" ORDER BY {id_column} DESC LIMIT ?"
    )
    items = db.documents(model, sql, (app_id, before, limit + 1))
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        next_cursor = encode_cursor([getattr(items[-1], id_column)])
    return Page(items=items, next_cursor=next_cursor)
