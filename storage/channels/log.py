"""The log channel: one structured warning line per alert, on every backend."""

import logging

from storage.records import Alert, AlertMessage, Application, ChannelName

logger = logging.getLogger("wattkey.alerts")


class LogChannel:
    name: ChannelName = "log"

    def targets(self, app: Application) -> list[str]:
        return [logger.name]

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        logger.warning(
            message.subject,
            extra={
                "event": "alert",
                "alert_id": alert.alert_id,
                "app_id": alert.app_id,
                "upload_id": alert.upload_id,
                "threshold_kwh": alert.threshold_kwh,
                "breach_count": alert.breach_count,
                "max_kwh": alert.max_kwh,
            },
        )
