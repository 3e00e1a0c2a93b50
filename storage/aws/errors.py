"""The one place where boto3 failures become the storage errors services understand."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import ClientError, HTTPClientError, NoCredentialsError
from botocore.exceptions import ConnectionError as BotoConnectionError

from storage.errors import StorageUnavailable

# Throttling and transient service-side failures, still failing after botocore's own retries.
UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "TooManyRequestsException",
        "SlowDown",
        "ServiceUnavailable",
        "InternalServerError",
        "InternalFailure",
        "RequestTimeout",
        # A missing table or bucket, or a role without a permission: the deployment is broken,
        # which a client can only wait out, like an outage.
        "ResourceNotFoundException",
        "NoSuchBucket",
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "ExpiredTokenException",
    }
)
CONDITION_FAILED = "ConditionalCheckFailedException"


def error_code(error: ClientError) -> str:
    code: str = error.response.get("Error", {}).get("Code", "")
    return code


def is_unavailable(error: ClientError) -> bool:
    status: int = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return error_code(error) in UNAVAILABLE_CODES or status >= 500


@contextmanager
def translated(service: str, expected: frozenset[str] = frozenset()) -> Iterator[None]:
    """Outages, throttling and 5xx answers become StorageUnavailable; other errors pass.

    Codes in `expected` always pass, for callers that ask whether something exists.
    """
    try:
        yield
    except (BotoConnectionError, HTTPClientError) as error:
        raise StorageUnavailable(f"{service} is unreachable ({type(error).__name__})") from error
    except NoCredentialsError as error:
        raise StorageUnavailable(f"{service}: no AWS credentials were found") from error
    except S3UploadFailedError as error:
        raise StorageUnavailable(f"{service}: the upload failed") from error
    except ClientError as error:
        if error_code(error) not in expected and is_unavailable(error):
            raise StorageUnavailable(f"{service} answered {error_code(error)}") from error
        raise


class GuardedClient:
    """A boto3 client whose every call goes through `translated`, so no adapter repeats it.

    Only direct calls are guarded: paginators and waiters would call outside the wrapper,
    which is why the adapters page and poll by hand.
    """

    def __init__(self, client: Any, service: str, expected: frozenset[str] = frozenset()) -> None:
        self.raw = client
        self.service = service
        self._expected = expected

    def expecting(self, *codes: str) -> "GuardedClient":
        """This client, handing the caller these error codes as ClientError."""
        return GuardedClient(self.raw, self.service, frozenset(codes))

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.raw, name)
        if not callable(attribute):
            return attribute
        return self._guard(attribute)

    def _guard(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with translated(self.service, self._expected):
                return method(*args, **kwargs)

        return call
