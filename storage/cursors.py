"""Opaque pagination cursors: the key a page ended on, as url-safe base64 JSON."""

import base64
import binascii
import json

from storage.errors import InvalidCursor


def encode_cursor(position: list[str]) -> str:
    text = json.dumps(position, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[str]:
    """The `size` key values in the cursor; InvalidCursor for anything this module did not make."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidCursor(cursor) from error
    valid = isinstance(position, list) and len(position) == size
    if not valid or not all(isinstance(value, str) for value in position):
        raise InvalidCursor(cursor)
    values: list[str] = position
    return values
