"""Readings written and read back through the ports alone, as uploads and the API do."""

from collections.abc import Sequence
from dataclasses import replace

from storage.ports import Storage
from storage.records import Reading, ReadingCounts, ReadingQuery, ReadingRow


def write(
    storage: Storage, app_id: str, rows: Sequence[ReadingRow], version: int = 1
) -> ReadingCounts:
    """One writer of `version` given every row at once, then finished: what an upload does."""
    writer = storage.readings.writer(app_id, version)
    writer.add(rows)
    return writer.finish()


def read_all(storage: Storage, query: ReadingQuery) -> list[Reading]:
    """Every page of the query, following the cursors."""
    page = storage.readings.query(query)
    found = list(page.items)
    while page.next_cursor:
        page = storage.readings.query(replace(query, cursor=page.next_cursor))
        found.extend(page.items)
    return found
