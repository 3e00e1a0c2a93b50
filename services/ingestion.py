"""Uploads: keep the raw file durably, then read it into readings and raise its alert."""

import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, field_validator
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_when_event_set,
    wait_exponential,
)

from services.alerts import AlertService, BreachTracker
from services.clock import new_id, now_text
from services.csv_reader import ColumnMap, UnreadableFile, read_csv
from services.cursors import CursorSeal
from services.errors import InProgress, NotFound
from services.incoming import IncomingFile, Spool
from services.meter_spans import MeterSpans
from services.rejected_lines import RejectedLines, as_csv, errors_key, read_back
from services.repeated_files import RepeatedFiles
from services.thresholds import Threshold
from storage.errors import StorageUnavailable
from storage.ports import Applications, Meters, Objects, Readings, Uploads
from storage.records import Application, CsvColumns, Page, RowProblem, Upload

__all__ = ["IngestionService", "Upload", "UploadOptions", "request_fingerprint"]

KEPT_ERRORS = 100
# Rows written per storage call: large enough that batch writes rarely wait on a straggler.
BATCH_ROWS = 20_000
# Background processing waits out a storage outage for 1 + 2 + 4 + 8 + 16 seconds.
PROCESSING_ATTEMPTS = 6
NO_UPLOAD = "No upload with this id."
WHOLE_FILE = 0  # the `line` of a problem with the file as a whole
STILL_READING = "The upload is still being read; its errors file is ready when it is finished."
READ_RETRY_SECONDS = 2
INTERNAL_ERROR = "The file could not be processed because of an error on our side; it is logged."
logger = logging.getLogger(__name__)


class UploadOptions(BaseModel):
    threshold_kwh: Threshold | None = None
    meter_id: str | None = None
    timezone: str | None = None
    columns: CsvColumns | None = None
    force: bool = False  # process a file even when it repeats a recent upload

    @field_validator("columns", mode="before")
    @classmethod
    def _columns(cls, value: object) -> object:
        """A form field or query parameter carries the mapping as JSON text."""
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise ValueError('must be JSON such as {"time": "Zeit", "usage": "Wert"}') from None
        return value

    @field_validator("force", mode="before")
    @classmethod
    def _force(cls, value: object) -> object:
        """`true` or `false`, as a form field or query parameter writes a boolean."""
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, bool):
            return value
        raise ValueError("must be true or false")

    @field_validator("meter_id")
    @classmethod
    def _meter(cls, value: str | None) -> str | None:
        value = value.strip() if value else None
        if value and len(value) > 200:
            raise ValueError("meter_id must be at most 200 characters")
        return value or None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as Europe/Berlin"
            ) from error
        return value


def request_fingerprint(files: Sequence[IncomingFile], options: UploadOptions) -> str:
    """What makes two upload requests the same one: their files' contents and their options."""
    request = {"files": [f.sha256 for f in files], "options": options.model_dump(mode="json")}
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


class _Interrupted(Exception):
    """The work stops: the server is stopping (the upload stays unfinished and is resumed on
    the next start), or its application was deleted (its records go with it)."""


