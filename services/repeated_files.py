"""A file sent again is not read again: within DUPLICATE_WINDOW_HOURS of an upload completing,
the same file with the same options (its content digest) is answered by that upload."""

import time
from collections.abc import Callable

from storage.ports import RecentFiles, Uploads
from storage.records import Upload


class RepeatedFiles:
    def __init__(
        self,
        recent: RecentFiles,
        uploads: Uploads,
        window_hours: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._recent = recent
        self._uploads = uploads
        self._window_seconds = int(window_hours * 3600)
        self._clock = clock

    def original_of(self, upload: Upload) -> Upload | None:
        """The completed upload this one repeats, if any."""
        if self._window_seconds <= 0:
            return None
        found = self._recent.find(upload.app_id, upload.content_digest, int(self._clock()))
        original = self._uploads.get(upload.app_id, found) if found else None
        return original if original is not None and original.status == "completed" else None

    def remember(self, upload: Upload) -> None:
        if self._window_seconds > 0:
            expires_at = int(self._clock()) + self._window_seconds
            self._recent.remember(
                upload.app_id, upload.content_digest, upload.upload_id, expires_at
            )
