"""Wattkey: the app factory and the entry point (`python server.py`)."""

import asyncio
import contextlib
import errno
import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path

import anyio
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

import console
from logging_config import configure_logging
from routers import (
    alerts,
    api_keys,
    applications,
    auth,
    health,
    meters,
    metrics,
    uploads,
    usage,
)
from routers.body_limit import BodyLimitMiddleware
from routers.console import console_router, missing_note
from routers.deps import KEY_HOLDER, OPERATOR
from routers.errors import UnexpectedErrorMiddleware, install_error_handlers
from routers.metrics import MetricsMiddleware
from routers.operation_ids import operation_id, operator_operation_id
from routers.password_work import create_limiter
from routers.rate_limit_headers import RateLimitHeaders
from routers.request_log import RequestLogMiddleware
from services.container import build_services
from services.metrics import MULTIPROCESS_FOLDER
from settings import Settings
from storage.factory import open_storage

logger = logging.getLogger("wattkey")
ALERT_RETRY_SECONDS = 60
RETENTION_SWEEP_SECONDS = 3600
# Each of these serves one application, as its key holder at `/...` and as its operator at
# `/app/{app_id}/...`.
APPLICATION_ROUTES = (uploads, usage, meters, alerts)


SWITCH_SECONDS = 0.0005


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    # Files are read on threads while requests wait on the event loop: a thread that gives up
    # the interpreter for I/O gets it back within this, not Python's default 5 ms.
    sys.setswitchinterval(SWITCH_SECONDS)
    # Swagger UI and ReDoc from files in the installed package, not a CDN.
    app = FastAPIOffline(
        title="Wattkey",
        version=version("wattkey"),
        description="Multi-tenant energy-usage data: operators, applications, API keys, "
        "CSV uploads, usage and threshold alerts.",
        lifespan=_lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    install_error_handlers(app)
    # Routes are matched in order: machine clients' routes, the busiest, come first.
    for router in (api_keys.key_holder_router, health.router, metrics.router):
        app.include_router(router)
    for module in APPLICATION_ROUTES:
        app.include_router(module.routes(KEY_HOLDER))
    for router in (auth.router, applications.router, api_keys.router):
        app.include_router(router)
    for module in APPLICATION_ROUTES:
        app.include_router(
            module.routes(OPERATOR),
            prefix="/app/{app_id}",
            generate_unique_id_function=operator_operation_id,
        )
    app.include_router(console_router(console.DIST))
    # Added innermost first: the request log and CORS headers wrap every answer, 500s too.
    app.add_middleware(RateLimitHeaders)
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        max_upload_bytes=settings.max_upload_bytes,
        idle_seconds=settings.request_body_timeout_seconds,
    )
    if settings.cors_origins:
        wildcard = settings.cors_origins == ["*"]
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=not wildcard,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestLogMiddleware)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    storage = open_storage(settings)
    await anyio.to_thread.run_sync(storage.lifecycle.prepare)
    services = build_services(settings, storage)
    app.state.services = services
    app.state.password_limiter = create_limiter()
    await anyio.to_thread.run_sync(services.spool.sweep)
    await anyio.to_thread.run_sync(services.uploads.resume_unfinished)
    await anyio.to_thread.run_sync(services.purge.resume)
    periodic = [
        asyncio.create_task(_every(ALERT_RETRY_SECONDS, services.alerts.retry_failed)),
        # Uploads another instance (or worker) left when it died are taken over from here.
        asyncio.create_task(
            _every(settings.upload_sweep_seconds, services.uploads.resume_unfinished)
        ),
    ]
    if services.retention is not None:  # on the aws backend TTL and lifecycle rules do it
        periodic.append(
            asyncio.create_task(
                _every(RETENTION_SWEEP_SECONDS, services.retention.sweep, at_once=True)
            )
        )
    logger.info(
        "Wattkey %s is serving http://%s:%s on the %s backend, %s",
        app.version,
        settings.app_host,
        settings.app_port,
        storage.backend,
        storage.location,
        extra={"backend": storage.backend, "storage": storage.location},
    )
    if note := missing_note(console.DIST):
        logger.warning(note)
    try:
        yield
    finally:
        for task in periodic:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        services.api_keys.close()
        await anyio.to_thread.run_sync(services.uploads.close)
        await anyio.to_thread.run_sync(services.purge.close)
        storage.lifecycle.close()


async def _every(seconds: float, work: Callable[[], object], at_once: bool = False) -> None:
    """Run `work` on a thread every `seconds` (first at once, or after `seconds`); a failure
    is logged and tried again later."""
    if not at_once:
        await asyncio.sleep(seconds)
    while True:
        try:
            await anyio.to_thread.run_sync(work)
        except Exception:
            logger.exception("periodic work failed", extra={"work": work.__qualname__})
        await asyncio.sleep(seconds)


def _check_port_free(host: str, port: int) -> None:
    """Say which setting to change when the port is taken, before uvicorn says it less clearly."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            sys.exit(
                f"wattkey: port {port} on {host} is already in use by another program; "
                "stop it, or start Wattkey on another port with APP_PORT=<port>."
            )


def main() -> None:
    try:
        settings = Settings()
        settings.signing_secrets()
    except ValueError as error:  # pydantic's ValidationError is one too
        sys.exit(f"wattkey: {error}")
    _check_port_free(settings.app_host, settings.app_port)
    shared_metrics = _metrics_folder(settings.web_concurrency)
    try:
        uvicorn.run(
            "server:create_app",
            factory=True,
            host=settings.app_host,
            port=settings.app_port,
            workers=settings.web_concurrency,
            log_config=None,
            access_log=False,
            proxy_headers=True,
        )
    finally:
        if shared_metrics is not None:
            shutil.rmtree(shared_metrics, ignore_errors=True)


def _metrics_folder(workers: int) -> Path | None:
    """With several workers, a fresh folder where each keeps its metrics for /metrics to add
    up. Named in the environment before they start: prometheus_client reads it on import.

    Workers that exit leave their files: counters and histograms of a run never go down.
    (prometheus_client's mark_process_dead concerns only live gauges, which there are none of.)
    """
    if workers == 1:
        return None
    folder = Path(tempfile.mkdtemp(prefix="wattkey-metrics-"))
    os.environ[MULTIPROCESS_FOLDER] = str(folder)
    return folder


if __name__ == "__main__":
    main()
