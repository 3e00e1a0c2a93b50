"""Answers shared by the machine routes and the operator's console routes."""

from typing import Literal

from pydantic import BaseModel

from services.alerts import Alert
from services.ingestion import Upload


class RowError(BaseModel):
    line: int
    error: str


class UploadReport(BaseModel):
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

    @classmethod
    def of(cls, upload: Upload) -> "UploadReport":
        return cls.model_validate(upload.model_dump())


class UploadReports(BaseModel):
    uploads: list[UploadReport]


class UploadPage(BaseModel):
    items: list[UploadReport]
    next_cursor: str | None


class ReadingOut(BaseModel):
    meter_id: str
    timestamp: str
    kwh: float


class UsagePage(BaseModel):
    items: list[ReadingOut]
    next_cursor: str | None


class DeliveryOut(BaseModel):
    channel: Literal["email", "sns", "log"]
    target: str
    status: Literal["sent", "failed", "skipped"]
    error: str | None


class AlertOut(BaseModel):
    alert_id: str
    upload_id: str
    threshold_kwh: float
    breach_count: int
    max_kwh: float
    breaches: list[ReadingOut]
    deliveries: list[DeliveryOut]
    created_at: str

    @classmethod
    def of(cls, alert: Alert) -> "AlertOut":
        return cls.model_validate(alert.model_dump())


class AlertPage(BaseModel):
    items: list[AlertOut]
    next_cursor: str | None
