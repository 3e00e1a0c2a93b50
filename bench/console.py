"""The web console's budgets: its JavaScript gzipped, and how fast a big usage chart draws.

Prints the gzipped size of the built JavaScript (every console/dist/assets/*.js, gzip level 9;
budget 250 KB), then opens the real console in headless Chromium on a real `python server.py`
(local backend, temporary DATA_DIR), answers its usage summary itself with 35,040 buckets (a
year of 15-minute readings, more than the server's 10,000-bucket limit: this measures the page,
not the server), and prints the time from the chart's creation to its first drawing, read from
the console's own performance marks (budget: under a second).

    python -m bench.console [--runs 5] [--screenshot usage.png]
"""

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, Route, sync_playwright

import console
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.backends import local_env
from tests.support import Operator, ServerProcess

POINTS = 35_040
JS_BUDGET_KB = 250
DRAW_BUDGET_MS = 1000
DRAW_TIME = """() => {
  const start = performance.getEntriesByName('usage-chart-start').at(-1);
  const drawn = performance.getEntriesByName('usage-chart-drawn')
    .find((mark) => start && mark.startTime >= start.startTime);
  return drawn ? drawn.startTime - start.startTime : null;
}"""


def gzipped_javascript_kb() -> float:
    scripts = sorted((console.DIST / "assets").glob("*.js"))
    if not scripts:
        sys.exit("bench.console: console/dist has no JavaScript; run make install with Node 20+.")
    return sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in scripts) / 1000


def big_summary() -> dict[str, object]:
    """35,040 quarter-hour buckets of one meter, shaped as GET /usage/summary answers."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    buckets = []
    for step in range(POINTS):
        begins = start + timedelta(minutes=15 * step)
        kwh = round(0.3 + (step % 96) / 100 + (step % 7) / 10, 3)
        buckets.append(
            {
                "start": begins.isoformat(),
                "end": (begins + timedelta(minutes=15)).isoformat(),
                "kwh": kwh,
                "max_kwh": kwh,
                "readings": 1,
            }
        )
    return {
        "interval": "hour",
        "timezone": "UTC",
        "meter_id": None,
        "start": buckets[0]["start"],
        "end": buckets[-1]["end"],
        "total_kwh": round(sum(float(str(b["kwh"])) for b in buckets), 3),
        "channels": {},
        "buckets": buckets,
    }


def json_answer(body: object) -> Callable[[Route], None]:
    payload = json.dumps(body)

    def fulfil(route: Route) -> None:
        route.fulfill(content_type="application/json", body=payload)

    return fulfil


def answer_usage(page: Page, summary: dict[str, object]) -> None:
    meters = {
        "items": [
            {
                "meter_id": "bench-1",
                "first_timestamp": summary["start"],
                "last_timestamp": summary["end"],
            }
        ],
        "next_cursor": None,
    }

    page.route("**/app/*/meters?*", json_answer(meters))
    page.route("**/app/*/usage/summary?*", json_answer(summary))


def draw_times(
    url: str, token: str, app_id: str, runs: int, screenshot: Path | None
) -> list[float]:
    summary = big_summary()
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.add_init_script(f"sessionStorage.setItem('wattkey.token', {json.dumps(token)})")
        answer_usage(page, summary)
        for _ in range(runs):
            page.goto(f"{url}/console/apps/{app_id}/usage")
            page.wait_for_function(f"({DRAW_TIME})() !== null", timeout=60_000)
            times.append(page.evaluate(DRAW_TIME))
        if screenshot:
            page.screenshot(path=screenshot, full_page=True)
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, help="save the usage page drawn last here")
    args = parser.parse_args()

    kb = gzipped_javascript_kb()
    verdict = "within" if kb <= JS_BUDGET_KB else "OVER"
    print(f"console JavaScript, gzip -9: {kb:.1f} KB ({verdict} the {JS_BUDGET_KB} KB budget)")

    with tempfile.TemporaryDirectory() as scratch:
        server = ServerProcess(
            env=local_env(Path(scratch) / "data"), log_path=Path(scratch) / "server.log"
        ).start()
        try:
            operator = Operator.register(server.url)
            app = operator.create_app(threshold_kwh=1.5)
            times = draw_times(server.url, operator.token, app["id"], args.runs, args.screenshot)
        finally:
            server.stop()
    median = statistics.median(times)
    verdict = "within" if max(times) < DRAW_BUDGET_MS else "OVER"
    print(
        f"usage chart of {POINTS:,} points, creation to first drawing: median {median:.0f} ms, "
        f"worst {max(times):.0f} ms of {len(times)} runs ({verdict} the {DRAW_BUDGET_MS} ms budget)"
    )


if __name__ == "__main__":
    main()
