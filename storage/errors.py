"""Failures every adapter reports the same way, so services never see boto3 or sqlite3 errors."""


class StorageError(Exception):
    """Base of the errors below."""


class AlreadyExists(StorageError):
    """A conditional create found the key taken."""


class InvalidCursor(StorageError):
    """A pagination cursor that this store did not hand out."""


class StorageUnavailable(StorageError):
    """The backing service is unreachable, throttling or failing; the caller may retry."""


class DeliveryFailed(StorageError):
    """An alert channel could not deliver; the message says why."""


class DeliverySkipped(StorageError):
    """An alert channel this deployment cannot use; the message says why."""
