"""The IETF RateLimit fields on every answer to a limited key, a 429 included:
`RateLimit-Policy: "rate";q=10;w=60` and `RateLimit: "rate";r=9;t=42`."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.key_limits import LimitState


class RateLimitHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_limits(message: Message) -> None:
            limits: list[LimitState] | None = scope.get("state", {}).get("rate_limits")
            if message["type"] == "http.response.start" and limits:
                message["headers"] = [*message.get("headers", []), *_fields(limits)]
            await send(message)

        await self.app(scope, receive, send_with_limits)


def _fields(limits: list[LimitState]) -> list[tuple[bytes, bytes]]:
    policy = ", ".join(f'"{s.name}";q={s.requests};w={s.window_seconds}' for s in limits)
    state = ", ".join(f'"{s.name}";r={s.remaining};t={s.reset}' for s in limits)
    return [(b"ratelimit-policy", policy.encode()), (b"ratelimit", state.encode())]
