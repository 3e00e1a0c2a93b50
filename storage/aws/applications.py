"""Applications and their API keys in DynamoDB."""

from storage.aws.schema import KEY_HASH_INDEX, OWNER_INDEX, PENDING_PURGES_INDEX
from storage.aws.table import DOC, Item, KeyRange, Table, load, load_all
from storage.records import ApiKey, Application

# Kept beside `doc` and merged on read, so revoke and touch are single atomic updates that
# can never undo each other (a read-modify-write of `doc` could un-revoke a key).
KEY_UPDATES = ("last_used_at", "revoked_at", "expires_at")
# Each key also has an item keyed by its hash, written in one transaction with it: read with
# one strongly consistent GetItem, a key works everywhere the moment it is issued (the
# key_hash index is only eventually consistent). Keys issued before it are found by the index.
LOOKUP = "lookup"


class DynamoApplications:
    def __init__(self, table: Table) -> None:
        self._table = table

    def put(self, app: Application) -> None:
        item = self._table.document(
            app, app.id, owner_id=app.owner_id, application_id=app.application_id
        )
        self._table.put(item)

    def get(self, app_id: str) -> Application | None:
        return load(Application, self._table.get(app_id))

    def list_by_owner(self, owner_id: str) -> list[Application]:
        items = self._table.query_all(KeyRange("owner_id", owner_id), OWNER_INDEX)
        return sorted(load_all(Application, items), key=_creation)

    def delete(self, app_id: str) -> None:
        self._table.delete(app_id)


class DynamoApiKeys:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, key: ApiKey) -> None:
        self._table.transact(
            [
                {
                    "Put": {
                        "Item": self._table.document(key, key.app_id, key.id, key_hash=key.key_hash)
                    }
                },
                {"Put": {"Item": self._table.document(key, *_lookup(key.key_hash))}},
            ]
        )

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        item = self._table.get(*_lookup(key_hash)) or self._table.first(
            KeyRange("key_hash", key_hash), KEY_HASH_INDEX
        )
        return _api_key(item) if item else None

    def list_for_app(self, app_id: str) -> list[ApiKey]:
        items = self._table.query_all(KeyRange("app_id", app_id))
        return sorted((_api_key(item) for item in items), key=_creation)

    def revoke(self, app_id: str, key_id: str, at: str) -> bool:
        return self._set(app_id, key_id, "revoked_at", at, "attribute_exists(#k)")

    def expire(self, app_id: str, key_id: str, at: str) -> bool:
        earlier = "attribute_exists(#k) AND (attribute_not_exists(#a) OR #a > :v)"
        return self._set(app_id, key_id, "expires_at", at, earlier)

    def _set(self, app_id: str, key_id: str, attribute: str, value: str, condition: str) -> bool:
        """Set the attribute on the key and its lookup item at once, when `condition` holds."""
        stored = self._table.get(app_id, key_id)
        if stored is None:
            return False
        lookup = _lookup(stored["key_hash"]["S"])
        keys = [(app_id, key_id), *([lookup] if self._table.get(*lookup) else [])]
        update = {
            "UpdateExpression": "SET #a = :v",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#a": attribute, "#k": self._table.keys[0]},
            "ExpressionAttributeValues": {":v": {"S": value}},
        }
        return self._table.transact(
            [{"Update": {"Key": self._table.key(*key), **update}} for key in keys]
        )

    def touch(self, app_id: str, key_id: str, at: str) -> None:
        self._table.set_if_exists((app_id, key_id), "last_used_at", at)

    def delete_for_app(self, app_id: str) -> None:
        items = self._table.query_all(KeyRange("app_id", app_id))
        lookups = [self._table.key(*_lookup(item["key_hash"]["S"])) for item in items]
        self._table.delete_all([*items, *lookups])


class DynamoPurges:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, app_id: str) -> None:
        self._table.put({**self._table.key(app_id), "pending": {"S": "1"}})

    def remove(self, app_id: str) -> None:
        self._table.delete(app_id)

    def list(self) -> list[str]:
        items = self._table.query_all(KeyRange("pending", "1"), PENDING_PURGES_INDEX)
        return [item["app_id"]["S"] for item in items]


def _lookup(key_hash: str) -> tuple[str, str]:
    return f"hash#{key_hash}", LOOKUP


def _api_key(item: Item) -> ApiKey:
    key = ApiKey.model_validate_json(item[DOC]["S"])
    updates = {name: item[name]["S"] for name in KEY_UPDATES if name in item}
    return key.model_copy(update=updates) if updates else key


def _creation(record: Application | ApiKey) -> tuple[str, str]:
    """Oldest first, whatever the ids look like (the contract does not make them time-ordered)."""
    return record.created_at, record.id
