"""Processing an accepted upload: its stored file read into readings, its meters, its errors
file and its alert, now (small files) or on the background workers (large ones, and every
upload a previous run left unfinished)."""

import logging
import threading
from contextlib import AbstractContextManager
from typing import BinaryIO

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_when_event_set,
    wait_exponential,
)

from services import metrics
from services.alerts import AlertService, BreachTracker
from services.clock import creation_order, now_text
from services.csv_reader import CsvFile, UnreadableFile
from services.errors import ErrorCode, NotFound
from services.fair_workers import ClientsFirst, FairWorkers
from services.file_reading import layout_of, open_csv
from services.incoming import IncomingFile, Spool
from services.leases import LeaseKeeper
from services.meter_spans import MeterSpans
from services.rejected_lines import RejectedLines, errors_key
from services.repeated_files import RepeatedFiles
from storage.errors import StorageUnavailable
from storage.ports import Applications, Meters, Objects, Readings, Uploads
from storage.records import Application, MeterSpan, RowProblem, Upload

KEPT_ERRORS = 100
WORKERS = 2  # background threads that read files; one application may use all but one
# Each read of the disk lets other threads run, and taking the interpreter back can wait a
# switch interval: few large reads keep a client's upload quick beside background work.
READ_BUFFER = 1 << 20
APPLICATION_GONE = (
    "The application was deleted while the file was arriving; nothing of it was kept."
)
# Background processing waits out a storage outage for 1 + 2 + 4 + 8 + 16 seconds.
PROCESSING_ATTEMPTS = 6
WHOLE_FILE = 0  # the `line` of a problem with the file as a whole
INTERNAL_ERROR = "The file could not be processed because of an error on our side; it is logged."
logger = logging.getLogger(__name__)


class _Interrupted(Exception):
    """The work stops: the server is stopping (the upload stays unfinished and is resumed on
    the next start), or its application was deleted (its records go with it)."""


class _Gone(_Interrupted):
    """The upload's application was deleted."""


class _LeaseLost(_Interrupted):
    """Another process holds the upload now (ours ran out): it goes on from there."""


