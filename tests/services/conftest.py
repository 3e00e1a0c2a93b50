"""The services as a running instance builds them, over real storage: each test runs on the
local backend and on the aws one (DynamoDB Local and moto), with fresh stores."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from services.container import Services, build_services
from settings import Settings
from storage.ports import Storage
from storage.records import Application, User
from tests.contract import conftest as contract
from tests.services.given import JWT_SECRET, PEPPER, draft, operator

# The storage contract's fixtures: `storage` is each backend in turn.
open_aws = contract.open_aws
aws_storage = contract.aws_storage
storage = contract.storage


@pytest.fixture
def services(storage: Storage, tmp_path: Path) -> Iterator[Services]:
    settings = Settings(
        data_dir=tmp_path / "instance",
        jwt_secret=SecretStr(JWT_SECRET),
        api_key_pepper=SecretStr(PEPPER),
    )
    built = build_services(settings, storage)
    yield built
    # Stopped as the server stops them when it shuts down.
    built.api_keys.close()
    built.uploads.close()
    built.purge.close()


@pytest.fixture
def owner() -> User:
    return operator("ada")


@pytest.fixture
def app(services: Services, owner: User) -> Application:
    return services.applications.create(owner, draft())
