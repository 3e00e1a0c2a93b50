"""The aws backend against its real dependencies: startup, SES and SNS alerts, outages."""

import json
import threading
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from tests.aws_servers import AwsServers, dynamodb_local, moto_server
from tests.e2e.backends import aws_client, fresh_aws_env
from tests.support import Operator, ServerProcess, machine

BREACHING = b"meter_id,timestamp,kwh\nm1,2025-01-01T00:00:00Z,0.5\nm1,2025-01-01T01:00:00Z,7\n"


def test_two_instances_starting_together_on_an_empty_account(
    aws_servers: AwsServers, tmp_path: Path
) -> None:
    env = fresh_aws_env(aws_servers, tmp_path / "data")
    servers = [ServerProcess(env=env, log_path=tmp_path / f"log{n}") for n in range(2)]
    failures: list[BaseException] = []

    def start(server: ServerProcess) -> None:
        try:
            server.start(timeout=120)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=start, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failures == []
        operator = Operator.register(servers[0].url)
        app = operator.create_app()
        operator.client.base_url = httpx.URL(servers[1].url)
        assert operator.client.get(f"/app/{app['id']}").json() == app
        # Asked by name: ListTables pages at 100 tables, and the test servers hold many more.
        usage = aws_client(env, "dynamodb").describe_table(TableName=env["USAGE_TABLE"])
        assert usage["Table"]["TableStatus"] == "ACTIVE"
    finally:
        for server in servers:
            server.stop()


def test_an_alert_reaches_ses_and_sns(server: ServerProcess, operator: Operator) -> None:
    if server.env["STORAGE_BACKEND"] != "aws":
        pytest.skip("SES and SNS are used by the aws backend only")
    sns, sqs, ses = (aws_client(server.env, name) for name in ("sns", "sqs", "ses"))
    topic = sns.create_topic(Name=f"alerts-{operator.email.split('@')[0]}")["TopicArn"]
    queue_url = sqs.create_queue(QueueName=topic.rsplit(":", 1)[1])["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])
    sent_before = ses.get_send_quota()["SentLast24Hours"]
    app = operator.create_app(
        threshold_kwh=5, alert_emails=["oncall@example.com"], alert_sns_topic_arn=topic
    )
    with machine(server.url, operator.create_key(app["id"])) as client:
        report = client.post("/uploads", files={"files": ("a.csv", BREACHING)}).json()
        alert = client.get("/alerts").json()["items"][0]
    assert alert["alert_id"] == report["uploads"][0]["alert_id"]
    statuses = {(d["channel"], d["target"]): d["status"] for d in alert["deliveries"]}
    assert statuses[("email", "oncall@example.com")] == "sent"
    assert statuses[("sns", topic)] == "sent"
    assert ses.get_send_quota()["SentLast24Hours"] == sent_before + 1
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2)["Messages"]
    notification = json.loads(messages[0]["Body"])
    assert "above 5 kWh" in notification["Subject"]
    assert "m1" in notification["Message"]


def test_an_unknown_topic_is_recorded_as_failed_not_fatal(
    server: ServerProcess, operator: Operator
) -> None:
    if server.env["STORAGE_BACKEND"] != "aws":
        pytest.skip("SES and SNS are used by the aws backend only")
    missing_topic = "arn:aws:sns:us-east-1:123456789012:no-such-topic"
    app = operator.create_app(threshold_kwh=5, alert_sns_topic_arn=missing_topic)
    with machine(server.url, operator.create_key(app["id"])) as client:
        upload = client.post("/uploads", files={"files": ("a.csv", BREACHING)})
        assert upload.status_code == 201
        assert upload.json()["uploads"][0]["status"] == "completed"
        (sns,) = [
            d
            for d in client.get("/alerts").json()["items"][0]["deliveries"]
            if d["channel"] == "sns"
        ]
    assert sns["status"] == "failed"
    assert sns["error"]


def test_an_s3_outage_is_503_and_the_rest_keeps_serving(
    aws_servers: AwsServers, tmp_path: Path
) -> None:
    with moto_server() as own_moto:
        own = replace(aws_servers, moto_url=own_moto)
        server = ServerProcess(env=fresh_aws_env(own, tmp_path / "data"), log_path=tmp_path / "log")
        server.env.update({f"AWS_ENDPOINT_URL_{s}": own_moto for s in ("S3", "SES", "SNS")})
        server.start()
        operator = Operator.register(server.url)
        key = operator.create_key(operator.create_app()["id"])
    try:
        with machine(server.url, key) as client:
            health = httpx.get(f"{server.url}/health", timeout=30)
            assert health.status_code == 503
            assert health.json()["status"] == "unhealthy"
            upload = client.post("/uploads", files={"files": ("a.csv", BREACHING)})
            assert upload.status_code == 503
            assert upload.headers["retry-after"]
            assert "retry" in upload.json()["detail"]
            assert client.get("/uploads").json()["items"] == []
            assert client.get("/usage").status_code == 200
            assert client.get("/protected").status_code == 200
    finally:
        server.stop()


def test_a_dynamodb_outage_is_503(aws_servers: AwsServers, tmp_path: Path) -> None:
    with dynamodb_local() as own_dynamodb:
        own = replace(aws_servers, dynamodb_url=own_dynamodb)
        server = ServerProcess(env=fresh_aws_env(own, tmp_path / "data"), log_path=tmp_path / "log")
        server.start()
        operator = Operator.register(server.url)
    try:
        assert httpx.get(f"{server.url}/health", timeout=30).status_code == 503
        login = httpx.post(
            f"{server.url}/auth/login",
            json={"email": operator.email, "password": "correct horse"},
            timeout=30,
        )
        assert login.status_code == 503
        assert login.json()["detail"]
        assert "Traceback" not in login.text
        assert httpx.get(f"{server.url}/", timeout=30).status_code == 200
    finally:
        server.stop()
