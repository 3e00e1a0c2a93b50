"""The web console at `/console`: its production build, or a page saying how to build it.

A path that names a built file gets that file; any other path gets `index.html`, so that a deep
link such as `/console/apps/<id>/keys` opens the app, which routes in the browser. Hashed assets
never change and are cached for a year; `index.html` is revalidated every time.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from routers.errors import ApiError
from services.errors import ErrorCode

ASSET_CACHE = "public, max-age=31536000, immutable"
NOT_BUILT = (
    "The web console is not built: install Node.js 20 or newer and run `make install` "
    "(it runs npm ci and npm run build into console/dist)."
)
NOT_BUILT_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wattkey console</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>Wattkey console</h1><p>{NOT_BUILT}</p>
<p>The API works without it: see <a href="/docs">/docs</a>.</p></body></html>"""


def missing_note(dist: Path) -> str | None:
    """A one-line note for the startup log when the console has not been built."""
    return None if (dist / "index.html").is_file() else NOT_BUILT


def console_router(dist: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    root = dist.resolve()

    @router.get("/console", response_model=None)
    @router.get("/console/{path:path}", response_model=None)
    async def console(path: str = "") -> FileResponse | HTMLResponse:
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT_PAGE, headers={"Cache-Control": "no-cache"})
        wanted = (root / path).resolve()
        if path and wanted.is_relative_to(root) and wanted.is_file():
            cache = ASSET_CACHE if wanted.parent.name == "assets" else "no-cache"
            return FileResponse(wanted, headers={"Cache-Control": cache})
        if path.startswith("assets/"):
            raise ApiError(ErrorCode.NOT_FOUND, "No such console file; reload the console.")
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return router
