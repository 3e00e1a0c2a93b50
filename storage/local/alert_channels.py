"""Alert channels of the local backend: a structured log line; email and SNS need the cloud."""

import logging

from storage.records import Alert, AlertMessage, Application, ChannelName

logger = logging.getLogger("wattkey.alerts")


class LogChannel:
    name: ChannelName = "log"

    def targets(self, app: Application) -> list[str]:
        return [logger.name]

    def unavailable_reason(self) -> str | None:
        return None

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


class CloudOnlyChannel:
    """Email or SNS on the local backend: recorded as skipped, with the reason."""

    def __init__(self, name: ChannelName) -> None:
        self.name = name

    def targets(self, app: Application) -> list[str]:
        if self.name == "email":
            return list(app.alert_emails)
        return [app.alert_sns_topic_arn] if app.alert_sns_topic_arn else []

    def unavailable_reason(self) -> str | None:
        return f"The local backend does not send {self.name} alerts; use STORAGE_BACKEND=aws."

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        raise NotImplementedError(self.unavailable_reason())
