"""Operators' accounts: sign-up, sign-in, tokens that logout revokes, sign-ins throttled, and
passwords hashed anew at sign-in once the hashing parameters change."""

import pytest
from passlib.context import CryptContext

from services.accounts import AccountService
from services.container import Services
from services.errors import Conflict, ErrorCode, TooManyRequests, Unauthorized
from services.sign_in_throttle import SignInThrottle
from storage.ports import Storage
from tests.services.given import JWT_SECRET
from tests.support import FakeClock

PASSWORD = "correct horse battery"
CLIENT = "203.0.113.7"
ANOTHER_SECRET = "the jwt secret of another deployment entirely"
# Cheap to hash, and the same algorithm with stronger parameters, as a deployment moves on.
FIRST = CryptContext(
    schemes=["argon2"], argon2__time_cost=1, argon2__memory_cost=8192, deprecated="auto"
)
STRONGER = CryptContext(
    schemes=["argon2"], argon2__time_cost=2, argon2__memory_cost=16384, deprecated="auto"
)


def accounts(
    storage: Storage,
    passwords: CryptContext,
    throttle: SignInThrottle | None = None,
    jwt_secret: str = JWT_SECRET,
) -> AccountService:
    """An instance's account service with its own password hashing."""
    return AccountService(
        storage.users,
        storage.revoked_tokens,
        jwt_secret,
        60,
        throttle or SignInThrottle(),
        passwords,
    )


def parameters(password_hash: str) -> str:
    """`m=...,t=...,p=...` of an argon2 hash: its memory, time and parallelism."""
    return password_hash.split("$")[3]


def test_a_registered_operator_signs_in_and_is_known_by_each_token(services: Services) -> None:
    user, registered = services.accounts.register("Ada@Example.com", PASSWORD)
    assert user.email == "ada@example.com"
    assert registered.expires_in == 60 * 60
    signed_in = services.accounts.login("ADA@example.com", PASSWORD, CLIENT)
    assert services.accounts.authenticate(registered.access_token) == user
    assert services.accounts.authenticate(signed_in.access_token) == user


def test_an_email_registers_once_whatever_its_case(services: Services) -> None:
    services.accounts.register("ada@example.com", PASSWORD)
    with pytest.raises(Conflict, match="already registered") as taken:
        services.accounts.register("ADA@example.com", "another password")
    assert taken.value.code == ErrorCode.EMAIL_TAKEN


def test_a_wrong_password_and_an_unknown_email_are_refused_alike(services: Services) -> None:
    services.accounts.register("ada@example.com", PASSWORD)
    with pytest.raises(Unauthorized) as wrong:
        services.accounts.login("ada@example.com", "not the password", CLIENT)
    with pytest.raises(Unauthorized) as unknown:
        services.accounts.login("nobody@example.com", PASSWORD, CLIENT)
    assert wrong.value.code == unknown.value.code == ErrorCode.INVALID_CREDENTIALS
    assert str(wrong.value) == str(unknown.value) == "Incorrect email or password."


def test_a_logged_out_token_is_refused_and_the_others_still_work(services: Services) -> None:
    user, first = services.accounts.register("ada@example.com", PASSWORD)
    second = services.accounts.login("ada@example.com", PASSWORD, CLIENT)
    services.accounts.logout(first.access_token)
    with pytest.raises(Unauthorized) as refused:
        services.accounts.authenticate(first.access_token)
    assert refused.value.code == ErrorCode.INVALID_TOKEN
    with pytest.raises(Unauthorized):
        services.accounts.logout(first.access_token)
    assert services.accounts.authenticate(second.access_token) == user


def test_a_token_not_signed_by_this_deployment_is_refused(
    services: Services, storage: Storage
) -> None:
    elsewhere = accounts(storage, FIRST, jwt_secret=ANOTHER_SECRET)
    _, forged = elsewhere.register("ada@example.com", PASSWORD)
    for token in (forged.access_token, "not-a-token"):
        with pytest.raises(Unauthorized) as refused:
            services.accounts.authenticate(token)
        assert refused.value.code == ErrorCode.INVALID_TOKEN


def test_sign_ins_of_an_email_are_throttled_even_with_the_right_password(
    storage: Storage,
) -> None:
    clock = FakeClock()
    throttled = accounts(storage, FIRST, SignInThrottle(attempts_per_email=2, clock=clock))
    throttled.register("ada@example.com", PASSWORD)
    throttled.login("ada@example.com", PASSWORD, CLIENT)
    throttled.login("ada@example.com", PASSWORD, CLIENT)
    with pytest.raises(TooManyRequests) as refused:
        throttled.login("ada@example.com", PASSWORD, CLIENT)
    assert (refused.value.code, refused.value.retry_after) == (ErrorCode.RATE_LIMITED, 60)
    clock.advance(60)
    throttled.login("ada@example.com", PASSWORD, CLIENT)


def test_a_password_is_hashed_anew_at_sign_in_once_the_parameters_change(
    storage: Storage,
) -> None:
    user, _ = accounts(storage, FIRST).register("ada@example.com", PASSWORD)
    first_hash = user.password_hash
    assert parameters(first_hash).startswith("m=8192,t=1,")
    stronger = accounts(storage, STRONGER)

    token = stronger.login("ada@example.com", PASSWORD, CLIENT)

    stored = storage.users.find_by_email("ada@example.com")
    assert stored is not None
    assert parameters(stored.password_hash).startswith("m=16384,t=2,")
    assert stored.model_copy(update={"password_hash": first_hash}) == user
    assert stronger.authenticate(token.access_token).user_id == user.user_id
    stronger.login("ada@example.com", PASSWORD, CLIENT)
    again = storage.users.find_by_email("ada@example.com")
    assert again is not None
    assert again.password_hash == stored.password_hash  # current parameters: kept as it is


def test_a_wrong_password_changes_no_hash(storage: Storage) -> None:
    user, _ = accounts(storage, FIRST).register("ada@example.com", PASSWORD)
    with pytest.raises(Unauthorized):
        accounts(storage, STRONGER).login("ada@example.com", "not the password", CLIENT)
    assert storage.users.find_by_email("ada@example.com") == user
