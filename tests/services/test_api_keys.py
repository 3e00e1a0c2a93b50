"""API keys: issued once, verified as their application's, revoked, expiring; an application
reaches only its own keys."""

from datetime import timedelta

import pytest

from services.api_keys import KeyTerms
from services.clock import utc_now
from services.container import Services
from services.errors import ErrorCode, InvalidInput, NotFound, Unauthorized
from storage.records import Application, User
from tests.services.given import draft
from tests.support import eventually


def refusal(services: Services, secret: str) -> ErrorCode | None:
    """Why a machine client's request with this key is refused, as the routes check it: this
    instance's cache first, else storage; None when it is let in."""
    try:
        if services.api_keys.cached(secret) is None:
            services.api_keys.verify(secret)
    except Unauthorized as refused:
        return refused.code
    return None


def test_an_issued_key_verifies_as_its_application(services: Services, app: Application) -> None:
    key, secret = services.api_keys.issue(app, KeyTerms())
    assert secret.startswith("sk_")
    assert (key.name, key.prefix) == ("default", secret[:12])
    assert secret not in key.model_dump_json()
    verified = services.api_keys.verify(secret)
    assert (verified.app.id, verified.key.id) == (app.id, key.id)
    assert services.api_keys.cached(secret) == verified
    assert [listed.id for listed in services.api_keys.list(app)] == [key.id]


def test_a_revoked_key_is_refused(services: Services, app: Application) -> None:
    key, secret = services.api_keys.issue(app, KeyTerms(name="ci"))
    services.api_keys.verify(secret)
    services.api_keys.revoke(app, key.id)
    assert refusal(services, secret) == ErrorCode.INVALID_API_KEY
    (listed,) = services.api_keys.list(app)
    assert listed.revoked_at is not None


def test_an_application_cannot_revoke_or_list_another_ones_key(
    services: Services, app: Application, owner: User
) -> None:
    other = services.applications.create(owner, draft("Meters South"))
    key, secret = services.api_keys.issue(app, KeyTerms(name="ci"))
    with pytest.raises(NotFound) as missing:
        services.api_keys.revoke(other, key.id)
    assert missing.value.code == ErrorCode.NOT_FOUND
    assert services.api_keys.list(other) == []
    assert refusal(services, secret) is None


def test_keys_never_issued_are_refused(services: Services, app: Application) -> None:
    services.api_keys.issue(app, KeyTerms(name="ci"))
    for secret in ("", "not a key", "sk_" + "a" * 43):
        assert refusal(services, secret) == ErrorCode.INVALID_API_KEY


def test_a_key_is_refused_once_it_expires(services: Services, app: Application) -> None:
    # Stored to the second: two seconds from now is still at least a second away.
    _, secret = services.api_keys.issue(
        app, KeyTerms(name="ci", expires_at=utc_now() + timedelta(seconds=2))
    )
    services.api_keys.verify(secret)
    assert services.api_keys.cached(secret) is not None
    assert eventually(lambda: refusal(services, secret), timeout=10) == ErrorCode.INVALID_API_KEY
    with pytest.raises(Unauthorized):
        services.api_keys.verify(secret)


def test_a_key_cannot_expire_in_the_past(services: Services, app: Application) -> None:
    with pytest.raises(InvalidInput, match="future") as refusal:
        services.api_keys.issue(
            app, KeyTerms(name="ci", expires_at=utc_now() - timedelta(seconds=1))
        )
    assert refusal.value.code == ErrorCode.VALIDATION_FAILED
    assert services.api_keys.list(app) == []
