"""Talking to the server: one CSV file streamed as a raw body, retried safely; its report polled."""

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import NotRequired, TypedDict

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_before_delay,
    wait_exponential_jitter,
)

# Large enough that a 500 MB file is a few hundred writes, small enough to keep memory flat.
CHUNK_BYTES = 1024 * 1024
# Retrying stops starting new attempts after this, so that a run gives up within two minutes.
RETRY_SECONDS = 100
MAX_RETRY_AFTER_SECONDS = 30
# The server answers a small file once it is processed, a large one once it is stored.
TIMEOUT = httpx.Timeout(30, read=300)
FINAL_STATUSES = ("completed", "failed")
POLL_FIRST_SECONDS = 0.2
POLL_MAX_SECONDS = 2.0


class RowError(TypedDict):
    line: int
    error: str


class Report(TypedDict):
    """An UploadReport as the server answers it."""

    upload_id: str
    filename: str
    status: str
    size_bytes: int
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    errors: list[RowError]
    alert_id: str | None
    duplicate_of: NotRequired[str | None]


class Refused(Exception):
    """401: the key is missing, invalid or revoked; no request will succeed."""


class BadOption(Exception):
    """422: an option the server does not accept; every file would be refused the same way."""


class Unreachable(Exception):
    """The server could not be reached, or stayed unavailable, for the whole retry window."""


class Rejected(Exception):
    """The server refused this one file (413 too large, ...); others may still go through."""


class FileChanged(Exception):
    """The file shrank while it was being sent."""


class Unexpected(Exception):
    """The answer is not Wattkey's (a captive portal's page, a proxy's): wrong URL, or a
    network in the way; the sentence says what came back."""


class _Busy(Exception):
    """An answer that says to try again later: 409 in flight, 429, 5xx."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code}: {detail_of(response)}")
        self.retry_after = _retry_after(response)


@dataclass(frozen=True)
class Options:
    """The upload options sent as query parameters; None is left for the server to default."""

    meter_id: str | None = None
    timezone: str | None = None
    threshold_kwh: float | None = None

    def query(self) -> dict[str, str]:
        given = {
            "meter_id": self.meter_id,
            "timezone": self.timezone,
            "threshold_kwh": None if self.threshold_kwh is None else repr(self.threshold_kwh),
        }
        return {name: value for name, value in given.items() if value is not None}


def detail_of(response: httpx.Response) -> str:
    """The sentence of an error answer: FastAPI's `{"detail": ...}`, else the reason phrase."""
    try:
        detail = response.json().get("detail")
    except ValueError:
        detail = None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # a validation error: one entry per field
        return "; ".join(
            f"{item.get('msg')} ({'.'.join(map(str, item.get('loc', [])))})"
            for item in detail
            if isinstance(item, dict)
        )
    return response.reason_phrase or f"HTTP {response.status_code}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


_backoff = wait_exponential_jitter(initial=0.5, max=10, jitter=0.5)


def _wait(state: RetryCallState) -> float:
    """The server's Retry-After when it gave one, else exponential backoff with jitter."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, _Busy) and error.retry_after is not None:
        return error.retry_after
    return _backoff(state)


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    code = response.status_code
    if code in (409, 429) or code >= 500:
        raise _Busy(response)
    if code == 401:
        raise Refused(detail_of(response))
    if code == 422:
        raise BadOption(detail_of(response))
    raise Rejected(f"{detail_of(response)} ({code})")


def _chunks(path: Path, size: int, sent: Callable[[int], None]) -> Iterator[bytes]:
    """Exactly `size` bytes of the file, read as they are sent; `sent` hears the running total."""
    done = 0
    sent(done)
    with path.open("rb") as source:
        while done < size:
            chunk = source.read(min(CHUNK_BYTES, size - done))
            if not chunk:
                raise FileChanged(f"{path} shrank while it was being sent")
            done += len(chunk)
            yield chunk
            sent(done)


class Server:
    """One connection pool to the server for a whole run, with the application's key."""

    def __init__(self, url: str, api_key: str) -> None:
        self.url = url.rstrip("/")
        self._client = httpx.Client(
            base_url=self.url, headers={"X-API-Key": api_key}, timeout=TIMEOUT
        )

    def close(self) -> None:
        self._client.close()

    def send(
        self,
        path: Path,
        idempotency_key: str,
        options: Options,
        sent: Callable[[int], None] = lambda _: None,
        gzip: bool = False,
    ) -> Report:
        """Upload one file; every retry carries the same Idempotency-Key, so none duplicates it.

        `gzip`: compressed as it is read (`Content-Encoding: gzip`), for metered links."""
        size = path.stat().st_size
        params = {"filename": path.name, **options.query()}
        headers = {"Content-Type": "text/csv", "Idempotency-Key": idempotency_key}
        if gzip:
            headers["Content-Encoding"] = "gzip"
        else:  # explicit, so that the streamed body is sent whole rather than chunked
            headers["Content-Length"] = str(size)

        def attempt() -> httpx.Response:
            body = _chunks(path, size, sent)  # a fresh read of the file for every attempt
            content = _gzipped(body) if gzip else body
            return self._client.post("/uploads", params=params, headers=headers, content=content)

        return _report(self._retrying(attempt), "uploads")

    def finished(self, report: Report) -> Report:
        """The report once the server has completed or failed the upload."""
        delay = POLL_FIRST_SECONDS
        path = f"/uploads/{report['upload_id']}"
        while report["status"] not in FINAL_STATUSES:
            time.sleep(delay)
            delay = min(delay * 1.5, POLL_MAX_SECONDS)
            report = _report(self._retrying(lambda: self._client.get(path)))
        return report

    def _retrying(self, attempt: Callable[[], httpx.Response]) -> httpx.Response:
        retrying = Retrying(
            retry=retry_if_exception_type((httpx.TransportError, _Busy)),
            wait=_wait,
            stop=stop_before_delay(RETRY_SECONDS),
            reraise=True,
        )
        try:
            return retrying(lambda: _checked(attempt()))
        except httpx.TransportError as error:
            raise Unreachable(f"{self.url} could not be reached: {_reason(error)}") from error
        except _Busy as error:
            raise Unreachable(f"{self.url} stayed unavailable: {error}") from error


def _reason(error: httpx.TransportError) -> str:
    return str(error) or type(error).__name__


def _gzipped(chunks: Iterator[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    for chunk in chunks:
        if packed := packer.compress(chunk):
            yield packed
    yield packer.flush()


REPORT_FIELDS = ("upload_id", "filename", "status", "rows_total", "rows_accepted", "errors")


def _report(response: httpx.Response, within: str | None = None) -> Report:
    """The UploadReport of a 2xx answer; Unexpected when the answer is no such thing."""
    try:
        answer = response.json()
        found = answer[within][0] if within else answer
        if not all(name in found for name in REPORT_FIELDS):
            raise KeyError(REPORT_FIELDS)
    except (ValueError, KeyError, IndexError, TypeError):
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        raise Unexpected(
            f"{response.url} answered {response.status_code} with {kind}, not a Wattkey upload "
            "report: check --url (a captive portal or a proxy may be answering in its place)."
        ) from None
    report: Report = found
    return report