class IngestionService:
    def __init__(
        self,
        uploads: Uploads,
        readings: Readings,
        meters: Meters,
        objects: Objects,
        applications: Applications,
        alerts: AlertService,
        cursors: CursorSeal,
        repeats: RepeatedFiles,
        spool: Spool,
        inline_bytes: int,
    ) -> None:
        self._repeats = repeats
        self._spool = spool
        self._cursors = cursors
        self._uploads = uploads
        self._readings = readings
        self._meters = meters
        self._objects = objects
        self._applications = applications
        self._alerts = alerts
        self._inline_bytes = inline_bytes
        self._stopping = threading.Event()
        self._workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ingest")

    def accept(
        self, app: Application, files: Sequence[IncomingFile], options: UploadOptions
    ) -> tuple[list[Upload], bool]:
        """Store every file durably, then process them now (small) or in the background.

        Takes ownership of the files: they are discarded once no longer needed.
        Returns the reports and whether every upload is finished.
        """
        try:
            stored = [self._store(app, incoming, options) for incoming in files]
        except BaseException:
            for incoming in files:
                incoming.discard()
            raise
        pending = [(u, f) for u, f in zip(stored, files, strict=True) if not u.finished]
        for upload, incoming in zip(stored, files, strict=True):
            if upload.finished:  # a repeat of a recent upload: nothing to read
                incoming.discard()
        if sum(incoming.size_bytes for _, incoming in pending) > self._inline_bytes:
            for upload, incoming in pending:
                self._workers.submit(self._process_in_background, app, upload, incoming)
            return stored, not pending
        processed = {u.upload_id: self._process_now(app, u, f) for u, f in pending}
        reports = [processed.get(upload.upload_id, upload) for upload in stored]
        return reports, all(report.finished for report in reports)

    def get(self, app: Application, upload_id: str) -> Upload:
        upload = self._uploads.get(app.id, upload_id)
        if upload is None:
            raise NotFound(NO_UPLOAD)
        return upload

    def list(self, app: Application, limit: int, cursor: str | None) -> Page[Upload]:
        return self._cursors.page(
            f"uploads:{app.id}",
            cursor,
            lambda opened: self._uploads.list_recent(app.id, limit, opened),
        )

    def resume_unfinished(self) -> None:
        """Queue every upload a previous run accepted but did not finish."""
        for upload in self._uploads.list_unfinished():
            app = self._applications.get(upload.app_id)
            if app is not None:
                self._workers.submit(self._process_in_background, app, upload, None)

    def close(self) -> None:
        self._stopping.set()
        self._workers.shutdown(wait=True, cancel_futures=True)

    def _store(self, app: Application, incoming: IncomingFile, options: UploadOptions) -> Upload:
        incoming.finish()
        upload = self._new_upload(app, incoming, options)
        original = None if options.force else self._repeats.original_of(upload)
        if original is not None:
            repeat = _repeat_of(upload, original)
            self._uploads.put(repeat)
            return repeat
        self._objects.put_file(upload.object_key, incoming.path, incoming.sha256)
        try:
            self._uploads.put(upload)
        except BaseException:
            # Never an object without its record: the client sends the file again.
            with contextlib.suppress(StorageUnavailable):
                self._objects.delete(upload.object_key)
            raise
        return upload

    def _new_upload(
        self, app: Application, incoming: IncomingFile, options: UploadOptions
    ) -> Upload:
        upload_id = new_id("up")
        return Upload(
            upload_id=upload_id,
            app_id=app.id,
            filename=incoming.filename,
            status="queued",
            size_bytes=incoming.size_bytes,
            sha256=incoming.sha256,
            object_key=f"uploads/{app.id}/{upload_id}/{incoming.filename}",
            created_at=now_text(),
            meter_id=options.meter_id,
            timezone=options.timezone,
            columns=options.columns or app.csv_columns,
            threshold_kwh=(
                options.threshold_kwh if options.threshold_kwh is not None else app.threshold_kwh
            ),
        )

    def _process_now(self, app: Application, upload: Upload, incoming: IncomingFile) -> Upload:
        try:
            report = self._process_or_fail(app, upload, incoming)
        except _Interrupted:
            incoming.discard()
            return upload
        except StorageUnavailable:
            logger.warning(
                "storage unavailable; the upload continues in the background",
                extra={"upload_id": upload.upload_id},
            )
            self._workers.submit(self._process_in_background, app, upload, incoming)
            return upload
        incoming.discard()
        return report

    def _process_in_background(
        self, app: Application, upload: Upload, incoming: IncomingFile | None
    ) -> None:
        def log_retry(state: RetryCallState) -> None:
            delay = state.next_action.sleep if state.next_action else 0
            logger.warning(
                "storage unavailable; retrying the upload",
                extra={"upload_id": upload.upload_id, "retry_in_s": delay},
            )

        retrying = Retrying(
            retry=retry_if_exception_type(StorageUnavailable),
            stop=stop_after_attempt(PROCESSING_ATTEMPTS) | stop_when_event_set(self._stopping),
            wait=wait_exponential(multiplier=1, max=16),
            sleep=self._wait_unless_stopping,
            before_sleep=log_retry,
            reraise=True,
        )
        try:
            retrying(self._process_or_fail, app, upload, incoming)
        except StorageUnavailable:
            logger.error(
                "upload left unfinished until the next start", extra={"upload_id": upload.upload_id}
            )
        except _Interrupted:
            logger.info("upload processing stopped", extra={"upload_id": upload.upload_id})
        finally:
            if incoming is not None:
                incoming.discard()

    def _wait_unless_stopping(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _process_or_fail(
        self, app: Application, upload: Upload, incoming: IncomingFile | None
    ) -> Upload:
        """Process; an unexpected error fails the upload (and is logged) rather than looping."""
        try:
            return self._process(app, upload, incoming)
        except (StorageUnavailable, _Interrupted):
            raise
        except Exception:
            logger.exception("upload processing failed", extra={"upload_id": upload.upload_id})
            failed = _failed(upload, INTERNAL_ERROR)
            self._uploads.put(failed)
            return failed

    def _process(self, app: Application, upload: Upload, incoming: IncomingFile | None) -> Upload:
        self._go_on(app)
        upload = upload.model_copy(update={"status": "processing"})
        self._uploads.put(upload)
        source: AbstractContextManager[BinaryIO] = (
            incoming.path.open("rb") if incoming else self._objects.fetch(upload.object_key)
        )
        with source as stream:
            try:
                finished = self._read(app, upload, stream)
            except UnreadableFile as error:
                finished = _failed(upload, str(error))
        self._go_on(app)
        self._uploads.put(finished)
        if finished.status == "completed":
            self._repeats.remember(finished)
        return finished

    def _go_on(self, app: Application) -> None:
        """Raise _Interrupted when the server is stopping or the application is gone."""
        if self._stopping.is_set() or self._applications.get(app.id) is None:
            raise _Interrupted

    def _read(self, app: Application, upload: Upload, stream: BinaryIO) -> Upload:
        breaches = BreachTracker(upload.threshold_kwh)
        meters = MeterSpans(lambda spans: self._meters.widen(app.id, spans))
        every_problem = RejectedLines(self._spool)
        problems: list[RowProblem] = []
        accepted = rejected = 0
        zone = ZoneInfo(upload.timezone) if upload.timezone else None
        columns = ColumnMap(**upload.columns.model_dump()) if upload.columns else None
        try:
            for batch in read_csv(
                stream,
                meter_id=upload.meter_id,
                timezone=zone,
                batch_size=BATCH_ROWS,
                columns=columns,
            ):
                self._go_on(app)
                self._readings.put_many(app.id, batch.readings)
                breaches.observe(batch.readings)
                meters.observe(batch.readings)
                accepted += len(batch.readings)
                rejected += len(batch.errors)
                noted = [
                    RowProblem(line=e.line, error=e.error) for e in (*batch.notices, *batch.errors)
                ]
                every_problem.add(noted)
                problems.extend(noted[: KEPT_ERRORS - len(problems)])
            meters.flush()
            kept = every_problem.keep(self._objects, errors_key(upload.object_key))
        finally:
            every_problem.discard()
        alert_id = (
            self._alerts.raise_alert(app, upload.upload_id, breaches) if breaches.count else None
        )
        return upload.model_copy(
            update={
                "status": "completed",
                "rows_total": accepted + rejected,
                "rows_accepted": accepted,
                "rows_rejected": rejected,
                "errors": problems,
                "errors_key": kept,
                "alert_id": alert_id,
                "completed_at": now_text(),
            }
        )

    def rejected_lines(self, app: Application, upload_id: str) -> Iterator[bytes]:
        """Every problem of a finished upload as CSV, in chunks: NotFound for an upload the
        application does not have, InProgress while it is being read."""
        upload = self.get(app, upload_id)
        if not upload.finished:
            raise InProgress(STILL_READING, READ_RETRY_SECONDS)
        if upload.errors_key is None:  # a file refused whole, or one without a bad line
            return as_csv(upload.errors)
        return read_back(self._objects, upload.errors_key)


def _repeat_of(upload: Upload, original: Upload) -> Upload:
    """The report of a file sent again: the original's outcome, without an alert of its own."""
    return upload.model_copy(
        update={
            "rows_total": original.rows_total,
            "rows_accepted": original.rows_accepted,
            "rows_rejected": original.rows_rejected,
            "errors": original.errors,
            "errors_key": original.errors_key,
            "status": "completed",
            "object_key": original.object_key,
            "duplicate_of": original.upload_id,
            "completed_at": now_text(),
        }
    )


def _failed(upload: Upload, reason: str) -> Upload:
    return upload.model_copy(
        update={
            "status": "failed",
            "errors": [RowProblem(line=WHOLE_FILE, error=reason)],
            "completed_at": now_text(),
        }
    )
