"""Requests of limited keys, counted in SQLite: a row per key with a window and a count per
limit, and one upsert per request that counts every limit or none. SQLite's write lock makes
it exact across the processes on one file."""

from collections.abc import Sequence
from functools import cache

from storage.local.database import Database
from storage.records import Admission, Window

NAMES = ("rate", "quota")  # the limits a row has columns for
STORED = "SELECT rate_w, rate_n, quota_w, quota_n FROM key_counts WHERE app_id = ? AND key_id = ?"


class SqliteRequestCounters:
    def __init__(self, database: Database) -> None:
        self._db = database

    def admit(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission:
        admission = self._admit(app_id, key_id, windows, wait=True)
        assert admission is not None  # a waiting write always answers
        return admission

    def admit_now(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission | None:
        return self._admit(app_id, key_id, windows, wait=False)

    def _admit(
        self, app_id: str, key_id: str, windows: Sequence[Window], wait: bool
    ) -> Admission | None:
        sql = _admitting(tuple(window.name for window in windows))
        parameters = [
            app_id,
            key_id,
            *(window.window for window in windows),
            *(window.limit for window in windows),
        ]
        counted = self._db.write_unsynced(sql, parameters, wait)
        if counted is None:
            return None
        if counted:
            return Admission(True, tuple(counted[0]))
        return Admission(False, self.counts(app_id, key_id, windows))

    def counts(self, app_id: str, key_id: str, windows: Sequence[Window]) -> tuple[int, ...]:
        with self._db.reading() as connection:
            row = connection.execute(STORED, (app_id, key_id)).fetchone()
        stored = dict(zip(NAMES, zip(row[::2], row[1::2], strict=True), strict=True)) if row else {}
        return tuple(_count(stored, window) for window in windows)

    def delete_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM key_counts WHERE app_id = ?", [app_id])


@cache
def _admitting(names: tuple[str, ...]) -> str:
    """The upsert that adds 1 to each named limit's count (1 in a new window), only when each
    is below its limit or in a new window; it returns the counts, or no row when refused."""
    if not set(names) <= set(NAMES) or len(set(names)) != len(names):
        raise ValueError(f"limits {names} are not among {NAMES}")
    columns = ", ".join(f"{name}_w, {name}_n" for name in names)
    values = ", ".join("?, 1" for _ in names)
    counted = ", ".join(
        f"{n}_n = CASE WHEN {n}_w IS excluded.{n}_w THEN {n}_n + 1 ELSE 1 END,"
        f" {n}_w = excluded.{n}_w"
        for n in names
    )
    below = " AND ".join(f"({n}_w IS NOT excluded.{n}_w OR {n}_n < ?)" for n in names)
    return (
        f"INSERT INTO key_counts (app_id, key_id, {columns}) VALUES (?, ?, {values})"  # noqa: S608
        f" ON CONFLICT (app_id, key_id) DO UPDATE SET {counted} WHERE {below}"
        f" RETURNING {', '.join(f'{n}_n' for n in names)}"
    )


def _count(stored: dict[str, tuple[str | None, int | None]], window: Window) -> int:
    """The window's count so far: what is stored for it, 0 when the stored one is older."""
    seen, count = stored.get(window.name, (None, None))
    return count or 0 if seen == window.window else 0
