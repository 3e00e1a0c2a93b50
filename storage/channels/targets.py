"""Where an application wants its alerts, per channel."""

from storage.records import Application


def email_targets(app: Application) -> list[str]:
    return list(app.alert_emails)


def sns_targets(app: Application) -> list[str]:
    return [app.alert_sns_topic_arn] if app.alert_sns_topic_arn else []
