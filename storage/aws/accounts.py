"""Operators (keyed by email, so a conditional put keeps emails unique) and revoked tokens."""

import time

from storage.aws.table import Table, load
from storage.errors import AlreadyExists
from storage.records import User

EXPIRES_AT = "expires_at"


class DynamoUsers:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, user: User) -> None:
        if not self._table.put_new(self._table.document(user, user.email)):
            raise AlreadyExists(user.email)

    def find_by_email(self, email: str) -> User | None:
        return load(User, self._table.get(email))

    def replace(self, user: User) -> None:
        self._table.put(self._table.document(user, user.email))


class DynamoRevokedTokens:
    def __init__(self, table: Table) -> None:
        self._table = table

    def add(self, token_id: str, expires_at: int) -> None:
        self._table.put({**self._table.key(token_id), EXPIRES_AT: {"N": str(expires_at)}})

    def contains(self, token_id: str) -> bool:
        # TTL deletes expired items only eventually (and not at all on DynamoDB Local).
        item = self._table.get(token_id)
        return item is not None and int(item[EXPIRES_AT]["N"]) >= int(time.time())
