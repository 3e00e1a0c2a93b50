"""Bounds on request bodies: a size (413 before they fill memory or disk), and the time the
client may leave between two pieces of one (408, so a silent client cannot hold a connection).
An upload body sent with `Content-Encoding: gzip` is decoded as it arrives, its decoded size
bounded too (a small bomb is refused, not inflated); any other coding is a 415."""

import zlib

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from routers.errors import send_error
from services.errors import ErrorCode

JSON_LIMIT = 1024 * 1024
DECODED_PIECE = 1024 * 1024  # decoded at a time, so no chunk inflates past the bound at once
GZIP = ("gzip", "x-gzip")
NOT_GZIP = "The request body is not valid gzip, as its Content-Encoding says; send it again."


class BodyLimitMiddleware:
    """An upload request may carry MAX_UPLOAD_BYTES in all (decoded too); any other 1 MiB."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int, idle_seconds: float) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.idle_seconds = idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].endswith("/uploads")
        limit, name = self._limit(upload)
        coding = _header(scope, b"content-encoding").strip().lower()
        if coding not in ("", "identity") and not (upload and coding in GZIP):
            await send_error(send, ErrorCode.UNSUPPORTED_MEDIA_TYPE, _unsupported(coding, upload))
            return
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit, name)
            return
        guard = _Guard(send, limit, name, self.idle_seconds)
        decoder = _Gunzip(limit) if coding else None
        if decoder is not None:
            scope = {**scope, "headers": _without_coding(scope["headers"])}
        await self.app(scope, guard.receiving(receive, decoder), guard.send)
        await guard.finish()

    def _limit(self, upload: bool) -> tuple[int, str]:
        if upload:
            return self.max_upload_bytes, "upload limit (MAX_UPLOAD_BYTES)"
        return JSON_LIMIT, "limit for requests other than uploads"


class _Guard:
    """Counts what arrives; once a bound is broken, the app sees the client gone and the
    client gets the refusal instead of the app's answer."""

    def __init__(self, send: Send, limit: int, name: str, idle_seconds: float) -> None:
        self._send = send
        self._limit = limit
        self._name = name
        self._idle = idle_seconds
        self._received = 0
        self._refusal: tuple[ErrorCode, str] | None = None
        self._started = False

    def receiving(self, receive: Receive, decoder: "_Gunzip | None") -> Receive:
        async def counting_receive() -> Message:
            with anyio.move_on_after(self._idle) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                detail = (
                    f"The request body stopped arriving for {self._idle:g} seconds; send it again."
                )
                return self._refuse(ErrorCode.BODY_TIMEOUT, detail)
            body = message.get("body", b"")
            self._received += len(body)
            if self._received > self._limit:
                return self._refuse(ErrorCode.TOO_LARGE, _too_large_detail(self._limit, self._name))
            if decoder is None or message["type"] != "http.request":
                return message
            try:
                decoded = decoder.decode(body, final=not message.get("more_body", False))
            except zlib.error:
                return self._refuse(ErrorCode.NOT_GZIP, NOT_GZIP)
            except _Inflated:
                return self._refuse(
                    ErrorCode.TOO_LARGE, _too_large_detail(self._limit, self._name, decoded=True)
                )
            return {**message, "body": decoded}

        return counting_receive

    def _refuse(self, code: ErrorCode, detail: str) -> Message:
        self._refusal = (code, detail)
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self._refusal:
            await self.finish()
            return
        self._started = self._started or message["type"] == "http.response.start"
        await self._send(message)

    async def finish(self) -> None:
        if self._refusal and not self._started:
            self._started = True
            await send_error(self._send, *self._refusal)


class _Inflated(Exception):
    """The decoded body grew past the bound."""


class _Gunzip:
    """gzip decoded piece by piece, members one after another; never more than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._decoded = 0
        self._member = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)

    def decode(self, data: bytes, final: bool) -> bytes:
        out = []
        while data:
            piece = self._member.decompress(data, DECODED_PIECE)
            self._decoded += len(piece)
            if self._decoded > self._limit:
                raise _Inflated
            out.append(piece)
            data = self._member.unconsumed_tail
            if self._member.eof and self._member.unused_data:  # the next member of the stream
                data = self._member.unused_data
                self._member = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        if final and not self._member.eof:
            raise zlib.error("the stream ends inside a member")
        return b"".join(out)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _without_coding(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]


def _unsupported(coding: str, upload: bool) -> str:
    if upload:
        return (
            f"The request body is encoded as {coding[:40]!r}; send it as it is, or with "
            "Content-Encoding: gzip."
        )
    return (
        f"This route reads its body as it is; send it without Content-Encoding ({coding[:40]!r})."
    )


def _content_length(scope: Scope) -> int | None:
    try:
        return int(_header(scope, b"content-length"))
    except ValueError:
        return None


def _too_large_detail(limit: int, name: str, decoded: bool = False) -> str:
    what = "The request body, decoded," if decoded else "The request body"
    return f"{what} is larger than the {name} of {limit} bytes."


async def _too_large(send: Send, limit: int, name: str) -> None:
    await send_error(send, ErrorCode.TOO_LARGE, _too_large_detail(limit, name))
