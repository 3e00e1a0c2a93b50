"""How the server hands out the console's files: deep links, caching, and a console not built."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import anyio
import httpx
from fastapi import FastAPI

from routers.console import NOT_BUILT, console_router, missing_note
from tests.support import ROOT, ServerProcess


def test_deep_links_get_index_and_assets_are_cached(console_server: ServerProcess) -> None:
    with httpx.Client(base_url=console_server.url) as client:
        index = client.get("/console/apps/app_x/usage")
        assert index.status_code == 200
        assert index.headers["cache-control"] == "no-cache"
        assert '<div id="root">' in index.text
        assert client.get("/console").text == index.text
        script = re.search(r'src="(/console/assets/[^"]+\.js)"', index.text)
        assert script, index.text
        asset = client.get(script.group(1))
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "javascript" in asset.headers["content-type"]
        missing = client.get("/console/assets/gone-1234.js")
        assert missing.status_code == 404
        assert missing.json() == {
            "detail": "No such console file; reload the console.",
            "code": "not_found",
        }
        escape = client.get("/console/..%2F..%2Fserver.py")
        assert escape.text == index.text


def test_a_console_not_built_says_how_to_build_it(tmp_path: Path) -> None:
    app = FastAPI()
    app.include_router(console_router(tmp_path / "dist"))

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/console/apps")

    page = anyio.run(fetch)
    assert page.status_code == 200
    assert "make install" in page.text
    assert "Node.js 20" in page.text
    assert missing_note(tmp_path / "dist") == NOT_BUILT


def test_the_wheel_carries_the_built_console(console_dist: Path, tmp_path: Path) -> None:
    """`pip install .` serves the console too: the wheel holds console/dist."""
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w"]
    subprocess.run([*command, str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("wattkey-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "console/__init__.py" in names
    assert "console/dist/index.html" in names
    assert any(re.fullmatch(r"console/dist/assets/index-[\w-]+\.js", name) for name in names)
