"""Uploads of an application: files kept durably and handed to processing, their reports,
every problem of a file, and dry runs that read files without keeping anything."""

import contextlib
import hashlib
import itertools
import json
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, field_validator

from services import metrics
from services.clock import new_id, now_text
from services.cursors import CursorSeal
from services.errors import ErrorCode, InProgress, NotFound
from services.incoming import IncomingFile
from services.json_text import NotJson, parsed
from services.previews import Preview, preview
from services.processing import APPLICATION_GONE, UploadProcessor
from services.purges import ApplicationPurge
from services.rejected_lines import as_csv, read_back
from services.repeated_files import RepeatedFiles
from services.thresholds import Threshold
from storage.errors import StorageUnavailable
from storage.ports import Applications, Objects, Uploads
from storage.records import (
    Application,
    CsvColumns,
    Page,
    ReadingCounts,
    Upload,
    UploadLayout,
)

__all__ = [
    "Preview",
    "ReadingCounts",
    "Upload",
    "UploadLayout",
    "UploadOptions",
    "UploadService",
    "request_fingerprint",
]

NO_UPLOAD = "No upload with this id."

ERRORS_GONE = (
    "This upload's errors file is no longer kept (it repeats an upload older than the "
    "retention); its report still lists the first 100 problems."
)
STILL_READING = "The upload is still being read; its errors file is ready when it is finished."
READ_RETRY_SECONDS = 2


class UploadOptions(BaseModel):
    threshold_kwh: Threshold | None = None
    meter_id: str | None = None
    timezone: str | None = None
    columns: CsvColumns | None = None
    force: bool = False  # process a file even when it repeats a recent upload
    dry_run: bool = False  # read the files and say how, storing nothing

    @field_validator("columns", mode="before")
    @classmethod
    def _columns(cls, value: object) -> object:
        """A form field or query parameter carries the mapping as JSON text."""
        if isinstance(value, str):
            try:
                return parsed(value, "columns")
            except NotJson as error:
                raise ValueError(
                    f'{error} Send JSON such as {{"time": "Zeit", "usage": "Wert"}}.'
                ) from None
        return value

    @field_validator("force", "dry_run", mode="before")
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
    request = {
        "files": [f.sha256 for f in files],
        "options": options.model_dump(mode="json", exclude={"dry_run"}),
    }
    return hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()


