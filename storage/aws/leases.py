"""Leases in DynamoDB: one item per piece of work, taken with a conditional write."""

from storage.aws.table import Item, Table, number
from storage.errors import StorageUnavailable
from storage.records import Lease

NAME = "name"  # the table's partition key
OWNER = "owner"
EXPIRES_AT = "expires_at"
# A claim that meets a holder reads it to say who; a holder that changes meanwhile is met again.
CLAIM_ATTEMPTS = 5


class DynamoLeases:
    def __init__(self, table: Table) -> None:
        self._table = table

    def claim(self, lease: Lease, now: int, replacing: str | None = None) -> Lease | None:
        # Free, expired, ours already, or held by the owner this claim replaces.
        condition = "attribute_not_exists(#k) OR #e <= :now OR #o = :me"
        names = {"#k": self._table.keys[0], "#e": EXPIRES_AT, "#o": OWNER}
        values: Item = {":now": number(now), ":me": {"S": lease.owner}}
        if replacing is not None:
            condition += " OR #o = :r"
            values[":r"] = {"S": replacing}
        item = {
            **self._table.key(lease.name),
            OWNER: {"S": lease.owner},
            EXPIRES_AT: number(lease.expires_at),
        }
        for _ in range(CLAIM_ATTEMPTS):
            if self._table.put_if(item, condition, names, values):
                return None
            holder = _lease(self._table.get(lease.name))
            if holder is not None and holder.expires_at > now:
                return holder
        raise StorageUnavailable("a lease kept changing hands while it was claimed")

    def release(self, name: str, owner: str) -> None:
        self._table.delete_if((name,), "#o = :o", {"#o": OWNER}, {":o": {"S": owner}})


def _lease(item: Item | None) -> Lease | None:
    if item is None:
        return None
    return Lease(item[NAME]["S"], item[OWNER]["S"], int(item[EXPIRES_AT]["N"]))
