"""Applications and their API keys in SQLite."""

from storage.local.database import Database
from storage.records import ApiKey, Application


class SqliteApplications:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, app: Application) -> None:
        self._db.run(
            "INSERT OR REPLACE INTO applications"
            " (id, owner_id, application_id, created_at, doc) VALUES (?, ?, ?, ?, ?)",
            (app.id, app.owner_id, app.application_id, app.created_at, app.model_dump_json()),
        )

    def get(self, app_id: str) -> Application | None:
        return self._db.document(Application, "SELECT doc FROM applications WHERE id = ?", [app_id])

    def list_by_owner(self, owner_id: str) -> list[Application]:
        return self._db.documents(
            Application,
            "SELECT doc FROM applications WHERE owner_id = ? ORDER BY created_at, id",
            [owner_id],
        )

    def delete(self, app_id: str) -> None:
        self._db.run("DELETE FROM applications WHERE id = ?", [app_id])


class SqliteApiKeys:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, key: ApiKey) -> None:
        self._db.run(
            "INSERT INTO api_keys (app_id, id, key_hash, doc) VALUES (?, ?, ?, ?)",
            (key.app_id, key.id, key.key_hash, key.model_dump_json()),
        )

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        return self._db.document(ApiKey, "SELECT doc FROM api_keys WHERE key_hash = ?", [key_hash])

    def list_for_app(self, app_id: str) -> list[ApiKey]:
        keys = self._db.documents(ApiKey, "SELECT doc FROM api_keys WHERE app_id = ?", [app_id])
        return sorted(keys, key=lambda key: (key.created_at, key.id))

    def revoke(self, app_id: str, key_id: str, at: str) -> bool:
        return self._update(app_id, key_id, "revoked_at", at)

    def expire(self, app_id: str, key_id: str, at: str) -> bool:
        changed = self._db.run(
            "UPDATE api_keys SET doc = json_set(doc, '$.expires_at', ?1) WHERE app_id = ?2"
            " AND id = ?3 AND coalesce(json_extract(doc, '$.expires_at') > ?1, 1)",
            (at, app_id, key_id),
        )
        return changed > 0

    def touch(self, app_id: str, key_id: str, at: str) -> None:
        self._update(app_id, key_id, "last_used_at", at)

    def delete_for_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM api_keys WHERE app_id = ?", [app_id])

    def _update(self, app_id: str, key_id: str, field: str, value: str) -> bool:
        changed = self._db.run(
            "UPDATE api_keys SET doc = json_set(doc, ?, ?) WHERE app_id = ? AND id = ?",
            (f"$.{field}", value, app_id, key_id),
        )
        return changed > 0


class SqlitePurges:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, app_id: str) -> None:
        self._db.run("INSERT OR IGNORE INTO purges (app_id) VALUES (?)", [app_id])

    def remove(self, app_id: str) -> None:
        self._db.run("DELETE FROM purges WHERE app_id = ?", [app_id])

    def list(self) -> list[str]:
        with self._db.reading() as connection:
            return [app_id for (app_id,) in connection.execute("SELECT app_id FROM purges")]
