"""Operator sign-up, sign-in, tokens and logout."""

import httpx

from tests.support import Operator, ServerProcess, unique_email


def test_register_login_me(server: ServerProcess) -> None:
    email = unique_email()
    registered = httpx.post(
        f"{server.url}/auth/register", json={"email": email, "password": "a long password"}
    )
    assert registered.status_code == 201
    body = registered.json()
    assert body["email"] == email
    assert body["token_type"] == "bearer"
    assert body["user_id"]
    assert body["access_token"]
    login = httpx.post(
        f"{server.url}/auth/login", json={"email": email, "password": "a long password"}
    )
    assert login.status_code == 200
    token = login.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] > 0
    me = httpx.get(
        f"{server.url}/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["user_id"] == body["user_id"]
    assert me.json()["email"] == email
    assert me.json()["created_at"].endswith("Z")


def test_duplicate_email_is_409_case_insensitively(server: ServerProcess) -> None:
    email = unique_email()
    assert (
        httpx.post(
            f"{server.url}/auth/register", json={"email": email, "password": "12345678"}
        ).status_code
        == 201
    )
    again = httpx.post(
        f"{server.url}/auth/register", json={"email": email.upper(), "password": "12345678"}
    )
    assert again.status_code == 409
    assert "already" in again.json()["detail"]


def test_register_validation(server: ServerProcess) -> None:
    for body in (
        {"email": "not-an-email", "password": "12345678"},
        {"email": unique_email(), "password": "short"},
        {"email": unique_email()},
        {},
    ):
        response = httpx.post(f"{server.url}/auth/register", json=body)
        assert response.status_code == 422, body
        assert isinstance(response.json()["detail"], str)
        assert "short" not in response.text or body.get("password") != "short"


def test_login_failures_look_the_same(server: ServerProcess, operator: Operator) -> None:
    wrong = httpx.post(
        f"{server.url}/auth/login", json={"email": operator.email, "password": "wrong password"}
    )
    unknown = httpx.post(
        f"{server.url}/auth/login", json={"email": unique_email(), "password": "whatever1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_oauth2_token_form(server: ServerProcess, operator: Operator) -> None:
    response = httpx.post(
        f"{server.url}/auth/token", data={"username": operator.email, "password": "correct horse"}
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    bad = httpx.post(
        f"{server.url}/auth/token", data={"username": operator.email, "password": "nope"}
    )
    assert bad.status_code == 401


def test_logout_kills_that_token_only(server: ServerProcess, operator: Operator) -> None:
    second = httpx.post(
        f"{server.url}/auth/login", json={"email": operator.email, "password": "correct horse"}
    ).json()["access_token"]
    assert operator.client.post("/auth/logout").status_code == 204
    assert operator.client.get("/auth/me").status_code == 401
    assert operator.client.get("/apps").status_code == 401
    assert operator.client.post("/auth/logout").status_code == 401
    other = httpx.get(f"{server.url}/auth/me", headers={"Authorization": f"Bearer {second}"})
    assert other.status_code == 200


def test_missing_and_forged_tokens(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/auth/me").status_code == 401
    for token in ("garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x"):
        response = httpx.get(f"{server.url}/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert "detail" in response.json()


def test_login_and_token_each_take_json_or_the_password_form(
    server: ServerProcess, operator: Operator
) -> None:
    json_body = {"email": operator.email, "password": "correct horse"}
    form = {"username": operator.email, "password": "correct horse", "grant_type": "password"}
    for route in ("/auth/login", "/auth/token"):
        by_json = httpx.post(f"{server.url}{route}", json=json_body)
        by_form = httpx.post(f"{server.url}{route}", data=form)
        assert (by_json.status_code, by_form.status_code) == (200, 200), route
        assert by_form.json()["token_type"] == "bearer"


def test_a_sign_in_body_of_another_kind_says_what_to_send(server: ServerProcess) -> None:
    for route in ("/auth/login", "/auth/token"):
        not_json = httpx.post(
            f"{server.url}{route}",
            content=b"email=a@b.c",
            headers={"content-type": "application/json"},
        )
        assert not_json.status_code == 422
        assert not_json.json()["detail"].startswith("The request body is not valid JSON")
        text = httpx.post(
            f"{server.url}{route}", content=b"hi", headers={"content-type": "text/plain"}
        )
        assert text.status_code == 415
        assert "as a form with username" in text.json()["detail"]
        missing = httpx.post(f"{server.url}{route}", json={"email": "a@b.c"})
        assert missing.status_code == 422
        assert missing.json()["detail"].startswith("password:")
