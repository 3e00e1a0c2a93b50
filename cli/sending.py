"""Talking to the server: one CSV file streamed as a raw body, retried safely; its report polled."""

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_before_delay,
    wait_exponential_jitter,
)

from cli.answers import ErrorAnswer, UploadReport, UploadReports

# Large enough that a 500 MB file is a few hundred writes, small enough to keep memory flat.
CHUNK_BYTES = 1024 * 1024
# Retrying stops starting new attempts after this, so that a run gives up within two minutes.
RETRY_SECONDS = 100
MAX_RETRY_AFTER_SECONDS = 30
# The server answers a small file once it is processed, a large one once it is stored.
TIMEOUT = httpx.Timeout(30, read=300)
POLL_FIRST_SECONDS = 0.2
POLL_MAX_SECONDS = 2.0
# No request can succeed: the key is wrong, revoked, lacks the scope, or its application is
# gone, or an option is one the server does not take (every file would be refused alike).
REFUSED_CODES = frozenset(
    {
        "invalid_api_key",
        "missing_api_key",
        "missing_scope",
        "application_deleted",
        "validation_failed",
    }
)
# The same request can succeed later; `internal_error` is a 5xx, retried like any other.
RETRIED_CODES = frozenset(
    {"rate_limited", "busy", "storage_unavailable", "in_progress", "internal_error"}
)

Answer = TypeVar("Answer", bound=BaseModel)


class Refused(Exception):
    """The key is missing, invalid or revoked, its application deleted, or an option refused;
    no request will succeed."""


class Unreachable(Exception):
    """The server could not be reached, or stayed unavailable, for the whole retry window."""


class Rejected(Exception):
    """The server refused this one file (too large, an option it does not take, ...); others
    may still go through. The message is the server's sentence."""

    def __init__(self, answer: ErrorAnswer) -> None:
        super().__init__(answer.detail)
        self.code = answer.code


class FileChanged(Exception):
    """The file shrank while it was being sent."""


class Unexpected(Exception):
    """The answer is not Wattkey's (a captive portal's page, a proxy's): wrong URL, or a
    network in the way; the sentence says what came back."""


class _Busy(Exception):
    """An answer that says to try again later."""

    def __init__(self, response: httpx.Response, sentence: str) -> None:
        super().__init__(f"{response.status_code}: {sentence}")
        self.retry_after = _retry_after(response)


@dataclass(frozen=True)
class Options:
    """The upload options sent as query parameters; None is left for the server to default."""

    meter_id: str | None = None
    timezone: str | None = None
    threshold_kwh: float | None = None
    force: bool = False
    columns: str | None = None  # JSON text, as the server reads it

    def query(self) -> dict[str, str]:
        given = {
            "meter_id": self.meter_id,
            "timezone": self.timezone,
            "threshold_kwh": None if self.threshold_kwh is None else repr(self.threshold_kwh),
            "columns": self.columns,
            "force": "true" if self.force else None,
        }
        return {name: value for name, value in given.items() if value is not None}


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
    """The answer when it is a success; else what its error's code says to do."""
    if response.is_success:
        return response
    try:
        answer = ErrorAnswer.model_validate_json(response.content)
    except ValidationError:
        # Not Wattkey's error: a proxy or a load balancer in front of it, busy or lost.
        if response.status_code == 429 or response.is_server_error:
            raise _Busy(response, response.reason_phrase or "no Wattkey answer") from None
        raise Unexpected(_not_wattkey(response, "error answer")) from None
    if answer.code in RETRIED_CODES:
        raise _Busy(response, answer.detail)
    if answer.code in REFUSED_CODES:
        raise Refused(answer.detail)
    raise Rejected(answer)


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
    ) -> UploadReport:
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

        return _parsed(UploadReports, self._retrying(attempt)).uploads[0]

    def finished(self, report: UploadReport) -> UploadReport:
        """The report once the server has completed or failed the upload."""
        delay = POLL_FIRST_SECONDS
        path = f"/uploads/{report.upload_id}"
        while not report.finished:
            time.sleep(delay)
            delay = min(delay * 1.5, POLL_MAX_SECONDS)
            report = _parsed(UploadReport, self._retrying(lambda: self._client.get(path)))
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


def _parsed(model: type[Answer], response: httpx.Response) -> Answer:
    """The answer of a 2xx response; Unexpected when it is no such thing."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise Unexpected(_not_wattkey(response, "upload report")) from None


def _not_wattkey(response: httpx.Response, expected: str) -> str:
    kind = response.headers.get("Content-Type", "no content type").split(";")[0]
    return (
        f"{response.url} answered {response.status_code} with {kind}, not a Wattkey {expected}: "
        "check --url (a captive portal or a proxy may be answering in its place)."
    )
