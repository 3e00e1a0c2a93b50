"""Deleting everything a deleted application had: keys, uploads, alerts, raw files, readings.

The work runs in the background and is recorded first, so that a restart finishes it. Readings
are deleted twice: an ingestion under way elsewhere stops at its next batch, and the second
pass takes what that batch wrote.
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from services.errors import StorageUnavailable
from storage.ports import Alerts, ApiKeys, Meters, Objects, Purges, Readings, Uploads

SETTLE_SECONDS = 10.0
logger = logging.getLogger(__name__)


class ApplicationPurge:
    def __init__(
        self,
        purges: Purges,
        api_keys: ApiKeys,
        uploads: Uploads,
        alerts: Alerts,
        objects: Objects,
        readings: Readings,
        meters: Meters,
    ) -> None:
        self._meters = meters
        self._purges = purges
        self._api_keys = api_keys
        self._uploads = uploads
        self._alerts = alerts
        self._objects = objects
        self._readings = readings
        self._stopping = threading.Event()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="purge")

    def start(self, app_id: str) -> None:
        self._purges.add(app_id)
        self._worker.submit(self._purge, app_id)

    def resume(self) -> None:
        """Finish what a previous run started."""
        for app_id in self._purges.list():
            self._worker.submit(self._purge, app_id)

    def close(self) -> None:
        self._stopping.set()
        self._worker.shutdown(wait=True, cancel_futures=True)

    def _purge(self, app_id: str) -> None:
        try:
            self._api_keys.delete_for_app(app_id)
            self._uploads.delete_app(app_id)
            self._alerts.delete_app(app_id)
            self._objects.delete_prefix(f"uploads/{app_id}/")
            self._readings.delete_app(app_id)
            if self._stopping.wait(SETTLE_SECONDS):
                return
            self._readings.delete_app(app_id)
            self._meters.delete_app(app_id)
            self._purges.remove(app_id)
        except StorageUnavailable:
            logger.warning("deleting an application's data stopped; the next start goes on")
            return
        logger.info("an application's data is deleted", extra={"app_id": app_id})
