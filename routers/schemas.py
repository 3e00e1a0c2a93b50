"""Answers shared by the machine routes and the operator's console routes."""

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from services.uploads import Preview, ReadingCounts, UploadLayout

Item = TypeVar("Item", bound=BaseModel)


class Answer(BaseModel):
    """An answer read from the attributes of what a service returns: a route returns the
    service's record and its response model keeps the fields it shows."""

    model_config = ConfigDict(from_attributes=True)


class Page(Answer, Generic[Item]):
    """One page of a list; `next_cursor` fetches the next one, null on the last page."""

    items: list[Item]
    next_cursor: str | None


class RowError(Answer):
    line: int
    error: str


class UploadReport(Answer):
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
    duplicate_of: str | None = Field(
        description="The upload this file repeats (same file and options, recently): its "
        "outcome is that upload's, and it raises no alert of its own"
    )
    readings: ReadingCounts | None = Field(
        description="What the file's readings did to the store (null until it has been read): "
        "how many were not stored before, changed a stored value, or equalled it (or met a "
        "different value that a later upload had written)"
    )
    layout: UploadLayout | None = Field(
        description="How the file was read (null until it has been): its encoding, delimiter, "
        "notation, time zone, interval and what each column holds; for a file that failed, "
        "what of it was found"
    )


class UploadReports(Answer):
    uploads: list[UploadReport]


class Previews(BaseModel):
    """A dry run's answer: how each file would be read; nothing was stored."""

    previews: list[Preview]


class ReadingOut(Answer):
    meter_id: str
    timestamp: str
    kwh: float


class DeliveryOut(Answer):
    channel: Literal["email", "sns", "log"]
    target: str
    status: Literal["sent", "failed", "skipped"]
    error: str | None


class AlertOut(Answer):
    alert_id: str
    upload_id: str
    threshold_kwh: float
    breach_count: int
    max_kwh: float
    breaches: list[ReadingOut]
    deliveries: list[DeliveryOut]
    created_at: str
