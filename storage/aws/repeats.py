"""Requests and files seen before, in DynamoDB: Idempotency-Key records and recent files.

Both tables expire their items with TTL on `expires_at` (epoch seconds); TTL deletes late, so
every read checks the expiry itself.
"""

import zlib

from storage.aws.table import Item, KeyRange, Table
from storage.errors import StorageUnavailable
from storage.records import IdempotencyRecord

EXPIRES_AT = "expires_at"
CLAIMED_UNTIL = "claimed_until"
ANSWERED = "answered"  # present once the first request's answer is kept
# A claim meets an item that is gone or no longer live by the time it is read: claim again.
CLAIM_ATTEMPTS = 3
# The condition under which a claim may replace the item holding its key: none is live.
REPLACEABLE = "attribute_not_exists(#e) OR #e <= :now OR (attribute_not_exists(#a) AND #c <= :now)"


class DynamoIdempotencyKeys:
    def __init__(self, table: Table) -> None:
        self._table = table

    def claim(self, record: IdempotencyRecord, now: int) -> IdempotencyRecord | None:
        for _ in range(CLAIM_ATTEMPTS):
            if self._table.put_if(
                self._item(record),
                REPLACEABLE,
                {"#e": EXPIRES_AT, "#a": ANSWERED, "#c": CLAIMED_UNTIL},
                {":now": {"N": str(now)}},
            ):
                return None
            held = _load(self._table.get(record.app_id, record.key))
            if held is not None and held.live(now):
                return held
        raise StorageUnavailable("an Idempotency-Key record kept changing while it was claimed")

    def answer(self, record: IdempotencyRecord) -> None:
        self._table.put(self._item(record))

    def release(self, app_id: str, key: str) -> None:
        self._table.delete(app_id, key)

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange(self._table.keys[0], app_id))

    def _item(self, record: IdempotencyRecord) -> Item:
        # Compressed: a recorded answer lists every file's report, and an item holds 400 KB.
        item: Item = {
            **self._table.key(record.app_id, record.key),
            EXPIRES_AT: {"N": str(record.expires_at)},
            CLAIMED_UNTIL: {"N": str(record.claimed_until)},
            "doc": {"B": zlib.compress(record.model_dump_json().encode())},
        }
        if record.answer is not None:
            item[ANSWERED] = {"S": "1"}
        return item


def _load(item: Item | None) -> IdempotencyRecord | None:
    if item is None:
        return None
    return IdempotencyRecord.model_validate_json(zlib.decompress(item["doc"]["B"]))


class DynamoRecentFiles:
    def __init__(self, table: Table) -> None:
        self._table = table

    def remember(self, app_id: str, digest: str, upload_id: str, expires_at: int) -> None:
        self._table.put(
            {
                **self._table.key(app_id, digest),
                "upload_id": {"S": upload_id},
                EXPIRES_AT: {"N": str(expires_at)},
            }
        )

    def find(self, app_id: str, digest: str, now: int) -> str | None:
        item = self._table.get(app_id, digest)
        if item is None or int(item[EXPIRES_AT]["N"]) <= now:
            return None
        upload_id: str = item["upload_id"]["S"]
        return upload_id

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange(self._table.keys[0], app_id))
