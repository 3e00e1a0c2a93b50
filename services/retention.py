"""RETENTION_DAYS: uploads' raw files and records older than that are deleted; readings stay.

On the aws backend DynamoDB's TTL and the bucket's lifecycle rule do it (see storage/aws);
this sweep does it on the local backend, at startup and then periodically. Only finished
uploads are swept: an upload still waiting to be read keeps its file whatever its age.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from services.clock import to_text, utc_now
from storage.ports import Objects, Uploads
from storage.records import Upload

BATCH = 500
logger = logging.getLogger(__name__)


class RetentionSweep:
    def __init__(
        self,
        uploads: Uploads,
        objects: Objects,
        retention_days: int,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._uploads = uploads
        self._objects = objects
        self._retention = timedelta(days=retention_days)
        self._clock = clock

    def sweep(self) -> int:
        """Delete every finished upload created before the retention began, with its folder
        of objects (the raw file and the errors file); how many were deleted."""
        before = to_text(self._clock() - self._retention)
        deleted = 0
        while batch := self._uploads.finished_before(before, BATCH):
            for upload in batch:
                self._delete(upload)
            deleted += len(batch)
        if deleted:
            logger.info("retention: deleted old uploads", extra={"uploads": deleted})
        return deleted

    def _delete(self, upload: Upload) -> None:
        # A repeat names its original's files, not its own: the original is older and is
        # swept with them.
        if upload.duplicate_of is None:
            self._objects.delete_prefix(f"uploads/{upload.app_id}/{upload.upload_id}/")
            if upload.errors_key is not None:  # beside the folder, not in it
                self._objects.delete(upload.errors_key)
        self._uploads.delete(upload.app_id, upload.upload_id)
