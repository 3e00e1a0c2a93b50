"""A channel this deployment cannot use: each of its deliveries is recorded as skipped."""

from collections.abc import Callable

from storage.errors import DeliverySkipped
from storage.records import Alert, AlertMessage, Application, ChannelName


class SkippedChannel:
    def __init__(
        self, name: ChannelName, targets: Callable[[Application], list[str]], reason: str
    ) -> None:
        self.name = name
        self._targets = targets
        self._reason = reason

    def targets(self, app: Application) -> list[str]:
        return self._targets(app)

    def send(self, alert: Alert, message: AlertMessage, target: str) -> None:
        raise DeliverySkipped(self._reason)
