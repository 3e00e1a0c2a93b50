"""Schemathesis against a real server per backend: every operation, with generated requests,
answers only what the OpenAPI document says (status, body, headers) and never a server error.

Run through its command line with tests/fuzz/schemathesis.toml, bounded in examples and time.
"""

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.backends import fresh_aws_env, local_env
from tests.support import ROOT, Operator, ServerProcess

CONFIG = Path(__file__).with_name("schemathesis.toml")
TIME_BUDGET_SECONDS = 240
SCHEMATHESIS = ROOT / ".venv" / "bin" / "schemathesis"


@pytest.mark.parametrize("backend", ["local", "aws"])
def test_every_operation_keeps_to_the_document(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "aws":
        env = fresh_aws_env(request.getfixturevalue("aws_servers"), tmp_path / "data")
    else:
        env = local_env(tmp_path / "data")
    server = ServerProcess(env=env, log_path=tmp_path / "server.log").start()
    try:
        operator = Operator.register(server.url)
        app = operator.create_app(threshold_kwh=1)
        key = operator.create_key(app["id"])
        credentials = {
            "WATTKEY_TOKEN": operator.token,
            "WATTKEY_API_KEY": key,
            "WATTKEY_APP_ID": app["id"],
        }
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(CONFIG),
                "run",
                f"{server.url}/openapi.json",
                "--workers",
                "1",
                "--seed",
                "20261201",
            ],
            env={**os.environ, **credentials},
            capture_output=True,
            text=True,
            timeout=TIME_BUDGET_SECONDS,
            cwd=tmp_path,
        )
    finally:
        server.stop()
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert "Server error" not in server.log()
