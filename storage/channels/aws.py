"""Email through SES and messages to SNS topics."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from storage.channels.skipped import SkippedChannel
from storage.channels.targets import email_targets, sns_targets
from storage.errors import DeliveryFailed
from storage.records import Alert, AlertMessage, Application, ChannelName

SNS_SUBJECT_LIMIT = 100
NO_SENDER = "ALERT_FROM_EMAIL is not set; email alerts are skipped."


class SesEmailChannel:
    name: ChannelName = "email"

    def __init__(self, ses: Any, sender: str) -> None:
        self._ses = ses
        self._sender = sender

    def targets(self, app: Application) -> list[str]:
        return email_targets(app)

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        with _delivery("SES"):
            self._ses.send_email(
                Source=self._sender,
                Destination={"ToAddresses": [target]},
                Message={
                    "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": message.body, "Charset": "UTF-8"}},
                },
            )


def email_channel(ses: Any, sender: str | None) -> SesEmailChannel | SkippedChannel:
    """SES when a sender is configured; otherwise every email delivery is skipped, saying why."""
    if sender:
        return SesEmailChannel(ses, sender)
    return SkippedChannel("email", email_targets, NO_SENDER)


class SnsChannel:
    name: ChannelName = "sns"

    def __init__(self, sns: Any) -> None:
        self._sns = sns

    def targets(self, app: Application) -> list[str]:
        return sns_targets(app)

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        # SNS subjects must be printable ASCII of at most 100 characters; app names need not be.
        subject = message.subject.encode("ascii", "replace").decode()[:SNS_SUBJECT_LIMIT]
        with _delivery("SNS"):
            self._sns.publish(TopicArn=target, Subject=subject, Message=message.body)


@contextmanager
def _delivery(service: str) -> Iterator[None]:
    """Any boto3 failure becomes DeliveryFailed, which the alert service records and retries."""
    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "unknown")
        raise DeliveryFailed(f"{service} refused the message ({code}).") from error
    except BotoCoreError as error:
        raise DeliveryFailed(f"{service} could not be used ({type(error).__name__}).") from error