class UploadProcessor:
    def __init__(
        self,
        uploads: Uploads,
        readings: Readings,
        meters: Meters,
        objects: Objects,
        applications: Applications,
        alerts: AlertService,
        repeats: RepeatedFiles,
        spool: Spool,
        leases: LeaseKeeper,
    ) -> None:
        self._uploads = uploads
        self._readings = readings
        self._meters = meters
        self._objects = objects
        self._applications = applications
        self._alerts = alerts
        self._repeats = repeats
        self._spool = spool
        self._leases = leases
        self._in_hand: set[str] = set()  # uploads queued or being read by this process
        self._stopping = threading.Event()
        self._workers = FairWorkers(WORKERS, "ingest")
        self._clients = ClientsFirst()

    def hold(self, upload: Upload) -> bool:
        """Take the upload's lease before its record exists, so that no other instance starts
        on it; False when another process holds it."""
        self._in_hand.add(upload.upload_id)  # this process's own sweep leaves it alone too
        return self._leases.take(_lease_of(upload))

    def let_go(self, upload: Upload) -> None:
        """Release the upload's lease: it is read, or it never will be (its record is gone)."""
        self._in_hand.discard(upload.upload_id)
        self._leases.release(_lease_of(upload))

    def handles(self, upload: Upload) -> bool:
        """Whether this process has the upload queued or is reading it."""
        return upload.upload_id in self._in_hand

    def now(self, app: Application, upload: Upload, incoming: IncomingFile) -> Upload:
        """Process while the client waits; an outage hands the upload to the workers.
        NotFound when the application was deleted meanwhile."""
        report: Upload | None
        try:
            with self._clients.waiting():
                report = self._process_or_fail(app, upload, incoming, background=False)
        except StorageUnavailable:
            logger.warning(
                "storage unavailable; the upload continues in the background",
                extra={"upload_id": upload.upload_id},
            )
            self.later(app, upload, incoming)  # the lease goes with it
            return upload
        except _Gone:
            report = None
        except _Interrupted:
            report = upload
        incoming.discard()
        self.let_go(upload)
        if report is None:
            raise NotFound(APPLICATION_GONE, ErrorCode.APPLICATION_DELETED)
        return report

    def later(self, app: Application, upload: Upload, incoming: IncomingFile | None) -> None:
        """Process on a background worker, from the spooled file or else the stored object;
        each application's uploads in its own queue, so none waits behind another's."""

        def job() -> None:
            try:
                if self._leases.take(_lease_of(upload)):
                    if incoming is None:
                        logger.info(
                            "reading an upload left unfinished",
                            extra={"upload_id": upload.upload_id},
                        )
                    self._in_background(app, upload, incoming)
            finally:
                self._leases.release(_lease_of(upload))
                self._in_hand.discard(upload.upload_id)
                if incoming is not None:
                    incoming.discard()

        self._in_hand.add(upload.upload_id)
        self._workers.submit(app.id, job)

    def close(self) -> None:
        self._stopping.set()
        self._workers.close()
        self._leases.close()

    def _in_background(
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
            retrying(self._process_or_fail, app, upload, incoming, background=True)
        except StorageUnavailable:
            logger.error(
                "upload left unfinished for a later sweep", extra={"upload_id": upload.upload_id}
            )
        except _Interrupted:
            logger.info("upload processing stopped", extra={"upload_id": upload.upload_id})

    def _wait_unless_stopping(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    def _process_or_fail(
        self, app: Application, upload: Upload, incoming: IncomingFile | None, background: bool
    ) -> Upload:
        """Process; an unexpected error fails the upload (and is logged) rather than looping.
        `background`: no client waits for it, so it gives way to those that do."""
        try:
            finished = self._process(app, upload, incoming, background)
        except (StorageUnavailable, _Interrupted):
            raise
        except Exception:
            logger.exception("upload processing failed", extra={"upload_id": upload.upload_id})
            finished = _failed(upload, INTERNAL_ERROR)
            self._uploads.put(finished)
        metrics.upload_finished(finished.status, finished.rows_accepted)
        return finished

    def _process(
        self, app: Application, upload: Upload, incoming: IncomingFile | None, background: bool
    ) -> Upload:
        self._go_on(app, upload)
        upload = upload.model_copy(update={"status": "processing"})
        self._uploads.put(upload)
        source: AbstractContextManager[BinaryIO] = (
            incoming.path.open("rb", buffering=READ_BUFFER)
            if incoming
            else self._objects.fetch(upload.object_key)
        )
        spans = None
        with source as stream:
            try:
                file = open_csv(
                    stream,
                    upload.meter_id,
                    upload.timezone,
                    upload.columns,
                    pause=self._clients.give_way if background else None,
                )
                finished, spans = self._read(app, upload, file, background)
            except UnreadableFile as error:
                finished = _failed(upload, str(error), error)
        self._go_on(app, upload)
        if finished.status == "completed":  # before the report says so: repeats look there
            self._repeats.remember(finished, spans)
        self._uploads.put(finished)
        return finished

    def _go_on(self, app: Application, upload: Upload) -> None:
        """Raise _Interrupted when the server is stopping, _LeaseLost when another process has
        the upload now, _Gone when the application is gone."""
        if self._stopping.is_set():
            raise _Interrupted
        if not self._leases.holds(_lease_of(upload)):
            raise _LeaseLost
        if self._applications.get(app.id) is None:
            raise _Gone

    def _read(
        self, app: Application, upload: Upload, file: CsvFile, background: bool
    ) -> tuple[Upload, list[MeterSpan] | None]:
        """The upload as read, and the spans of the meters it wrote (None: too many)."""
        breaches = BreachTracker(upload.threshold_kwh)
        writer = self._readings.writer(app.id, creation_order(upload.upload_id))
        meters = MeterSpans(lambda spans: self._meters.widen(app.id, spans))
        every_problem = RejectedLines(self._spool)
        problems: list[RowProblem] = []
        accepted = rejected = 0
        try:
            try:
                for batch in file:
                    self._go_on(app, upload)
                    if background:
                        self._clients.give_way()
                    writer.add(batch.readings)
                    breaches.observe(batch.readings)
                    meters.observe(batch.readings)
                    accepted += len(batch.readings)
                    rejected += len(batch.errors)
                    every_problem.add(batch.errors)  # (line, error) pairs, written as they are
                    problems.extend(
                        RowProblem(line=e.line, error=e.error)
                        for e in batch.errors[: KEPT_ERRORS - len(problems)]
                    )
            except UnreadableFile as error:  # a NEM file's records, found bad as they are read
                error.layout = error.layout or file.report
                raise
            counts = writer.finish()
            meters.flush()
            kept = every_problem.keep(self._objects, errors_key(upload.object_key))
        finally:
            every_problem.discard()
        alert_id = (
            self._alerts.raise_alert(app, upload.upload_id, breaches) if breaches.count else None
        )
        finished = upload.model_copy(
            update={
                "status": "completed",
                "rows_total": accepted + rejected,
                "rows_accepted": accepted,
                "rows_rejected": rejected,
                "errors": problems,
                "errors_key": kept,
                "alert_id": alert_id,
                "layout": layout_of(file.report),
                "readings": counts,
                "completed_at": now_text(),
            }
        )
        return finished, meters.kept()


def _lease_of(upload: Upload) -> str:
    return f"upload:{upload.app_id}/{upload.upload_id}"


def _failed(upload: Upload, reason: str, error: UnreadableFile | None = None) -> Upload:
    return upload.model_copy(
        update={
            "status": "failed",
            "errors": [RowProblem(line=WHOLE_FILE, error=reason)],
            "layout": layout_of(error.layout) if error else None,
            "completed_at": now_text(),
        }
    )
