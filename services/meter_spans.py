"""The span of each meter's readings in one upload: for the list of an application's meters,
and (for files of up to KEPT_METERS meters) to tell later whether anything changed them."""

from collections.abc import Callable, Iterable, Sequence

from storage.records import MeterSpan, ReadingRow

# A file of very many meters hands its spans over in parts, so memory stays bounded.
HAND_OVER_AT = 10_000
# Spans kept whole for the upload's own record; a file of more meters keeps none.
KEPT_METERS = 1_000


class MeterSpans:
    def __init__(self, hand_over: Callable[[Sequence[MeterSpan]], None]) -> None:
        self._hand_over = hand_over
        self._spans: dict[str, list[str]] = {}
        self._kept: list[MeterSpan] | None = []

    def observe(self, readings: Iterable[ReadingRow]) -> None:
        spans = self._spans
        for meter, timestamp, _ in readings:
            span = spans.get(meter)
            if span is None:
                spans[meter] = [timestamp, timestamp]
            elif timestamp < span[0]:
                span[0] = timestamp
            elif timestamp > span[1]:
                span[1] = timestamp
        if len(spans) >= HAND_OVER_AT:
            self.flush()

    def flush(self) -> None:
        if not self._spans:
            return
        spans = [
            MeterSpan(meter_id=meter, first_timestamp=first, last_timestamp=last)
            for meter, (first, last) in self._spans.items()
        ]
        self._hand_over(spans)
        if self._kept is not None and len(self._kept) + len(spans) <= KEPT_METERS:
            self._kept.extend(spans)
        else:
            self._kept = None
        self._spans = {}

    def kept(self) -> list[MeterSpan] | None:
        """Every meter's span, once flushed; None for a file of more than KEPT_METERS."""
        return self._kept
