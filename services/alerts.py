"""Threshold alerts: one per upload with breaches, sent on every channel, failures retried."""

import logging
from collections.abc import Iterable, Sequence

from services import metrics
from services.clock import now_text
from services.csv_reader import is_consumption
from services.cursors import CursorSeal
from storage.errors import DeliveryFailed, DeliverySkipped
from storage.ports import AlertChannel, Alerts, Applications
from storage.records import Alert, AlertMessage, Application, Breach, Delivery, Page, ReadingRow

__all__ = ["Alert", "AlertService", "BreachTracker"]

KEPT_BREACHES = 20
MAX_ATTEMPTS = 5
logger = logging.getLogger(__name__)


class BreachTracker:
    """Counts consumption readings above a threshold; keeps the first few and the largest.
    Export, generation, gas and load channels never breach: they are not what a threshold
    on usage is about."""

    def __init__(self, threshold_kwh: float | None) -> None:
        self.threshold_kwh = threshold_kwh
        self.count = 0
        self.max_kwh = float("-inf")
        self.first: list[Breach] = []

    def observe(self, readings: Iterable[ReadingRow]) -> None:
        threshold = self.threshold_kwh
        if threshold is None:
            return
        for meter_id, timestamp, kwh in readings:
            if kwh > threshold and is_consumption(meter_id):
                self._add(meter_id, timestamp, kwh)

    def _add(self, meter_id: str, timestamp: str, kwh: float) -> None:
        self.count += 1
        self.max_kwh = max(self.max_kwh, kwh)
        if len(self.first) < KEPT_BREACHES:
            self.first.append(Breach(meter_id=meter_id, timestamp=timestamp, kwh=kwh))


class AlertService:
    def __init__(
        self,
        alerts: Alerts,
        applications: Applications,
        channels: Sequence[AlertChannel],
        cursors: CursorSeal,
    ) -> None:
        self._alerts = alerts
        self._cursors = cursors
        self._applications = applications
        self._channels = {channel.name: channel for channel in channels}

    def raise_alert(self, app: Application, upload_id: str, breaches: BreachTracker) -> str:
        """Record the upload's one alert and deliver it; safe to repeat after a crash."""
        assert breaches.threshold_kwh is not None
        alert = Alert(
            alert_id=upload_id.replace("up_", "al_", 1),
            app_id=app.id,
            upload_id=upload_id,
            threshold_kwh=breaches.threshold_kwh,
            breach_count=breaches.count,
            max_kwh=breaches.max_kwh,
            breaches=breaches.first,
            created_at=now_text(),
        )
        if not self._alerts.add(alert):
            existing = self._alerts.get(app.id, alert.alert_id)
            if existing is None or existing.deliveries:
                return alert.alert_id
            alert = existing
        delivered = alert.model_copy(update={"deliveries": list(self._deliver_all(alert, app))})
        self._alerts.put(delivered)
        return alert.alert_id

    def list(self, app: Application, limit: int, cursor: str | None) -> Page[Alert]:
        return self._cursors.page(
            f"alerts:{app.id}",
            cursor,
            lambda opened: self._alerts.list_recent(app.id, limit, opened),
        )

    def retry_failed(self) -> None:
        """Send again every delivery that failed, up to MAX_ATTEMPTS each."""
        for alert in self._alerts.list_with_failed_deliveries():
            app = self._applications.get(alert.app_id)
            if app is None:
                continue
            deliveries = [self._retry(alert, app, delivery) for delivery in alert.deliveries]
            self._alerts.put(alert.model_copy(update={"deliveries": deliveries}))

    def _deliver_all(self, alert: Alert, app: Application) -> Iterable[Delivery]:
        for channel in self._channels.values():
            for target in channel.targets(app):
                yield self._send(channel, alert, app, target, attempts=1)

    def _retry(self, alert: Alert, app: Application, delivery: Delivery) -> Delivery:
        if delivery.status != "failed" or delivery.attempts >= MAX_ATTEMPTS:
            return delivery
        channel = self._channels[delivery.channel]
        return self._send(channel, alert, app, delivery.target, attempts=delivery.attempts + 1)

    def _send(
        self, channel: AlertChannel, alert: Alert, app: Application, target: str, attempts: int
    ) -> Delivery:
        delivery = self._attempt(channel, alert, app, target, attempts)
        metrics.alert_delivered(delivery.channel, delivery.status)
        return delivery

    def _attempt(
        self, channel: AlertChannel, alert: Alert, app: Application, target: str, attempts: int
    ) -> Delivery:
        try:
            channel.send(alert, compose_message(alert, app), target)
        except DeliverySkipped as skipped:
            return Delivery(
                channel=channel.name, target=target, status="skipped", error=str(skipped)
            )
        except DeliveryFailed as error:
            logger.warning(
                "alert delivery failed", extra={"alert_id": alert.alert_id, "channel": channel.name}
            )
            return Delivery(
                channel=channel.name,
                target=target,
                status="failed",
                error=str(error),
                attempts=attempts,
            )
        return Delivery(channel=channel.name, target=target, status="sent", attempts=attempts)


def compose_message(alert: Alert, app: Application) -> AlertMessage:
    subject = (
        f"Wattkey alert for {app.name}: {alert.breach_count} reading(s) above "
        f"{alert.threshold_kwh:g} kWh"
    )
    lines = [
        f"Upload {alert.upload_id} of application {app.name} ({app.id}) has "
        f"{alert.breach_count} reading(s) above {alert.threshold_kwh:g} kWh; "
        f"the highest is {alert.max_kwh:g} kWh.",
        "",
        *(f"{b.meter_id}  {b.timestamp}  {b.kwh:g} kWh" for b in alert.breaches),
    ]
    if alert.breach_count > len(alert.breaches):
        lines.append(f"... and {alert.breach_count - len(alert.breaches)} more.")
    return AlertMessage(subject, "\n".join(lines))
