"""Wattkey: the app factory and the entry point (`python server.py`)."""

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

import anyio
import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from logging_config import configure_logging
from routers import api_keys, applications, auth, health
from routers.app_data import data_router
from routers.body_limit import BodyLimitMiddleware
from routers.deps import get_key_application, get_owned_application
from routers.errors import install_error_handlers
from routers.request_log import RequestLogMiddleware
from services.platform import Services, build_services
from settings import Settings
from storage.factory import open_storage

logger = logging.getLogger("wattkey")
ALERT_RETRY_SECONDS = 60


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_format)
    app = FastAPI(
        title="Wattkey",
        version=version("wattkey"),
        description="Multi-tenant energy-usage data: operators, applications, API keys, "
        "CSV uploads, usage and threshold alerts.",
        lifespan=_lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for router in (health.router, auth.router, applications.router, api_keys.router):
        app.include_router(router)
    app.include_router(data_router(get_key_application, tag="machine clients"))
    app.include_router(data_router(get_owned_application, tag="console"), prefix="/app/{app_id}")
    app.add_middleware(BodyLimitMiddleware, max_upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        wildcard = settings.cors_origins == ["*"]
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=not wildcard,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestLogMiddleware)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    storage = open_storage(settings)
    await anyio.to_thread.run_sync(storage.lifecycle.prepare)
    services = build_services(settings, storage)
    app.state.services = services
    await anyio.to_thread.run_sync(services.ingestion.resume_unfinished)
    retrying = asyncio.create_task(_retry_alerts_forever(services))
    logger.info("wattkey started", extra={"backend": storage.backend})
    try:
        yield
    finally:
        retrying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await retrying
        await anyio.to_thread.run_sync(services.ingestion.close)
        storage.lifecycle.close()


async def _retry_alerts_forever(services: Services) -> None:
    while True:
        await asyncio.sleep(ALERT_RETRY_SECONDS)
        try:
            await anyio.to_thread.run_sync(services.alerts.retry_failed)
        except Exception:
            logger.exception("retrying alert deliveries failed")


def main() -> None:
    try:
        settings = Settings()
        settings.signing_secrets()
    except ValueError as error:  # pydantic's ValidationError is one too
        sys.exit(f"wattkey: {error}")
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


if __name__ == "__main__":
    main()
