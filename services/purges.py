"""Deleting everything a deleted application had: keys, uploads, alerts, raw files, readings.

The work runs in the background and is recorded first, so that a restart finishes it. Everything
is deleted twice: an ingestion under way elsewhere stops at its next batch or record, and the
second pass takes what it wrote meanwhile.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from services.errors import StorageUnavailable
from storage.ports import Storage

SETTLE_SECONDS = 10.0
logger = logging.getLogger(__name__)


class ApplicationPurge:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._stopping = threading.Event()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="purge")
        self._pending: set[str] = set()  # queued or under way here: a sweep may ask again

    def start(self, app_id: str) -> None:
        self._storage.purges.add(app_id)
        self._submit(app_id)

    def resume(self) -> None:
        """Finish what a previous run started."""
        for app_id in self._storage.purges.list():
            self._submit(app_id)

    def close(self) -> None:
        self._stopping.set()
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _submit(self, app_id: str) -> None:
        if app_id not in self._pending:
            self._pending.add(app_id)
            self._worker.submit(self._purge, app_id)

    def _purge(self, app_id: str) -> None:
        try:
            self._delete_everything(app_id)
            if self._stopping.wait(SETTLE_SECONDS):
                return
            self._delete_everything(app_id)
            self._storage.purges.remove(app_id)
        except StorageUnavailable:
            logger.warning("deleting an application's data stopped; the next start goes on")
            return
        finally:
            self._pending.discard(app_id)
        logger.info("an application's data is deleted", extra={"app_id": app_id})

    def _delete_everything(self, app_id: str) -> None:
        storage = self._storage
        storage.api_keys.delete_for_app(app_id)
        storage.request_counters.delete_app(app_id)
        storage.audit.delete_app(app_id)
        storage.uploads.delete_app(app_id)
        storage.alerts.delete_app(app_id)
        storage.idempotency_keys.delete_app(app_id)
        storage.recent_files.delete_app(app_id)
        storage.objects.delete_prefix(f"uploads/{app_id}/")
        storage.readings.delete_app(app_id)
        storage.meters.delete_app(app_id)
