"""The process's Prometheus metrics, moved by the services and the HTTP middleware, and their
text for `GET /metrics`.

No label ever carries an application, a key or a user: a label value is one of a few known
words or a route template, so the number of series stays small whatever the traffic.

With several workers (`PROMETHEUS_MULTIPROC_DIR` set before prometheus_client is imported),
each worker writes its values to files in that folder and the answer sums every worker's.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "unmatched"  # the route of a request that matched none, never its raw path
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER_METHOD = "other"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

HTTP_REQUESTS = Counter(
    "wattkey_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ("route", "method", "status"),
)
HTTP_DURATION = Histogram(
    "wattkey_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template and method.",
    ("route", "method"),
    buckets=LATENCY_BUCKETS,
)
UPLOADS = Counter(
    "wattkey_uploads",
    "Uploads finished, by outcome: completed, failed, or duplicate (answered by an earlier one).",
    ("outcome",),
)
READINGS_INGESTED = Counter(
    "wattkey_readings_ingested", "Readings accepted from the files of completed uploads."
)
ALERT_DELIVERIES = Counter(
    "wattkey_alert_deliveries",
    "Alert deliveries attempted, by channel and outcome (sent, failed, skipped).",
    ("channel", "outcome"),
)
KEY_VERIFICATIONS = Counter(
    "wattkey_key_verifications",
    "API keys checked for a request, by outcome and by cache: true when this instance's "
    "cache answered.",
    ("outcome", "cache"),
)

_ObservedPair = tuple[Counter, Histogram]
# Label lookups take a lock each; the children of a route, method and status are looked up
# once and kept. The keys are bounded: route templates, known methods, statuses.
_http_children: dict[tuple[str, str, int], _ObservedPair] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _http_children.get(key)
    if children is None:
        verb = method if method in METHODS else OTHER_METHOD
        children = _http_children.setdefault(
            key, (HTTP_REQUESTS.labels(route, verb, str(status)), HTTP_DURATION.labels(route, verb))
        )
    children[0].inc()
    children[1].observe(seconds)


def upload_finished(outcome: str, readings: int = 0) -> None:
    UPLOADS.labels(outcome).inc()
    if readings:
        READINGS_INGESTED.inc(readings)


def alert_delivered(channel: str, outcome: str) -> None:
    ALERT_DELIVERIES.labels(channel, outcome).inc()


def key_verified(outcome: str, cached: bool) -> None:
    KEY_VERIFICATIONS.labels(outcome, "true" if cached else "false").inc()


def exposition() -> bytes:
    """Every metric in Prometheus text: this process's, or every worker's when there are
    several."""
    if not os.environ.get(MULTIPROCESS_FOLDER):
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)
