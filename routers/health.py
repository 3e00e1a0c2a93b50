"""Liveness and readiness."""

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from routers.deps import ServicesDep

router = APIRouter(tags=["health"])


class Online(BaseModel):
    status: Literal["online"] = "online"
    service: str
    version: str


class Health(BaseModel):
    status: Literal["healthy", "unhealthy"]
    checks: dict[str, str]


@router.get("/")
async def health_root(request: Request) -> Online:
    return Online(service="wattkey", version=request.app.version)


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The storage backend is unreachable"}},
)
def health_check(services: ServicesDep) -> Any:
    report = services.health.check()
    if report.healthy:
        return Health(status="healthy", checks=report.checks)
    return JSONResponse(
        Health(status="unhealthy", checks=report.checks).model_dump(),
        status_code=503,
        headers={"Retry-After": "5"},
    )
