"""Bounds on request bodies: a size (413 before they fill memory or disk), and the time the
client may leave between two pieces of one (408, so a silent client cannot hold a connection)."""

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from routers.errors import send_detail

JSON_LIMIT = 1024 * 1024


class BodyLimitMiddleware:
    """An upload request may carry MAX_UPLOAD_BYTES in all; any other request 1 MiB."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int, idle_seconds: float) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.idle_seconds = idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, name = self._limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit, name)
            return
        received = 0
        refusal: str | None = None  # "size" or "time" once the body broke a bound
        started = False

        async def counting_receive() -> Message:
            nonlocal received, refusal
            with anyio.move_on_after(self.idle_seconds) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                refusal = "time"
                return {"type": "http.disconnect"}
            received += len(message.get("body", b""))
            if received > limit:
                refusal = "size"
                return {"type": "http.disconnect"}
            return message

        async def refuse() -> None:
            if refusal == "size":
                await _too_large(send, limit, name)
            else:
                detail = (
                    f"The request body stopped arriving for {self.idle_seconds:g} seconds; "
                    "send it again."
                )
                await send_detail(send, 408, detail)

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refusal:
                if not started:
                    started = True
                    await refuse()
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, guarded_send)
        if refusal and not started:
            await refuse()

    def _limit(self, path: str) -> tuple[int, str]:
        if path.endswith("/uploads"):
            return self.max_upload_bytes, "upload limit (MAX_UPLOAD_BYTES)"
        return JSON_LIMIT, "limit for requests other than uploads"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, limit: int, name: str) -> None:
    detail = f"The request body is larger than the {name} of {limit} bytes."
    await send_detail(send, 413, detail)
