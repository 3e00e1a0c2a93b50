"""The layout as the whole file's evidence settles it: decimal marks, day or month first,
registers, the interval, stamps a second early; and the notices that say what was judged
from values rather than read from names."""

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from services.csv_reader.columns import quantities, vocabulary
from services.csv_reader.evidence.gather import Evidence
from services.csv_reader.layout import Layout, Quantity, Times, Wide
from services.csv_reader.series import cells
from services.csv_reader.series.cells import DateOrder

SPAN_ENDS = (
    "The stamps run from one interval after midnight to a midnight: each is read as the end "
    "of its interval."
)
LATE_STARTS = (
    "Every stamp falls a second after a full interval (`…:00:01`): each is read as the start "
    "of its interval."
)
ORDER_WORDS = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}


def settled(layout: Layout, evidence: Evidence, upload_zone: str | None) -> Layout:
    """`upload_zone`: the upload's zone, whose habits say day or month first when no date
    does."""
    order, notices = _date_order(layout, evidence, upload_zone)
    found = _with_marks(layout.candidates, evidence)
    found = _with_numbers(found, evidence)
    found, flipped = _positive(found, evidence.negative)
    notices += [
        f"The column {layout.name_of(q.column)!r} writes its {q.channel} as negative numbers; "
        "they are read as positive."
        for q in flipped
    ]
    kinds = quantities.settled(found, evidence.registers)  # type: ignore[arg-type]
    notices += [
        f"The column {layout.name_of(q.column)!r} was read as a register (a meter reading "
        "that only grows), judged by its values over the whole file."
        for q in kinds
        if q.kind_open and q.kind == "register"
    ]
    time = layout.time
    step = layout.step if isinstance(time, Wide) else evidence.step
    if isinstance(time, Times):
        if time.kind in ("date_hour", "date_number"):
            time = replace(time, first_number=evidence.first_number)
        if evidence.early_by is not None:
            time = replace(time, early_by=evidence.early_by, at_end=True)
            notices.append(_ends_notice(evidence.early_by))
        elif evidence.span is not None and evidence.span.ends(
            replace(layout, date_order=order), step
        ):
            time = replace(time, at_end=True)
            notices.append(SPAN_ENDS)
        elif evidence.late_by is not None:
            time = replace(time, early_by=-evidence.late_by)
            notices.append(LATE_STARTS)
    settled = replace(
        layout,
        date_order=order,
        quantities=tuple(kinds),
        time=time,
        step=step,
        gas_meters=evidence.gas_meters,
        newest_first=evidence.newest_first,
    )
    return settled.noticed(*notices, *_gas_notice(evidence.gas_meters))


def _gas_notice(meters: frozenset[str]) -> list[str]:
    if not meters:
        return []
    which = "the file's meter" if meters == {""} else ", ".join(sorted(m for m in meters if m))
    return [f"Rows in m³ show that {which} measures gas: its rows in kWh are read as gas (`:gas`)."]


def _ends_notice(early_by: timedelta) -> str:
    if early_by:
        what = "second" if early_by == timedelta(seconds=1) else "minute"
        return (
            f"Every stamp falls a {what} before a full interval (`…:59`): each is read as "
            "the end of its interval."
        )
    return (
        "The times of day run to 24:00 and never show 00:00: each is read as the end of its "
        "interval."
    )


def _date_order(
    layout: Layout, evidence: Evidence, upload_zone: str | None
) -> tuple[DateOrder | None, list[str]]:
    if evidence.date_order is not None:
        said = []
        if evidence.order_by_sequence:
            said.append(
                f"No date says whether the day or the month comes first; read "
                f"{ORDER_WORDS[evidence.date_order]}, as the dates follow each other a day "
                "apart that way."
            )
        return evidence.date_order, said
    if not evidence.ambiguous_dates:
        return None, []
    european = vocabulary.any_says(layout.header, vocabulary.EUROPEAN_WORDS)
    named = layout.zone if layout.zone_source == "file" else None
    zone = named.key if isinstance(named, ZoneInfo) else upload_zone
    order = cells.habitual_order(layout.delimiter == ";", european, zone)
    why = (
        "as `;` files and European exports write them"
        if layout.delimiter == ";" or european
        else f"as exports of {zone} write them"
        if zone
        else "as files without a time zone most often do"
    )
    return order, [
        f"No date says whether the day or the month comes first; read {ORDER_WORDS[order]}, {why}."
    ]


def _with_marks(found: tuple[Quantity, ...], evidence: Evidence) -> list[Quantity]:
    marks = evidence.decimals
    shared = next(iter(marks.values()), None) if len(marks) == 1 else None
    return [replace(q, decimal=marks.get(q.column, shared or q.decimal)) for q in found]


def _positive(
    found: list[Quantity], negative: frozenset[int]
) -> tuple[list[Quantity], list[Quantity]]:
    """Export or generation written as negative numbers (`-4,377`): read as the amount it is."""
    flipped = [q for q in found if q.column in negative and q.scale is not None]
    turned = {q.column for q in flipped}
    return [
        replace(q, scale=-q.scale) if q.column in turned and q.scale is not None else q
        for q in found
    ], flipped


def _with_numbers(found: list[Quantity], evidence: Evidence) -> list[Quantity]:
    """Value columns without a number in any row are no quantities (NaN columns), unless
    no column has one: then every row says its value is missing."""
    holding = [q for q in found if evidence.has_numbers.get(q.column, True)]
    return holding or found
