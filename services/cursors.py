"""Pagination cursors sealed with a MAC: a client can hand back only a cursor it was given.

Storage makes the cursors (the key a page ended on); services seal them to the list and the
application they belong to, so a forged, altered or borrowed cursor is refused before any
store sees it.
"""

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import TypeVar

from services.errors import InvalidCursor
from storage.records import Page

T = TypeVar("T")

MAX_CURSOR_LENGTH = 2048
TAG_BYTES = 16


class CursorSeal:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"wattkey cursors\n" + secret.encode()).digest()

    def seal(self, scope: str, cursor: str | None) -> str | None:
        """`cursor` with a tag binding it to `scope` (a list of one application)."""
        if cursor is None:
            return None
        return f"{cursor}.{self._tag(scope, cursor)}"

    def open(self, scope: str, sealed: str | None) -> str | None:
        """The storage cursor in `sealed`; InvalidCursor unless this seal made it for `scope`."""
        if not sealed:
            return None
        cursor, _, tag = sealed.rpartition(".")
        if len(sealed) > MAX_CURSOR_LENGTH or not cursor:
            raise InvalidCursor(sealed[:64])
        if not hmac.compare_digest(tag.encode(), self._tag(scope, cursor).encode()):
            raise InvalidCursor(sealed[:64])
        return cursor

    def page(
        self, scope: str, cursor: str | None, fetch: Callable[[str | None], Page[T]]
    ) -> Page[T]:
        """The page `fetch` returns for the opened cursor, its next cursor sealed again."""
        page = fetch(self.open(scope, cursor))
        return page.model_copy(update={"next_cursor": self.seal(scope, page.next_cursor)})

    def _tag(self, scope: str, cursor: str) -> str:
        digest = hmac.digest(self._key, f"{scope}\n{cursor}".encode(), "sha256")[:TAG_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
