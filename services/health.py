"""Whether the storage backend answers."""

from typing import NamedTuple

from storage.errors import StorageUnavailable
from storage.ports import Lifecycle


class HealthReport(NamedTuple):
    healthy: bool
    checks: dict[str, str]


class HealthService:
    def __init__(self, lifecycle: Lifecycle) -> None:
        self._lifecycle = lifecycle

    def check(self) -> HealthReport:
        try:
            return HealthReport(True, self._lifecycle.check())
        except StorageUnavailable as error:
            return HealthReport(False, {"storage": f"unreachable: {error}"})
