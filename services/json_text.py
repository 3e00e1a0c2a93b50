"""JSON text a client sends in a field or a body, read without letting its nesting reach the
interpreter's recursion limit."""

import json
from typing import Any

MAX_DEPTH = 64


class NotJson(ValueError):
    """The text is not JSON this service reads; str(exc) is the sentence."""


def parsed(text: str | bytes, what: str = "The JSON") -> Any:
    """The JSON value of `text`; NotJson with a sentence when it is not JSON or nests deeper
    than MAX_DEPTH (no field this service takes nests deeper than a few levels)."""
    if _depth(text) > MAX_DEPTH:
        raise NotJson(f"{what} nests deeper than {MAX_DEPTH} levels; no field here needs that.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise NotJson(f"{what} is not valid JSON.") from None


def _depth(text: str | bytes) -> int:
    """The deepest nesting of brackets outside strings, counted without recursion."""
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if data.count("[") + data.count("{") <= MAX_DEPTH:
        return 0  # too few brackets to nest deeply: the common case, without a scan
    depth = deepest = 0
    in_string = escaped = False
    for char in data:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest
