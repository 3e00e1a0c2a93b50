"""`GET /metrics` for Prometheus, and the middleware that counts and times every request by
its route template (`/app/{app_id}/usage`), never by its path, which holds ids."""

import time

from fastapi import APIRouter, Response
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services import metrics

# Out of the OpenAPI document: it is for Prometheus, not for the API's clients.
router = APIRouter(include_in_schema=False)


@router.get("/metrics", response_class=Response)
def metrics_text() -> Response:
    # A plain `def`: with several workers the figures are read from their files.
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: dict[int, str] | None = None  # by id(): routes are not hashable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_code = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            metrics.observe_request(
                self._template(scope), scope["method"], status_code, time.perf_counter() - started
            )

    def _template(self, scope: Scope) -> str:
        """The matched route's full template. The router leaves the route in the scope, but an
        included router's route knows only its own part (`/usage`), not the prefix."""
        route = scope.get("route")
        if route is None:
            return metrics.UNMATCHED
        if self._templates is None:  # every route exists by the first request
            self._templates = _full_templates(scope["app"].routes)
        path: str = getattr(route, "path", metrics.UNMATCHED)
        return self._templates.get(id(route), path)


def _full_templates(routes: list[BaseRoute]) -> dict[int, str]:
    templates: dict[int, str] = {}
    for context in iter_route_contexts(routes):
        if context.path:
            templates.setdefault(id(context.original_route), context.path)
    return templates
