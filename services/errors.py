"""Outcomes of the product's rules that callers turn into answers (HTTP or otherwise).

Each outcome carries a stable `ErrorCode`: the name clients branch on, where the sentence
is for the person reading it.
"""

from enum import StrEnum

from storage.errors import InvalidCursor, StorageUnavailable


class ErrorCode(StrEnum):
    """Every error's machine-readable name; a published name never changes meaning."""

    NOT_FOUND = "not_found"
    APPLICATION_DELETED = "application_deleted"
    EMAIL_TAKEN = "email_taken"
    IN_PROGRESS = "in_progress"
    VALIDATION_FAILED = "validation_failed"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_CREDENTIALS = "invalid_credentials"
    INVALID_TOKEN = "invalid_token"
    MISSING_TOKEN = "missing_token"
    INVALID_API_KEY = "invalid_api_key"
    MISSING_API_KEY = "missing_api_key"
    MISSING_SCOPE = "missing_scope"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    NOT_GZIP = "not_gzip"
    BODY_TIMEOUT = "body_timeout"
    CLIENT_DISCONNECTED = "client_disconnected"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    RATE_LIMITED = "rate_limited"
    BUSY = "busy"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    INTERNAL_ERROR = "internal_error"


class ServiceError(Exception):
    """Base of the errors below; the message is a sentence a person can act on."""

    code = ErrorCode.VALIDATION_FAILED
    retry_after: int | None = None  # seconds, when trying again later can succeed

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    """Nothing the subject may see has this id."""

    code = ErrorCode.NOT_FOUND


class Conflict(ServiceError):
    """The request clashes with what exists (an email already registered)."""

    code = ErrorCode.EMAIL_TAKEN


class InvalidInput(ServiceError):
    """Well-formed but unacceptable input."""

    code = ErrorCode.VALIDATION_FAILED


class Unauthorized(ServiceError):
    """Missing, wrong, expired or revoked credentials."""

    code = ErrorCode.INVALID_TOKEN


class TooLarge(ServiceError):
    """An upload above MAX_UPLOAD_BYTES."""

    code = ErrorCode.TOO_LARGE


class TooManyRequests(ServiceError):
    """Over a limit; `retry_after` says in how many seconds to try again."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InProgress(Conflict):
    """The same request is still being answered; `retry_after` says when to ask again."""

    code = ErrorCode.IN_PROGRESS

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# Storage failures that reach callers through any service, as the storage layer raises them.
__all__ = [
    "Conflict",
    "ErrorCode",
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
