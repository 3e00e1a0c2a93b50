"""Outcomes of the product's rules that callers turn into answers (HTTP or otherwise)."""


class ServiceError(Exception):
    """Base of the errors below; the message is a sentence a person can act on."""


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
