"""Threshold alerts: consumption above the threshold breaches, one alert per upload, sent on
the channels the application has, listed newest first a page at a time."""

import pytest

from services.alerts import BreachTracker
from services.container import Services
from services.errors import InvalidCursor
from storage.records import Application, Reading, User
from tests.services.given import draft


def breaches(threshold_kwh: float, *readings: Reading) -> BreachTracker:
    tracker = BreachTracker(threshold_kwh)
    tracker.observe(readings)
    return tracker


def test_an_upload_above_the_threshold_raises_one_alert_of_its_consumption(
    services: Services, app: Application
) -> None:
    seen = breaches(
        1.0,
        Reading("home", "2025-01-01T00:00:00Z", 2.5),
        Reading("home", "2025-01-01T01:00:00Z", 0.5),
        Reading("home:export", "2025-01-01T01:00:00Z", 9.0),
        Reading("home", "2025-01-01T02:00:00Z", 1.5),
    )

    alert_id = services.alerts.raise_alert(app, "up_0001", seen)
    assert services.alerts.raise_alert(app, "up_0001", seen) == alert_id

    (alert,) = services.alerts.list(app, 10, None).items
    assert (alert.alert_id, alert.upload_id) == (alert_id, "up_0001")
    assert (alert.breach_count, alert.max_kwh, alert.threshold_kwh) == (2, 2.5, 1.0)
    assert [(b.meter_id, b.timestamp) for b in alert.breaches] == [
        ("home", "2025-01-01T00:00:00Z"),
        ("home", "2025-01-01T02:00:00Z"),
    ]
    # No emails or SNS topic on this application: the log is its one channel.
    assert [(d.channel, d.status) for d in alert.deliveries] == [("log", "sent")]


def test_alerts_are_listed_newest_first_a_page_at_a_time_for_their_application_only(
    services: Services, app: Application, owner: User
) -> None:
    other = services.applications.create(owner, draft("Meters South"))
    seen = breaches(1.0, Reading("home", "2025-01-01T00:00:00Z", 2.0))
    for upload_id in ("up_0001", "up_0002", "up_0003"):
        services.alerts.raise_alert(app, upload_id, seen)

    first = services.alerts.list(app, 2, None)
    rest = services.alerts.list(app, 2, first.next_cursor)

    assert [a.upload_id for a in first.items + rest.items] == ["up_0003", "up_0002", "up_0001"]
    assert rest.next_cursor is None
    assert services.alerts.list(other, 10, None).items == []
    with pytest.raises(InvalidCursor):
        services.alerts.list(other, 2, first.next_cursor)
