"""One DynamoDB table through the low-level client: items, conditional writes, pages, batches.

Records are kept whole as a `doc` attribute (their JSON, so floats round-trip exactly) beside
the string attributes that keys and indexes need, as the local backend does in SQLite.
"""

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from itertools import count
from typing import Any, TypeVar, cast

from botocore.exceptions import ClientError
from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_result, stop_after_attempt
from tenacity import wait_random_exponential as full_jitter

from storage.aws.errors import CONDITION_FAILED, GuardedClient, error_code
from storage.aws.schema import TableDefinition
from storage.cursors import encode_cursor
from storage.errors import InvalidCursor, StorageUnavailable

Item = dict[str, Any]
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

DOC = "doc"
BATCH_SIZE = 25  # the most BatchWriteItem accepts
GET_BATCH_SIZE = 100  # the most BatchGetItem accepts
BATCH_ATTEMPTS = 8
# Writers racing on one item each re-read and merge again; this many tries in all.
RACE_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 0.05
BACKOFF_CAP_SECONDS = 5.0
# A lazily paged query asks for this many items first, then twice as many a page, up to the
# most: a caller that stops early reads little, one that reads on needs few requests.
FIRST_PAGE_LIMIT = 2
MOST_PAGE_LIMIT = 1000
# What a conditional write reports as False rather than raising.
CONDITION_ONLY = frozenset({CONDITION_FAILED})
# ... and for a versioned write, which lost a race: or a transaction held the item.
LOST_RACE = frozenset({CONDITION_FAILED, "TransactionConflictException"})
LOST_RACE_REASONS = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def strings(**values: str) -> Item:
    return {name: {"S": value} for name, value in values.items()}


def number(value: int) -> Item:
    return {"N": str(value)}


def retried(attempt: Callable[[int], T | None], what: str) -> T:
    """`attempt(n)` (n = 0, 1, ...) until it returns something other than None, with jittered
    backoff between tries; StorageUnavailable, naming `what`, after RACE_ATTEMPTS."""
    numbers = count()

    def give_up(state: RetryCallState) -> None:
        raise StorageUnavailable(f"{what} kept changing through {state.attempt_number} attempts")

    result = Retrying(
        retry=retry_if_result(lambda found: found is None),
        stop=stop_after_attempt(RACE_ATTEMPTS),
        wait=full_jitter(multiplier=BACKOFF_BASE_SECONDS, max=BACKOFF_CAP_SECONDS),
        retry_error_callback=give_up,
    )(lambda: attempt(next(numbers)))
    return cast(T, result)


def load(model: type[M], item: Item | None) -> M | None:
    return model.model_validate_json(item[DOC]["S"]) if item else None


def load_all(model: type[M], items: Sequence[Item]) -> list[M]:
    return [model.model_validate_json(item[DOC]["S"]) for item in items]


@dataclass(frozen=True)
class KeyRange:
    """The items under one partition key value, within inclusive sort-key bounds when given."""

    partition: str
    value: str
    sort: str | None = None
    lower: str | None = None
    upper: str | None = None

    def expression(self) -> Item:
        conditions = ["#p = :p"]
        if self.lower is not None and self.upper is not None:
            conditions.append("#s BETWEEN :lo AND :hi")
        elif self.lower is not None:
            conditions.append("#s >= :lo")
        elif self.upper is not None:
            conditions.append("#s <= :hi")
        names = {"#p": self.partition}
        if len(conditions) > 1 and self.sort:
            names["#s"] = self.sort
        values = {":p": self.value, ":lo": self.lower, ":hi": self.upper}
        return {
            "KeyConditionExpression": " AND ".join(conditions),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                name: {"S": value} for name, value in values.items() if value is not None
            },
        }


