"""Upload records and alerts in SQLite, newest first by their time-ordered ids."""

from storage.cursors import decode_cursor, encode_cursor
from storage.local.database import Database
from storage.records import Alert, Page, Upload


class SqliteUploads:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, upload: Upload) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO uploads (app_id, upload_id, unfinished, doc)"
                " VALUES (?, ?, ?, ?)",
                (upload.app_id, upload.upload_id, not upload.finished, upload.model_dump_json()),
            )

    def get(self, app_id: str, upload_id: str) -> Upload | None:
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT doc FROM uploads WHERE app_id = ? AND upload_id = ?", (app_id, upload_id)
            ).fetchone()
        return Upload.model_validate_json(row[0]) if row else None

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Upload]:
        docs, next_cursor = _newest_first(self._db, "uploads", "upload_id", app_id, limit, cursor)
        return Page(
            items=[Upload.model_validate_json(doc) for doc in docs], next_cursor=next_cursor
        )

    def list_unfinished(self) -> list[Upload]:
        with self._db.reading() as connection:
            rows = connection.execute("SELECT doc FROM uploads WHERE unfinished = 1").fetchall()
        return [Upload.model_validate_json(doc) for (doc,) in rows]

    def delete(self, app_id: str, upload_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "DELETE FROM uploads WHERE app_id = ? AND upload_id = ?", (app_id, upload_id)
            )

    def delete_app(self, app_id: str) -> None:
        _delete_app(self._db, "uploads", app_id)


class SqliteAlerts:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, alert: Alert) -> bool:
        with self._db.writing() as connection:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO alerts (app_id, alert_id, failed_deliveries, doc)"
                " VALUES (?, ?, ?, ?)",
                (
                    alert.app_id,
                    alert.alert_id,
                    alert.has_failed_deliveries,
                    alert.model_dump_json(),
                ),
            )
        return cursor.rowcount > 0

    def put(self, alert: Alert) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO alerts (app_id, alert_id, failed_deliveries, doc)"
                " VALUES (?, ?, ?, ?)",
                (
                    alert.app_id,
                    alert.alert_id,
                    alert.has_failed_deliveries,
                    alert.model_dump_json(),
                ),
            )

    def get(self, app_id: str, alert_id: str) -> Alert | None:
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT doc FROM alerts WHERE app_id = ? AND alert_id = ?", (app_id, alert_id)
            ).fetchone()
        return Alert.model_validate_json(row[0]) if row else None

    def list_recent(self, app_id: str, limit: int, cursor: str | None) -> Page[Alert]:
        docs, next_cursor = _newest_first(self._db, "alerts", "alert_id", app_id, limit, cursor)
        return Page(items=[Alert.model_validate_json(doc) for doc in docs], next_cursor=next_cursor)

    def list_with_failed_deliveries(self) -> list[Alert]:
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT doc FROM alerts WHERE failed_deliveries = 1"
            ).fetchall()
        return [Alert.model_validate_json(doc) for (doc,) in rows]

    def delete_app(self, app_id: str) -> None:
        _delete_app(self._db, "alerts", app_id)


def _delete_app(db: Database, table: str, app_id: str) -> None:
    """Every record of an application; table names are constants."""
    with db.writing() as connection:
        connection.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,))  # noqa: S608


def _newest_first(
    db: Database, table: str, id_column: str, app_id: str, limit: int, cursor: str | None
) -> tuple[list[str], str | None]:
    """One page of documents of an application, by descending id; table names are constants."""
    before = decode_cursor(cursor, 1)[0] if cursor else "\uffff"
    with db.reading() as connection:
        rows = connection.execute(
            f"SELECT {id_column}, doc FROM {table} WHERE app_id = ? AND {id_column} < ?"  # noqa: S608
            f" ORDER BY {id_column} DESC LIMIT ?",
            (app_id, before, limit + 1),
        ).fetchall()
    next_cursor = encode_cursor([rows[limit - 1][0]]) if len(rows) > limit else None
    return [doc for _, doc in rows[:limit]], next_cursor
