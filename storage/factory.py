"""Picks the backend named by STORAGE_BACKEND."""

from settings import Settings
from storage.local.backend import open_local_storage
from storage.ports import Storage


def open_storage(settings: Settings) -> Storage:
    if settings.storage_backend == "aws":
        from storage.aws.backend import open_aws_storage

        return open_aws_storage(settings)
    return open_local_storage(settings.data_dir)
