"""Outcomes of the product's rules that callers turn into answers (HTTP or otherwise)."""

from storage.errors import InvalidCursor, StorageUnavailable


class ServiceError(Exception):
    """Base of the errors below; the message is a sentence a person can act on."""

    retry_after: int | None = None  # seconds, when trying again later can succeed


class NotFound(ServiceError):
    """Nothing the subject may see has this id."""


class Conflict(ServiceError):
    """The request clashes with what exists (an email already registered)."""


class InvalidInput(ServiceError):
    """Well-formed but unacceptable input."""


class Unauthorized(ServiceError):
    """Missing, wrong, expired or revoked credentials."""


class TooLarge(ServiceError):
    """An upload above MAX_UPLOAD_BYTES."""


class TooManyRequests(ServiceError):
    """Over a limit; `retry_after` says in how many seconds to try again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InProgress(Conflict):
    """The same request is still being answered; `retry_after` says when to ask again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# Storage failures that reach callers through any service, as the storage layer raises them.
__all__ = [
    "Conflict",
    "InProgress",
    "InvalidCursor",
    "InvalidInput",
    "NotFound",
    "ServiceError",
    "StorageUnavailable",
    "TooLarge",
    "TooManyRequests",
    "Unauthorized",
]
