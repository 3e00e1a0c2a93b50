"""A file sent again is not read again: within DUPLICATE_WINDOW_HOURS, the same file with the
same options (its content digest) is answered by the upload that holds it, as long as nothing
has changed that upload's readings since.

The first upload of a file claims it with one conditional write, so of many sends at once only
one is read. A later send waits a little for a small holder still being read; one whose holder
failed, or whose readings a later upload changed, claims the file in its place and is read.
"""

import time
from collections.abc import Callable

from services.clock import creation_order
from storage.errors import StorageUnavailable
from storage.ports import Readings, RecentFiles, Uploads
from storage.records import MeterSpan, RecentFile, Upload

# A send meets a holder that changes under it (finishes, fails, is replaced): look again.
CLAIM_ROUNDS = 8
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.1


class RepeatedFiles:
    def __init__(
        self,
        recent: RecentFiles,
        uploads: Uploads,
        readings: Readings,
        window_hours: float,
        inline_bytes: int,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._recent = recent
        self._uploads = uploads
        self._readings = readings
        self._window_seconds = int(window_hours * 3600)
        self._inline_bytes = inline_bytes
        self._clock = clock
        self._sleep = sleep

    def claim(self, upload: Upload) -> Upload | None:
        """None when `upload` now holds its file and is to be read; else the upload it
        repeats: completed with its readings unchanged, or still being read."""
        if self._window_seconds <= 0:
            return None
        replacing: str | None = None
        for _ in range(CLAIM_ROUNDS):
            now = int(self._clock())
            held = RecentFile(upload_id=upload.upload_id, expires_at=now + self._window_seconds)
            holder = self._recent.claim(upload.app_id, upload.content_digest, held, now, replacing)
            if holder is None:
                return None
            original = self._uploads.get(upload.app_id, holder.upload_id)
            if original is None or not original.finished:
                original = self._finished(upload.app_id, holder.upload_id, original)
                if original is not None and not original.finished:
                    return original
                if original is not None:
                    continue  # finished now: its record says which readings it wrote
            if (
                original is None
                or original.status != "completed"
                or self._changed(upload.app_id, holder)
            ):
                replacing = holder.upload_id
                continue
            return original
        raise StorageUnavailable("the record of a repeated file kept changing while it was read")

    def remember(self, upload: Upload, spans: list[MeterSpan] | None) -> None:
        """Say which readings the holder of its file wrote, before its report says completed."""
        if self._window_seconds > 0:
            held = RecentFile(
                upload_id=upload.upload_id,
                expires_at=int(self._clock()) + self._window_seconds,
                spans=spans,
            )
            self._recent.remember(upload.app_id, upload.content_digest, held)

    def release(self, upload: Upload) -> None:
        """Give up the file of an upload that could not be kept, for its next send."""
        if self._window_seconds > 0:
            self._recent.release(upload.app_id, upload.content_digest, upload.upload_id)

    def _finished(self, app_id: str, upload_id: str, original: Upload | None) -> Upload | None:
        """The holder once it is finished, waiting a little for one still being stored (no
        record yet) or for a small one read right away; None when it never was stored."""
        deadline = self._clock() + WAIT_SECONDS
        while original is None or not original.finished:
            if original is not None and original.size_bytes > self._inline_bytes:
                return original  # read in the background: answered as its repeat now
            if self._clock() >= deadline:
                return original
            self._sleep(POLL_SECONDS)
            original = self._uploads.get(app_id, upload_id)
        return original

    def _changed(self, app_id: str, holder: RecentFile) -> bool:
        """Whether a later upload changed any reading the holder wrote; a file of too many
        meters to keep their spans is read again."""
        if holder.spans is None:
            return True
        order = creation_order(holder.upload_id)
        return self._readings.changed_since(app_id, holder.spans, order)
