"""Requests and files seen before, in DynamoDB: Idempotency-Key records and recent files.

Both tables expire their items with TTL on `expires_at` (epoch seconds); TTL deletes late, so
every read checks the expiry itself.
"""

import zlib

from storage.aws.table import Item, KeyRange, Table
from storage.errors import StorageUnavailable
from storage.records import IdempotencyRecord, RecentFile

EXPIRES_AT = "expires_at"
UPLOAD_ID = "upload_id"
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

    def claim(
        self, app_id: str, digest: str, held: RecentFile, now: int, replacing: str | None = None
    ) -> RecentFile | None:
        # Free, expired, or held by the upload this claim replaces.
        condition = "attribute_not_exists(#k) OR #e <= :now"
        names = {"#k": self._table.keys[0], "#e": EXPIRES_AT}
        values: Item = {":now": {"N": str(now)}}
        if replacing is not None:
            condition += " OR #u = :r"
            names["#u"] = UPLOAD_ID
            values[":r"] = {"S": replacing}
        for _ in range(CLAIM_ATTEMPTS):
            if self._table.put_if(self._item(app_id, digest, held), condition, names, values):
                return None
            holder = _recent_file(self._table.get(app_id, digest))
            if holder is not None and holder.expires_at > now and holder.upload_id != replacing:
                return holder
        raise StorageUnavailable("a recent file's record kept changing while it was claimed")

    def remember(self, app_id: str, digest: str, held: RecentFile) -> None:
        self._table.put_if(self._item(app_id, digest, held), *_held_by(held.upload_id))

    def release(self, app_id: str, digest: str, upload_id: str) -> None:
        self._table.delete_if((app_id, digest), *_held_by(upload_id))

    def delete_app(self, app_id: str) -> None:
        self._table.delete_matching(KeyRange(self._table.keys[0], app_id))

    def _item(self, app_id: str, digest: str, held: RecentFile) -> Item:
        # Compressed: the spans of a file of 1,000 meters, and an item holds 400 KB.
        return {
            **self._table.key(app_id, digest),
            UPLOAD_ID: {"S": held.upload_id},
            EXPIRES_AT: {"N": str(held.expires_at)},
            "doc": {"B": zlib.compress(held.model_dump_json().encode())},
        }


def _held_by(upload_id: str) -> tuple[str, Item, Item]:
    """The condition, names and values of a write only while `upload_id` holds the record."""
    return "#u = :u", {"#u": UPLOAD_ID}, {":u": {"S": upload_id}}


def _recent_file(item: Item | None) -> RecentFile | None:
    if item is None:
        return None
    return RecentFile.model_validate_json(zlib.decompress(item["doc"]["B"]))
