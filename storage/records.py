"""What the stores keep. Every timestamp is UTC ISO 8601 text ending in `Z`."""

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated, Generic, Literal, NamedTuple, TypeVar, get_args

from pydantic import BaseModel, Field, StrictBool, StrictInt

T = TypeVar("T")

UploadStatus = Literal["queued", "processing", "completed", "failed"]
UNFINISHED: tuple[UploadStatus, ...] = ("queued", "processing")


class Reading(NamedTuple):
    meter_id: str
    timestamp: str
    kwh: float


# What writers hand over: (meter_id, timestamp, kwh), a Reading or any tuple of that shape.
ReadingRow = tuple[str, str, float]

# The quantities a file may carry beside consumption, each kept as `<meter>:<channel>`.
CHANNELS = ("export", "generation", "gas", "load")


def channel_of(meter_id: str) -> str:
    """The channel a meter id names after its last colon (`m-1:export`); "" for consumption."""
    _, colon, tail = meter_id.rpartition(":")
    return tail if colon and tail in CHANNELS else ""


@dataclass(frozen=True)
class ReadingQuery:
    """One page of an application's readings, oldest first; both bounds inclusive."""

    app_id: str
    meter_id: str | None = None
    start: str | None = None
    end: str | None = None
    limit: int = 100
    cursor: str | None = None


@dataclass
class BucketTotal:
    """The readings of one summary bucket."""

    kwh: float = 0.0
    max_kwh: float | None = None
    readings: int = 0


@dataclass
class RangeTotals:
    """A summary's buckets, and when every meter was asked, each channel's total over the
    range: consumption alone fills the buckets, export is never added to it."""

    buckets: list[BucketTotal]
    channels: dict[str, float]


class MeterSpan(BaseModel):
    """A meter of an application, and the times of its first and last stored readings."""

    meter_id: str
    first_timestamp: str
    last_timestamp: str


class ReadingCounts(BaseModel):
    """What a file's readings did to the store: how many were not stored before, changed a
    stored value, or equalled it (or met a different value a later upload had written)."""

    new: int = 0
    replaced: int = 0
    unchanged: int = 0

    def __add__(self, other: "ReadingCounts") -> "ReadingCounts":
        return ReadingCounts(
            new=self.new + other.new,
            replaced=self.replaced + other.replaced,
            unchanged=self.unchanged + other.unchanged,
        )


class RecentFile(BaseModel):
    """The upload that holds a file (its content digest) for spotting repeats, and once it has
    completed, the span of each meter it wrote (None when it wrote too many meters to keep)."""

    upload_id: str
    expires_at: int  # epoch seconds
    spans: list[MeterSpan] | None = None


class Lease(NamedTuple):
    """Work that one owner (an instance's process) does alone until `expires_at` (epoch s)."""

    name: str
    owner: str
    expires_at: int


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class User(BaseModel):
    user_id: str
    email: str
    password_hash: str
    created_at: str


class CsvColumns(BaseModel):
    """The columns of a CSV layout no detector knows, named by a client (their header names)."""

    time: str = Field(min_length=1, max_length=200, description="date and time, or the date")
    usage: str = Field(min_length=1, max_length=200)
    clock: str | None = Field(default=None, max_length=200, description="time of day column")
    meter: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(
        default=None, max_length=200, description="a unit (kWh, Wh, kW...) or its column"
    )
    cumulative: StrictBool = Field(
        default=False, description="usage is a meter reading that only grows"
    )
    time_is_end: StrictBool = Field(default=False, description="times end their intervals")


class Application(BaseModel):
    id: str
    owner_id: str
    name: str
    application_id: str
    email: str
    domain: str
    threshold_kwh: float | None = None
    alert_emails: list[str] = Field(default_factory=list)
    alert_sns_topic_arn: str | None = None
    csv_columns: CsvColumns | None = None
    created_at: str
    updated_at: str


Scope = Literal["uploads:write", "usage:read", "alerts:read"]
SCOPES: tuple[Scope, ...] = get_args(Scope)


# A count of requests or seconds: a whole number above 0, never a boolean in disguise.
Count = Annotated[StrictInt, Field(gt=0)]


class RateLimit(BaseModel):
    """At most `requests` in each window of `per_seconds` (fixed windows from the epoch)."""

    requests: Count
    per_seconds: Count


class Quota(BaseModel):
    """At most `requests` in each UTC calendar day or month."""

    requests: Count
    period: Literal["day", "month"]


