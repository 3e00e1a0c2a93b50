"""The `wattkey` command as a user runs it: the installed console script, a process of its own."""

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

WATTKEY = Path(sys.executable).parent / "wattkey"
PYTHON_M_CLI = (sys.executable, "-m", "cli")
RUN_SECONDS = 150  # longer than the command's own two-minute retry window


def environment(url: str, key: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("WATTKEY_")}
    env["WATTKEY_URL"] = url
    if key is not None:
        env["WATTKEY_API_KEY"] = key
    return env


def run(
    url: str, key: str | None, *args: str | Path, command: Sequence[str | Path] = (WATTKEY,)
) -> subprocess.CompletedProcess[str]:
    """`wattkey ARGS` (or another `command`) to its end, with the url and key in the environment."""
    return subprocess.run(
        [*map(str, command), *map(str, args)],
        env=environment(url, key),
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )


def start(url: str, key: str, *args: str | Path, log: Path) -> subprocess.Popen[bytes]:
    """`wattkey ARGS` in the background, what it prints kept in `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(WATTKEY), *map(str, args)],
            env=environment(url, key),
            stdout=output,
            stderr=output,
        )


def uploads(client: httpx.Client) -> list[dict[str, Any]]:
    """Every upload of the client's application, newest first."""
    response = client.get("/uploads", params={"limit": 200})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def table_row(stdout: str, first_cell: str) -> list[str]:
    """The cells of the row of the printed table that starts with `first_cell`."""
    for line in stdout.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│|]", line)][1:-1]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row for {first_cell} in:\n{stdout}")
