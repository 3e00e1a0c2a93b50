"""Liveness and readiness."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from routers.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/")
async def root(request: Request) -> dict[str, str]:
    return {"status": "online", "service": "wattkey", "version": request.app.version}


@router.get("/health", responses={503: {"description": "The storage backend is unreachable"}})
def health(services: ServicesDep) -> Any:
    report = services.health.check()
    if report.healthy:
        return {"status": "healthy", "checks": report.checks}
    return JSONResponse(
        {"status": "unhealthy", "checks": report.checks},
        status_code=503,
        headers={"Retry-After": "5"},
    )
