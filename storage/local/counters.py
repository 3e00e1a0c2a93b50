"""Requests of limited keys, counted in SQLite: one transaction reads and writes every window
of a request, and SQLite's write lock makes it exact across processes on one file."""

from collections.abc import Sequence

from storage.local.database import Database
from storage.records import Admission, Window

COUNTS = "SELECT name, window, count FROM request_counts WHERE app_id = ? AND key_id = ?"
COUNT = "INSERT OR REPLACE INTO request_counts VALUES (?, ?, ?, ?, ?)"


class SqliteRequestCounters:
    def __init__(self, database: Database) -> None:
        self._db = database

    def admit(self, app_id: str, key_id: str, windows: Sequence[Window]) -> Admission:
        # Not fsynced: a crash may forget a moment of counts, never let two requests see one.
        with self._db.writing(durable=False) as connection:
            stored = {
                name: (window, count)
                for name, window, count in connection.execute(COUNTS, (app_id, key_id))
            }
            counts = tuple(_count(stored, window) for window in windows)
            if any(count >= window.limit for count, window in zip(counts, windows, strict=True)):
                return Admission(False, counts)
            connection.executemany(
                COUNT,
                [
                    (app_id, key_id, window.name, window.window, count + 1)
                    for count, window in zip(counts, windows, strict=True)
                ],
            )
        return Admission(True, tuple(count + 1 for count in counts))

    def counts(self, app_id: str, key_id: str, windows: Sequence[Window]) -> tuple[int, ...]:
        with self._db.reading() as connection:
            stored = {
                name: (window, count)
                for name, window, count in connection.execute(COUNTS, (app_id, key_id))
            }
        return tuple(_count(stored, window) for window in windows)

    def delete_app(self, app_id: str) -> None:
        self._db.run("DELETE FROM request_counts WHERE app_id = ?", [app_id])


def _count(stored: dict[str, tuple[str, int]], window: Window) -> int:
    """The window's count so far: what is stored for it, 0 when the stored one is older."""
    seen, count = stored.get(window.name, ("", 0))
    return count if seen == window.window else 0
