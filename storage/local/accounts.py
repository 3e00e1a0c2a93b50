"""Operators and revoked tokens in SQLite."""

import sqlite3
import time

from storage.errors import AlreadyExists
from storage.local.database import Database
from storage.records import User


class SqliteUsers:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, user: User) -> None:
        try:
            self._db.run(
                "INSERT INTO users (user_id, email, doc) VALUES (?, ?, ?)",
                (user.user_id, user.email, user.model_dump_json()),
            )
        except sqlite3.IntegrityError as error:
            raise AlreadyExists(user.email) from error

    def find_by_email(self, email: str) -> User | None:
        return self._db.document(User, "SELECT doc FROM users WHERE email = ?", [email])

    def replace(self, user: User) -> None:
        self._db.run(
            "UPDATE users SET doc = ? WHERE user_id = ?", (user.model_dump_json(), user.user_id)
        )


class SqliteRevokedTokens:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, token_id: str, expires_at: int) -> None:
        with self._db.writing() as connection:
            connection.execute("DELETE FROM revoked_tokens WHERE expires_at < ?", (time.time(),))
            connection.execute(
                "INSERT OR REPLACE INTO revoked_tokens (token_id, expires_at) VALUES (?, ?)",
                (token_id, expires_at),
            )

    def contains(self, token_id: str) -> bool:
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT 1 FROM revoked_tokens WHERE token_id = ? AND expires_at >= ?",
                (token_id, int(time.time())),
            ).fetchone()
        return row is not None
