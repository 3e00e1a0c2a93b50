"""Applications: an operator's own, and nobody else's; changed in part; deleted with their keys."""

import pytest

from services.api_keys import KeyTerms
from services.applications import ApplicationChanges
from services.container import Services
from services.errors import ErrorCode, NotFound, Unauthorized
from storage.records import Application, User
from tests.services.given import draft, operator


def test_an_operator_reaches_only_their_own_applications(services: Services, owner: User) -> None:
    other = operator("bob")
    first = services.applications.create(owner, draft("Meters North"))
    second = services.applications.create(owner, draft("Meters South"))
    theirs = services.applications.create(other, draft("Bob's meters"))

    assert [a.id for a in services.applications.list(owner)] == [first.id, second.id]
    assert [a.id for a in services.applications.list(other)] == [theirs.id]
    assert services.applications.get(owner, first.id) == first
    for app_id in (theirs.id, "app_never_made"):
        with pytest.raises(NotFound) as missing:
            services.applications.get(owner, app_id)
        assert missing.value.code == ErrorCode.NOT_FOUND
        assert str(missing.value) == "No application with this id."


def test_a_change_keeps_the_fields_it_does_not_name(
    services: Services, owner: User, app: Application
) -> None:
    changed = services.applications.change(
        app, ApplicationChanges(threshold_kwh=2.5, alert_emails=None)
    )
    assert changed.threshold_kwh == 2.5
    assert changed.alert_emails == []
    assert (changed.name, changed.domain, changed.created_at) == (
        app.name,
        app.domain,
        app.created_at,
    )
    assert services.applications.get(owner, app.id) == changed


def test_a_deleted_application_is_gone_and_its_keys_with_it(
    services: Services, owner: User, app: Application
) -> None:
    _, secret = services.api_keys.issue(app, KeyTerms(name="ci"))
    services.api_keys.verify(secret)
    services.applications.delete(app)
    with pytest.raises(NotFound):
        services.applications.get(owner, app.id)
    assert services.applications.list(owner) == []
    assert services.api_keys.cached(secret) is None
    with pytest.raises(Unauthorized):
        services.api_keys.verify(secret)
