"""A failed alert delivery is recorded, then retried until it goes through (real SNS on moto)."""

from services.alerts import AlertService, BreachTracker
from services.cursors import CursorSeal
from storage.ports import Storage
from storage.records import Reading
from tests.aws_servers import AwsServers, new_prefix, server_client
from tests.contract.test_storage_contract import application


def test_a_failed_sns_delivery_is_retried(aws_storage: Storage, aws_servers: AwsServers) -> None:
    topic_name = new_prefix() + "late-topic"
    topic = f"arn:aws:sns:us-east-1:123456789012:{topic_name}"
    app = application("owner").model_copy(update={"alert_sns_topic_arn": topic})
    aws_storage.applications.put(app)
    service = AlertService(
        aws_storage.alerts,
        aws_storage.applications,
        aws_storage.alert_channels,
        CursorSeal("secret"),
    )
    breaches = BreachTracker(1.0)
    breaches.observe([Reading("m1", "2025-01-01T00:00:00Z", 2.5)])

    alert_id = service.raise_alert(app, "up_0001", breaches)
    (failed,) = [
        d
        for d in aws_storage.alerts.get(app.id, alert_id).deliveries  # type: ignore[union-attr]
        if d.channel == "sns"
    ]
    assert failed.status == "failed"
    assert [a.alert_id for a in aws_storage.alerts.list_with_failed_deliveries()] == [alert_id]

    sns = server_client("sns", aws_servers.moto_url)
    assert sns.create_topic(Name=topic_name)["TopicArn"] == topic
    service.retry_failed()
    retried = aws_storage.alerts.get(app.id, alert_id)
    assert retried is not None
    (sent,) = [d for d in retried.deliveries if d.channel == "sns"]
    assert (sent.status, sent.attempts, sent.error) == ("sent", 2, None)
    assert aws_storage.alerts.list_with_failed_deliveries() == []
    assert service.raise_alert(app, "up_0001", breaches) == alert_id
    assert len(aws_storage.alerts.list_recent(app.id, 10, None).items) == 1
