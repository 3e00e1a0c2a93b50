"""Requests of limited keys, counted in DynamoDB: one item per key, a window and a count
attribute per limit (`rate_w`, `rate_n`), updated by one conditional UpdateItem that counts
every window of a request or none. The condition names the state it was built on, so two
instances never both take the last request of a window; a lost race is tried again."""

from collections.abc import Sequence

from storage.aws.table import Item, KeyRange, Table
from storage.errors import StorageUnavailable
from storage.records import Admission, Window

ATTEMPTS = 8
EXPIRES_AT = "expires_at"


class DynamoRequestCounters:
    def __init__(self, table: Table) -> None:
        self._table = table

    def admit(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission:
        # First as if every window were the one stored: one call for most requests.
        state: Item | None = None
        for _ in range(ATTEMPTS):
            counted = self._table.update_if((app_id, key_id), *_counting(windows, state))
            if counted is not None:
                return Admission(True, tuple(int(counted[f"{w.name}_n"]["N"]) for w in windows))
            state = self._table.get(app_id, key_id) or {}
            counts = tuple(_count(state, window) for window in windows)
            if any(count >= window.limit for count, window in zip(counts, windows, strict=True)):
                return Admission(False, counts)
        raise StorageUnavailable("the request counters changed under every attempt")

    def admit_now(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission | None:
        return None  # a network call: never on the caller's event loop

    def counts(self, app_id: str, key_id: str, windows: Sequence[Window]) -> tuple[int, ...]:
        state = self._table.get(app_id, key_id) or {}
        return tuple(_count(state, window) for window in windows)

    def delete_app(self, app_id: str) -> None:
        self._table.delete_all(self._table.query_all(KeyRange("app_id", app_id)))


def _counting(
    windows: Sequence[Window], state: Item | None
) -> tuple[str, str, dict[str, str], Item]:
    """The update counting one request in every window, on the condition that each is below
    its limit and still the window `state` holds (None: every window the stored one)."""
    names: dict[str, str] = {"#e": EXPIRES_AT}
    values: Item = {":one": {"N": "1"}, ":e": {"N": str(max(w.ends_at for w in windows))}}
    conditions: list[str] = []
    sets = ["#e = :e"]
    for n, window in enumerate(windows):
        names[f"#w{n}"], names[f"#n{n}"] = f"{window.name}_w", f"{window.name}_n"
        values[f":w{n}"] = {"S": window.window}
        stored = None if state is None else state.get(f"{window.name}_w", {}).get("S")
        if state is None or stored == window.window:
            values[f":l{n}"] = {"N": str(window.limit)}
            conditions.append(f"#w{n} = :w{n} AND #n{n} < :l{n}")
            sets.append(f"#n{n} = #n{n} + :one")
            continue
        if stored is None:
            conditions.append(f"attribute_not_exists(#w{n})")
        else:
            values[f":o{n}"] = {"S": stored}
            conditions.append(f"#w{n} = :o{n}")
        sets.extend((f"#w{n} = :w{n}", f"#n{n} = :one"))
    condition = " AND ".join(f"({condition})" for condition in conditions)
    return "SET " + ", ".join(sets), condition, names, values


def _count(state: Item, window: Window) -> int:
    if state.get(f"{window.name}_w", {}).get("S") != window.window:
        return 0
    return int(state[f"{window.name}_n"]["N"])