class UploadService:
    def __init__(
        self,
        uploads: Uploads,
        objects: Objects,
        applications: Applications,
        purge: ApplicationPurge,
        repeats: RepeatedFiles,
        processor: UploadProcessor,
        cursors: CursorSeal,
        inline_bytes: int,
    ) -> None:
        self._uploads = uploads
        self._objects = objects
        self._applications = applications
        self._purge = purge
        self._repeats = repeats
        self._processor = processor
        self._cursors = cursors
        self._inline_bytes = inline_bytes

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
        pending: list[tuple[Upload, IncomingFile]] = []
        for upload, incoming in zip(stored, files, strict=True):
            if upload.finished:  # a repeat of a recent upload: nothing to read
                incoming.discard()
            else:
                pending.append((upload, incoming))
        if sum(incoming.size_bytes for _, incoming in pending) > self._inline_bytes:
            for upload, incoming in pending:
                self._processor.later(app, upload, incoming)
            return stored, not pending
        processed = {u.upload_id: self._processor.now(app, u, f) for u, f in pending}
        reports = [processed.get(upload.upload_id, upload) for upload in stored]
        return reports, all(report.finished for report in reports)

    def preview(
        self, app: Application, files: Sequence[IncomingFile], options: UploadOptions
    ) -> list[Preview]:
        """How each file would be read, storing nothing; the files are discarded."""
        try:
            return [self._preview(app, incoming, options) for incoming in files]
        finally:
            for incoming in files:
                incoming.discard()

    def get(self, app: Application, upload_id: str) -> Upload:
        upload = self._uploads.get(app.id, upload_id)
        if upload is None:
            raise NotFound(NO_UPLOAD)
        return self._settled(upload)

    def list(self, app: Application, limit: int, cursor: str | None) -> Page[Upload]:
        page = self._cursors.page(
            f"uploads:{app.id}",
            cursor,
            lambda opened: self._uploads.list_recent(app.id, limit, opened),
        )
        return page.model_copy(update={"items": [self._settled(u) for u in page.items]})

    def rejected_lines(self, app: Application, upload_id: str) -> Iterator[bytes]:
        """Every problem of a finished upload as CSV, in chunks: NotFound for an upload the
        application does not have, InProgress while it is being read."""
        upload = self.get(app, upload_id)
        if not upload.finished:
            raise InProgress(STILL_READING, READ_RETRY_SECONDS)
        if upload.errors_key is None:  # a file refused whole, or one without a bad line
            return as_csv(upload.errors)
        chunks = read_back(self._objects, upload.errors_key)
        try:  # opened now: a file that is gone is a 404, not an answer broken off
            first = next(chunks, b"")
        except FileNotFoundError:
            raise NotFound(ERRORS_GONE) from None
        return itertools.chain([first], chunks)

    def resume_unfinished(self) -> None:
        """Go on with every unfinished upload no live process is reading (one that died left
        it, or this one before a restart; run at start and then periodically): a repeat takes
        its original's outcome once there is one; an upload whose application is gone (it was
        deleted while the file arrived) is deleted with the rest of that application's data.
        Each upload's lease lets one process of all instances read it."""
        gone: set[str] = set()
        for upload in self._uploads.list_unfinished():
            if self._processor.handles(upload):
                continue
            app = self._applications.get(upload.app_id)
            if app is None:
                gone.add(upload.app_id)
            elif upload.duplicate_of is not None:
                self._settled(upload)
            else:
                self._processor.later(app, upload, None)
        for app_id in gone:
            self._purge.start(app_id)

    def close(self) -> None:
        self._processor.close()

    def _preview(self, app: Application, incoming: IncomingFile, options: UploadOptions) -> Preview:
        incoming.finish()
        with incoming.path.open("rb") as stream:
            return preview(
                incoming.filename,
                stream,
                options.meter_id,
                options.timezone,
                options.columns or app.csv_columns,
            )

    def _store(self, app: Application, incoming: IncomingFile, options: UploadOptions) -> Upload:
        incoming.finish()
        upload = self._new_upload(app, incoming, options)
        original = None if options.force else self._repeats.claim(upload)
        if original is not None:
            repeat = _repeat_of(upload, original)
            self._uploads.put(repeat)
            metrics.upload_finished("duplicate")
            return repeat
        self._objects.put_file(upload.object_key, incoming.path, incoming.sha256)
        self._processor.hold(upload)  # before the record: no other instance's sweep starts on it
        try:
            self._uploads.put(upload)
        except BaseException:
            self._forget(upload)  # never an object without its record: the client sends again
            raise
        if self._applications.get(app.id) is None:  # deleted while the file arrived
            self._forget(upload)
            raise NotFound(APPLICATION_GONE, ErrorCode.APPLICATION_DELETED)
        return upload

    def _forget(self, upload: Upload) -> None:
        self._processor.let_go(upload)
        with contextlib.suppress(StorageUnavailable):
            self._objects.delete(upload.object_key)
            self._uploads.delete(upload.app_id, upload.upload_id)
            self._repeats.release(upload)

    def _settled(self, upload: Upload) -> Upload:
        """A repeat answered while its original was still being read takes its outcome."""
        if upload.finished or upload.duplicate_of is None:
            return upload
        original = self._uploads.get(upload.app_id, upload.duplicate_of)
        if original is None or not original.finished:
            return upload
        settled = _repeat_of(upload, original)
        self._uploads.put(settled)
        return settled

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


def _repeat_of(upload: Upload, original: Upload) -> Upload:
    """The report of a file sent again: the original's outcome (so far), without an alert of
    its own."""
    return upload.model_copy(
        update={
            "rows_total": original.rows_total,
            "rows_accepted": original.rows_accepted,
            "rows_rejected": original.rows_rejected,
            "errors": original.errors,
            "errors_key": original.errors_key,
            "status": original.status,
            "object_key": original.object_key,
            "duplicate_of": original.upload_id,
            "layout": original.layout,
            "readings": original.readings,
            "completed_at": now_text() if original.finished else None,
        }
    )
