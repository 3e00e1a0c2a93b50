"""Alert channels of the aws backend: email through SES, SNS topics, and the log line."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from storage.aws.errors import error_code
from storage.errors import DeliveryFailed
from storage.local.alert_channels import LogChannel
from storage.records import Alert, AlertMessage, Application, ChannelName

__all__ = ["LogChannel", "SesEmailChannel", "SnsChannel"]

SNS_SUBJECT_LIMIT = 100


class SesEmailChannel:
    name: ChannelName = "email"

    def __init__(self, ses: Any, sender: str | None) -> None:
        self._ses = ses
        self._sender = sender

    def targets(self, app: Application) -> list[str]:
        return list(app.alert_emails)

    def unavailable_reason(self) -> str | None:
        if self._sender:
            return None
        return "ALERT_FROM_EMAIL is not set; email alerts are skipped."

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


class SnsChannel:
    name: ChannelName = "sns"

    def __init__(self, sns: Any) -> None:
        self._sns = sns

    def targets(self, app: Application) -> list[str]:
        return [app.alert_sns_topic_arn] if app.alert_sns_topic_arn else []

    def unavailable_reason(self) -> str | None:
        return None

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
        raise DeliveryFailed(f"{service} refused the message ({error_code(error)}).") from error
    except BotoCoreError as error:
        raise DeliveryFailed(f"{service} could not be used ({type(error).__name__}).") from error
