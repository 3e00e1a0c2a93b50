"""Operators: sign-up, sign-in with argon2-hashed passwords, JWTs that logout revokes."""

import uuid
from datetime import timedelta
from typing import NamedTuple

import jwt
from passlib.context import CryptContext

from services.clock import new_id, now_text, utc_now
from services.errors import Conflict, ErrorCode, Unauthorized
from services.sign_in_throttle import SignInThrottle
from storage.errors import AlreadyExists
from storage.ports import RevokedTokens, Users
from storage.records import User

__all__ = ["AccountService", "IssuedToken", "User"]

ALGORITHM = "HS256"
BAD_CREDENTIALS = "Incorrect email or password."
BAD_TOKEN = "The access token is missing, invalid, expired or logged out; sign in again."


class IssuedToken(NamedTuple):
    access_token: str
    expires_in: int


class AccountService:
    def __init__(
        self,
        users: Users,
        revoked: RevokedTokens,
        jwt_secret: str,
        token_minutes: int,
        throttle: SignInThrottle,
        passwords: CryptContext | None = None,
    ) -> None:
        self._users = users
        self._throttle = throttle
        self._revoked = revoked
        self._secret = jwt_secret
        self._lifetime = timedelta(minutes=token_minutes)
        self._passwords = passwords or CryptContext(schemes=["argon2"], deprecated="auto")
        # Verified against when the email is unknown, so both failures take the same time.
        self._decoy_hash = self._passwords.hash(uuid.uuid4().hex)

    def register(self, email: str, password: str) -> tuple[User, IssuedToken]:
        user = User(
            user_id=new_id("usr"),
            email=email.lower(),
            password_hash=self._passwords.hash(password),
            created_at=now_text(),
        )
        try:
            self._users.add(user)
        except AlreadyExists as error:
            raise Conflict(
                "An operator with this email is already registered.", ErrorCode.EMAIL_TAKEN
            ) from error
        return user, self._issue(user)

    def login(self, email: str, password: str, client: str) -> IssuedToken:
        """A token for the right password; `client` (an address) is counted for throttling."""
        self._throttle.attempt(email, client)
        user = self._users.find_by_email(email.lower())
        known_hash = user.password_hash if user else self._decoy_hash
        valid, new_hash = self._passwords.verify_and_update(password, known_hash)
        if not valid or user is None:
            self._throttle.failed(client)
            raise Unauthorized(BAD_CREDENTIALS, ErrorCode.INVALID_CREDENTIALS)
        if new_hash is not None:  # hashed under parameters since changed: hash it anew
            self._users.replace(user.model_copy(update={"password_hash": new_hash}))
        return self._issue(user)

    def authenticate(self, token: str) -> User:
        # By email: the store's key, so a strongly consistent read even right after sign-up.
        claims = self._live_claims(token)
        user = self._users.find_by_email(claims["email"])
        if user is None or user.user_id != claims["sub"]:
            raise Unauthorized(BAD_TOKEN)
        return user

    def logout(self, token: str) -> None:
        claims = self._live_claims(token)
        self._revoked.add(claims["jti"], int(claims["exp"]))

    def _issue(self, user: User) -> IssuedToken:
        issued_at = utc_now()
        claims = {
            "sub": user.user_id,
            "email": user.email,
            "jti": uuid.uuid4().hex,
            "iat": issued_at,
            "exp": issued_at + self._lifetime,
        }
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token, int(self._lifetime.total_seconds()))

    def _live_claims(self, token: str) -> dict[str, str]:
        """The claims of a well-signed, unexpired token that was not logged out."""
        try:
            claims: dict[str, str] = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={"require": ["exp", "jti", "sub", "email"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(BAD_TOKEN) from error
        if self._revoked.contains(claims["jti"]):
            raise Unauthorized(BAD_TOKEN)
        return claims
