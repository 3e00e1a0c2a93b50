"""The span of each meter's readings in one upload, for the list of an application's meters."""

from collections.abc import Callable, Iterable, Sequence

from storage.records import MeterSpan, ReadingRow

# A file of very many meters hands its spans over in parts, so memory stays bounded.
HAND_OVER_AT = 10_000


class MeterSpans:
    def __init__(self, hand_over: Callable[[Sequence[MeterSpan]], None]) -> None:
        self._hand_over = hand_over
        self._spans: dict[str, list[str]] = {}

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
        if self._spans:
            self._hand_over(
                [
                    MeterSpan(meter_id=meter, first_timestamp=first, last_timestamp=last)
                    for meter, (first, last) in self._spans.items()
                ]
            )
            self._spans = {}
