"""Applications and their API keys in SQLite."""

from storage.local.database import Database
from storage.records import ApiKey, Application


class SqliteApplications:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, app: Application) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO applications"
                " (id, owner_id, application_id, created_at, doc) VALUES (?, ?, ?, ?, ?)",
                (app.id, app.owner_id, app.application_id, app.created_at, app.model_dump_json()),
            )

    def get(self, app_id: str) -> Application | None:
        with self._db.reading() as connection:
            row = connection.execute("SELECT doc FROM applications WHERE id = ?", (app_id,))
            found = row.fetchone()
        return Application.model_validate_json(found[0]) if found else None

    def list_by_owner(self, owner_id: str) -> list[Application]:
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT doc FROM applications WHERE owner_id = ? ORDER BY created_at, id",
                (owner_id,),
            ).fetchall()
        return [Application.model_validate_json(doc) for (doc,) in rows]

    def delete(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM applications WHERE id = ?", (app_id,))


class SqliteApiKeys:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, key: ApiKey) -> None:
        with self._db.writing() as connection:
            connection.execute(
                "INSERT INTO api_keys (app_id, id, key_hash, doc) VALUES (?, ?, ?, ?)",
                (key.app_id, key.id, key.key_hash, key.model_dump_json()),
            )

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT doc FROM api_keys WHERE key_hash = ?", (key_hash,)
            ).fetchone()
        return ApiKey.model_validate_json(row[0]) if row else None

    def list_for_app(self, app_id: str) -> list[ApiKey]:
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT doc FROM api_keys WHERE app_id = ?", (app_id,)
            ).fetchall()
        keys = [ApiKey.model_validate_json(doc) for (doc,) in rows]
        return sorted(keys, key=lambda key: (key.created_at, key.id))

    def revoke(self, app_id: str, key_id: str, at: str) -> bool:
        return self._update(app_id, key_id, "revoked_at", at)

    def touch(self, app_id: str, key_id: str, at: str) -> None:
        self._update(app_id, key_id, "last_used_at", at)

    def delete_for_app(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM api_keys WHERE app_id = ?", (app_id,))

    def _update(self, app_id: str, key_id: str, field: str, value: str) -> bool:
        with self._db.writing() as connection:
            cursor = connection.execute(
                "UPDATE api_keys SET doc = json_set(doc, ?, ?) WHERE app_id = ? AND id = ?",
                (f"$.{field}", value, app_id, key_id),
            )
        return cursor.rowcount > 0


class SqlitePurges:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("INSERT OR IGNORE INTO purges (app_id) VALUES (?)", (app_id,))

    def remove(self, app_id: str) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM purges WHERE app_id = ?", (app_id,))

    def list(self) -> list[str]:
        with self._db.reading() as connection:
            return [app_id for (app_id,) in connection.execute("SELECT app_id FROM purges")]
