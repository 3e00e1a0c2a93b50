"""Alert channels: how people hear of an alert (a log line, SES email, SNS). They keep nothing."""
