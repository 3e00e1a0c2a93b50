"""Raw files in the S3 bucket, encrypted at rest, with their sha256 in the object metadata."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import ClientError

from storage.aws.errors import GuardedClient, error_code

MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchBucket"})
RETENTION_RULE = "wattkey-retention"
UPLOADS_PREFIX = "uploads/"


class S3Objects:
    def __init__(
        self, s3: GuardedClient, bucket: str, region: str, retention_days: int | None = None
    ) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._region = region
        self._retention_days = retention_days

    def prepare(self) -> None:
        self._create_bucket()
        if self._retention_days is not None:
            self._expire_uploads(self._retention_days)

    def _expire_uploads(self, days: int) -> None:
        """The lifecycle rule that deletes raw files (and errors files) `days` after they were
        written; the bucket's other rules stay. Written again on every start: idempotent."""
        try:
            rules = self._s3.expecting(
                "NoSuchLifecycleConfiguration"
            ).get_bucket_lifecycle_configuration(Bucket=self.bucket)["Rules"]
        except ClientError as error:
            if error_code(error) != "NoSuchLifecycleConfiguration":
                raise
            rules = []
        ours = {
            "ID": RETENTION_RULE,
            "Filter": {"Prefix": UPLOADS_PREFIX},
            "Status": "Enabled",
            "Expiration": {"Days": days},
        }
        others = [rule for rule in rules if rule.get("ID") != RETENTION_RULE]
        self._s3.put_bucket_lifecycle_configuration(
            Bucket=self.bucket, LifecycleConfiguration={"Rules": [*others, ours]}
        )

    def _create_bucket(self) -> None:
        try:
            self._s3.expecting(*MISSING_CODES).head_bucket(Bucket=self.bucket)
            return
        except ClientError as error:
            if not _is_missing(error):
                raise
        request: dict[str, object] = {"Bucket": self.bucket}
        if self._region != "us-east-1":
            request["CreateBucketConfiguration"] = {"LocationConstraint": self._region}
        try:
            self._s3.create_bucket(**request)
        except ClientError as error:
            if error_code(error) != "BucketAlreadyOwnedByYou":
                raise

    def put_file(self, key: str, source: Path, sha256: str) -> None:
        # upload_file streams from disk, in parallel parts for big files.
        self._s3.upload_file(
            str(source),
            self.bucket,
            key,
            ExtraArgs={"Metadata": {"sha256": sha256}, "ServerSideEncryption": "AES256"},
        )

    @contextmanager
    def fetch(self, key: str) -> Iterator[BinaryIO]:
        # An anonymous temporary file: never in memory, gone on close even after a crash.
        with tempfile.TemporaryFile(prefix="wattkey-object-") as handle:
            try:
                self._s3.download_fileobj(self.bucket, key, handle)
            except ClientError as error:
                if _is_missing(error):
                    raise FileNotFoundError(f"s3://{self.bucket}/{key}") from error
                raise
            handle.seek(0)
            yield handle

    def delete(self, key: str) -> None:
        self._s3.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> None:
        # By hand, not with a paginator: only direct calls go through the guarded client.
        listing: dict[str, object] = {"Bucket": self.bucket, "Prefix": prefix}
        while True:
            page = self._s3.list_objects_v2(**listing)
            keys = [{"Key": found["Key"]} for found in page.get("Contents", [])]
            if keys:  # at most 1,000 a page, as many as DeleteObjects takes
                self._s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
            if not page.get("IsTruncated"):
                return
            listing["ContinuationToken"] = page["NextContinuationToken"]


def _is_missing(error: ClientError) -> bool:
    return error_code(error) in MISSING_CODES
