"""Totals of readings per time bucket, for usage summaries, shared by both adapters."""

from bisect import bisect_right
from collections.abc import Sequence

from storage.records import BucketTotal, RangeTotals


class Buckets:
    """Buckets [edges[i], edges[i+1]) over stored UTC text, filled reading by reading or by
    partial totals that each lie inside one bucket."""

    def __init__(self, edges: Sequence[str]) -> None:
        self._edges = edges
        self.totals = [BucketTotal() for _ in range(len(edges) - 1)]
        self.channels: dict[str, float] = {}

    def index(self, timestamp: str) -> int:
        """The bucket of `timestamp`: -1 before the first, len(totals) from the last edge on."""
        return bisect_right(self._edges, timestamp) - 1

    def add(
        self, timestamp: str, kwh: float, max_kwh: float, readings: int = 1, channel: str = ""
    ) -> None:
        index = self.index(timestamp)
        if channel and 0 <= index < len(self.totals):
            self.channels[channel] = self.channels.get(channel, 0.0) + kwh
        elif 0 <= index < len(self.totals):
            total = self.totals[index]
            total.kwh += kwh
            total.readings += readings
            if total.max_kwh is None or max_kwh > total.max_kwh:
                total.max_kwh = max_kwh

    def range_totals(self) -> RangeTotals:
        return RangeTotals(self.totals, self.channels)