class ApiKey(BaseModel):
    id: str
    app_id: str
    name: str
    prefix: str
    key_hash: str
    created_at: str
    expires_at: str | None = None
    last_used_at: str | None = None
    revoked_at: str | None = None
    # Keys stored before scopes and limits existed may do everything, unlimited.
    scopes: list[Scope] = Field(default_factory=lambda: list(SCOPES))
    rate_limit: RateLimit | None = None
    quota: Quota | None = None


class Window(NamedTuple):
    """One limit of a key in its current window: its name (`rate`, `quota`), the window's id,
    the most requests the window admits, and the epoch second it ends."""

    name: str
    window: str
    limit: int
    ends_at: int


class Admission(NamedTuple):
    """Whether a request was counted, and each window's count: after it, or when it was
    refused, as the count stood."""

    admitted: bool
    counts: tuple[int, ...]


AuditEventName = Literal["app.created", "app.updated", "key.created", "key.revoked", "key.rotated"]


class AuditEvent(BaseModel):
    """A change to an application or its keys: who made it, to what, when; never a secret."""

    event_id: str  # time-ordered: the log reads newest first by it
    app_id: str
    event: AuditEventName
    actor: str  # `user:<id>`
    target: str  # the application's or the key's id
    at: str
    details: dict[str, object] = Field(default_factory=dict)


class RowProblem(BaseModel):
    line: int
    error: str


class LayoutColumn(BaseModel):
    index: int
    name: str
    role: Literal[
        "time", "date", "clock", "end", "meter", "value", "unit", "factor", "attribute", "ignored"
    ]
    unit: str | None = None
    kind: Literal["energy", "power", "register"] | None = None
    channel: Literal["", "export", "generation", "gas", "load"] | None = None


class UploadLayout(BaseModel):
    """How a file was read (or, for a file that failed, what of it was found)."""

    family: Literal["long", "wide", "nem12", "nem13", "mapped"] | None
    encoding: str
    delimiter: str | None
    decimal: Literal[".", ","] | None
    header_line: int | None
    date_order: Literal["ymd", "dmy", "mdy"] | None
    timezone: str | None
    timezone_source: Literal["file", "upload", "default"] | None
    timestamps: Literal["start", "end"] | None
    interval_minutes: float | None
    columns: list[LayoutColumn] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)


class Upload(BaseModel):
    upload_id: str
    app_id: str
    filename: str
    status: UploadStatus
    size_bytes: int
    sha256: str
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    errors: list[RowProblem] = Field(default_factory=list)
    alert_id: str | None = None
    object_key: str
    created_at: str
    completed_at: str | None = None
    meter_id: str | None = None
    timezone: str | None = None
    threshold_kwh: float | None = None
    columns: CsvColumns | None = None
    duplicate_of: str | None = None
    readings: ReadingCounts | None = None
    errors_key: str | None = None  # the object listing every rejected line, when there is one
    layout: UploadLayout | None = None

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def content_digest(self) -> str:
        """The file and every option that shapes what it gives: equal digests, equal results."""
        settings = self.model_dump(
            mode="json", include={"sha256", "meter_id", "timezone", "threshold_kwh", "columns"}
        )
        return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


class RecordedAnswer(BaseModel):
    """The first answer to a request under an Idempotency-Key."""

    status_code: int
    body: str


class IdempotencyRecord(BaseModel):
    app_id: str
    key: str
    fingerprint: str  # the request it was first used with
    claimed_until: int  # epoch seconds: while unanswered, the first request holds it till then
    expires_at: int  # epoch seconds
    answer: RecordedAnswer | None = None

    def live(self, now: int) -> bool:
        """Whether it still binds its key: unexpired, and answered or still claimed."""
        return self.expires_at > now and (self.answer is not None or self.claimed_until > now)


class Breach(BaseModel):
    meter_id: str
    timestamp: str
    kwh: float


ChannelName = Literal["email", "sns", "log"]


class AlertMessage(NamedTuple):
    subject: str
    body: str


class Delivery(BaseModel):
    channel: ChannelName
    target: str
    status: Literal["sent", "failed", "skipped"]
    error: str | None = None
    attempts: int = 1


class Alert(BaseModel):
    alert_id: str
    app_id: str
    upload_id: str
    threshold_kwh: float
    breach_count: int
    max_kwh: float
    breaches: list[Breach]
    deliveries: list[Delivery] = Field(default_factory=list)
    created_at: str

    @property
    def has_failed_deliveries(self) -> bool:
        return any(delivery.status == "failed" for delivery in self.deliveries)
