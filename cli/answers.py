"""The server's answers as the command reads them: fields it does not know are ignored, so that a
newer server's additions never break an older command."""

from typing import Any, Literal

from pydantic import BaseModel, Field

FINAL_STATUSES = ("completed", "failed")


class RowError(BaseModel):
    line: int
    error: str


class ReadingCounts(BaseModel):
    new: int = 0
    replaced: int = 0
    unchanged: int = 0


class UploadReport(BaseModel):
    """What became of one file (`GET /uploads/{id}`)."""

    upload_id: str
    filename: str
    status: Literal["queued", "processing", "completed", "failed"]
    size_bytes: int
    sha256: str
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    errors: list[RowError]
    alert_id: str | None
    object_key: str
    created_at: str
    completed_at: str | None
    duplicate_of: str | None = None
    readings: ReadingCounts | None = None
    # How the file was read: passed on as the server wrote it, the command never looks inside.
    layout: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES


class UploadReports(BaseModel):
    """The answer to `POST /uploads`."""

    uploads: list[UploadReport] = Field(min_length=1)  # one per file sent, and one is sent


class ErrorAnswer(BaseModel):
    """Every error the server answers: a sentence for people, a stable code for programs."""

    detail: str
    code: str  # not an enum: a code added by a newer server is still read