class Table:
    def __init__(self, client: GuardedClient, definition: TableDefinition) -> None:
        self._client = client
        self.name = definition.name
        self.keys = definition.keys

    def key(self, *values: str) -> Item:
        return {name: {"S": value} for name, value in zip(self.keys, values, strict=True)}

    def document(self, record: BaseModel, *key: str, **attributes: str) -> Item:
        """The item keeping `record`, under `key`, with the string attributes its indexes use."""
        return {**self.key(*key), **strings(**attributes), DOC: {"S": record.model_dump_json()}}

    def get(self, *key: str) -> Item | None:
        response = self._client.get_item(
            TableName=self.name, Key=self.key(*key), ConsistentRead=True
        )
        item: Item | None = response.get("Item")
        return item

    def put(self, item: Item) -> None:
        self._client.put_item(TableName=self.name, Item=item)

    def put_new(self, item: Item) -> bool:
        """Write the item unless one with its key exists; False when it did."""
        return self._conditionally(
            self._client.put_item,
            TableName=self.name,
            Item=item,
            ConditionExpression="attribute_not_exists(#p)",
            ExpressionAttributeNames={"#p": self.keys[0]},
        )

    def put_if(self, item: Item, condition: str, names: Item, values: Item) -> bool:
        """Write the item when `condition` holds for the one it replaces; False when not."""
        return self._conditionally(
            self._client.put_item,
            TableName=self.name,
            Item=item,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def put_at_version(self, item: Item, version: int, attribute: str = "v") -> bool:
        """Write the item while the stored one still has `version` in `attribute` (0: while none
        is stored); False, and no write, when another writer got there first."""
        return self._conditionally(
            self._client.put_item,
            lost=LOST_RACE,
            TableName=self.name,
            Item=item,
            **self._at_version(version, attribute),
        )

    def transact(self, actions: Sequence[Item]) -> bool:
        """Every action (`{"Put": {...}}`, `{"Update": {...}}` on this table) in one
        TransactWriteItems: all or none; False when a condition kept them all."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {kind: {"TableName": self.name, **action[kind]} for kind in action}
                    for action in actions
                ]
            )
        except ClientError as error:
            reasons = {
                reason.get("Code") for reason in error.response.get("CancellationReasons", [])
            }
            if error_code(error) == "TransactionCanceledException" and reasons & LOST_RACE_REASONS:
                return False
            raise
        return True

    def put_all_at_versions(self, writes: Sequence[tuple[Item, int]], attribute: str = "v") -> bool:
        """`put_at_version` of every (item, version) in one TransactWriteItems: all or none."""
        puts = [
            {"Put": {"TableName": self.name, "Item": item, **self._at_version(version, attribute)}}
            for item, version in writes
        ]
        try:
            self._client.transact_write_items(TransactItems=puts)
        except ClientError as error:
            reasons = {
                reason.get("Code") for reason in error.response.get("CancellationReasons", [])
            }
            if error_code(error) == "TransactionCanceledException" and reasons & LOST_RACE_REASONS:
                return False
            raise
        return True

    def delete_if(self, key: Sequence[str], condition: str, names: Item, values: Item) -> bool:
        """Delete the item when `condition` holds for it; False when not."""
        return self._conditionally(
            self._client.delete_item,
            TableName=self.name,
            Key=self.key(*key),
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def set_if_exists(self, key: Sequence[str], attribute: str, value: str) -> bool:
        """Set one string attribute of an existing item; False (and no write) when it is missing."""
        return self._conditionally(
            self._client.update_item,
            TableName=self.name,
            Key=self.key(*key),
            UpdateExpression="SET #a = :v",
            ConditionExpression="attribute_exists(#p)",
            ExpressionAttributeNames={"#a": attribute, "#p": self.keys[0]},
            ExpressionAttributeValues={":v": {"S": value}},
        )

    def set_when(self, key: Sequence[str], attribute: str, value: str, condition: str) -> bool:
        """Set one string attribute when it is missing or `condition` (over `#a` and `:v`)
        holds, creating the item if need be; False when the condition kept the value."""
        return self._conditionally(
            self._client.update_item,
            TableName=self.name,
            Key=self.key(*key),
            UpdateExpression="SET #a = :v",
            ConditionExpression=f"attribute_not_exists(#a) OR {condition}",
            ExpressionAttributeNames={"#a": attribute},
            ExpressionAttributeValues={":v": {"S": value}},
        )

    def update_if(
        self,
        key: Sequence[str],
        update: str,
        condition: str,
        names: dict[str, str],
        values: Item,
        returned: str = "UPDATED_NEW",
    ) -> Item | None:
        """Apply `update` when `condition` holds; the attributes it returns, None when the
        condition kept the item as it was."""
        try:
            response = self._client.update_item(
                TableName=self.name,
                Key=self.key(*key),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues=returned,
            )
        except ClientError as error:
            if error_code(error) in CONDITION_ONLY:
                return None
            raise
        attributes: Item = response.get("Attributes", {})
        return attributes

    def delete(self, *key: str) -> None:
        self._client.delete_item(TableName=self.name, Key=self.key(*key))

    def get_many(self, keys: Sequence[Item], pool: Executor | None = None) -> list[Item]:
        """The items of `keys` that exist (in no particular order), read consistently with
        BatchGetItem in chunks, concurrently on `pool` when given."""
        chunks = [keys[at : at + GET_BATCH_SIZE] for at in range(0, len(keys), GET_BATCH_SIZE)]
        if pool is None or len(chunks) <= 1:
            found = [self._get_batch(chunk) for chunk in chunks]
        else:
            found = list(pool.map(self._get_batch, chunks))
        return [item for items in found for item in items]

    def delete_all(self, items: Sequence[Item], pool: Executor | None = None) -> None:
        keys = [{name: item[name] for name in self.keys} for item in items]
        self.write_all([{"DeleteRequest": {"Key": key}} for key in keys], pool)

    def delete_matching(
        self, where: KeyRange, index: str | None = None, pool: Executor | None = None
    ) -> None:
        """Delete every item in `where`, one page of keys at a time (an index holds the
        table's keys too)."""
        for items in self.pages(where, index, self.keys):
            self.delete_all(items, pool)

    def first(self, where: KeyRange, index: str | None = None) -> Item | None:
        items = self._query(where, index, Limit=1)["Items"]
        return items[0] if items else None

    def query_all(self, where: KeyRange, index: str | None = None) -> list[Item]:
        return [item for items in self.pages(where, index) for item in items]

    def pages(
        self, where: KeyRange, index: str | None = None, attributes: Sequence[str] = ()
    ) -> Iterator[list[Item]]:
        """Every item in `where`, a page (up to 1 MB) at a time; only `attributes` when named."""
        projection = _projection(where, attributes)
        start: Item | None = None
        while True:
            response = self._query(where, index, ExclusiveStartKey=start, **projection)
            yield response["Items"]
            start = response.get("LastEvaluatedKey")
            if start is None:
                return

    def stream(
        self, where: KeyRange, index: str | None = None, attributes: Sequence[str] = ()
    ) -> Iterator[Item]:
        """Every item in `where`, in order, fetched lazily in pages whose Limit grows from
        FIRST_PAGE_LIMIT: a reader that stops after a few items has read a few."""
        limit = FIRST_PAGE_LIMIT
        start: Item | None = None
        while True:
            response = self._query(
                where, index, Limit=limit, ExclusiveStartKey=start, **_projection(where, attributes)
            )
            yield from response["Items"]
            start = response.get("LastEvaluatedKey")
            if start is None:
                return
            limit = min(2 * limit, MOST_PAGE_LIMIT)

    def query_page(
        self,
        where: KeyRange,
        limit: int,
        after: Item | None,
        position: Callable[[Item], list[str]],
        *,
        index: str | None = None,
        forward: bool = True,
    ) -> tuple[list[Item], str | None]:
        """Up to `limit` items after the key `after`, and a cursor when more follow.

        One item more than asked for says whether another page exists; DynamoDB may still
        return less than its Limit (1 MB pages), hence the loop. The cursor holds
        `position(last item)`, from which the caller rebuilds `after`.
        """
        items: list[Item] = []
        start = after
        while len(items) <= limit:
            response = self._query(
                where, index, forward=forward, Limit=limit + 1 - len(items), ExclusiveStartKey=start
            )
            items.extend(response["Items"])
            start = response.get("LastEvaluatedKey")
            if start is None:
                break
        if len(items) <= limit:
            return items, None
        return items[:limit], encode_cursor(position(items[limit - 1]))

    def write_all(self, requests: Sequence[Item], pool: Executor | None = None) -> None:
        """BatchWriteItem in chunks, concurrently on `pool` when given; keys must be unique."""
        chunks = [requests[at : at + BATCH_SIZE] for at in range(0, len(requests), BATCH_SIZE)]
        if pool is None or len(chunks) == 1:
            for chunk in chunks:
                self._write_batch(chunk)
        else:
            list(pool.map(self._write_batch, chunks))  # re-raises the first failure

    def _write_batch(self, requests: Sequence[Item]) -> None:
        """One BatchWriteItem, then again for its UnprocessedItems, with backoff and jitter."""
        pending = list(requests)

        def write_pending() -> bool:
            nonlocal pending
            response = self._client.batch_write_item(RequestItems={self.name: pending})
            pending = list(response.get("UnprocessedItems", {}).get(self.name, []))
            return bool(pending)

        _until_done(write_pending, lambda: f"{len(pending)} writes to {self.name} unprocessed")

    def _get_batch(self, keys: Sequence[Item]) -> list[Item]:
        """One BatchGetItem, then again for its UnprocessedKeys, with backoff and jitter."""
        pending: Item = {"Keys": list(keys), "ConsistentRead": True}
        found: list[Item] = []

        def get_pending() -> bool:
            nonlocal pending
            response = self._client.batch_get_item(RequestItems={self.name: pending})
            found.extend(response["Responses"].get(self.name, []))
            pending = response.get("UnprocessedKeys", {}).get(self.name) or {"Keys": []}
            return bool(pending["Keys"])

        _until_done(get_pending, lambda: f"{len(pending['Keys'])} keys of {self.name} unread")
        return found

    def _at_version(self, version: int, attribute: str) -> Item:
        if version == 0:
            return {
                "ConditionExpression": "attribute_not_exists(#p)",
                "ExpressionAttributeNames": {"#p": self.keys[0]},
            }
        return {
            "ConditionExpression": "#v = :v",
            "ExpressionAttributeNames": {"#v": attribute},
            "ExpressionAttributeValues": {":v": number(version)},
        }

    def _query(
        self, where: KeyRange, index: str | None, forward: bool = True, **options: Any
    ) -> Item:
        request: Item = {"TableName": self.name, "ScanIndexForward": forward, **where.expression()}
        if index:
            request["IndexName"] = index
        request.update({name: value for name, value in options.items() if value is not None})
        try:
            response: Item = self._client.query(**request)
        except ClientError as error:
            # A start key that does not fit the key condition came from a forged or stale cursor.
            if "ExclusiveStartKey" in request and error_code(error) == "ValidationException":
                raise InvalidCursor("the cursor does not fit this query") from error
            raise
        return response

    def _conditionally(
        self, call: Callable[..., Any], lost: frozenset[str] = CONDITION_ONLY, **request: Any
    ) -> bool:
        try:
            call(**request)
        except ClientError as error:
            if error_code(error) in lost:
                return False
            raise
        return True


def _projection(where: KeyRange, attributes: Sequence[str]) -> Item:
    """Only `attributes` of each item (every one when none is named), each by a placeholder:
    names such as `timestamp` are reserved words."""
    names = {f"#a{n}": name for n, name in enumerate(attributes)}
    if not names:
        return {}
    return {
        "ProjectionExpression": ", ".join(names),
        "ExpressionAttributeNames": {**where.expression()["ExpressionAttributeNames"], **names},
    }


def _until_done(step: Callable[[], bool], left: Callable[[], str]) -> None:
    """`step()` until it returns False (nothing left), with backoff and jitter between tries;
    StorageUnavailable saying what was `left` after BATCH_ATTEMPTS."""

    def give_up(state: RetryCallState) -> None:
        raise StorageUnavailable(f"DynamoDB left {left()} after {state.attempt_number} attempts")

    Retrying(
        retry=retry_if_result(bool),
        stop=stop_after_attempt(BATCH_ATTEMPTS),
        wait=full_jitter(multiplier=BACKOFF_BASE_SECONDS, max=BACKOFF_CAP_SECONDS),
        retry_error_callback=give_up,
    )(step)
