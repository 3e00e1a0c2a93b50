"""Which value columns a file's readings come from, once the whole file has said what kind
each one is: one quantity given twice is read once."""

import re
from dataclasses import replace
from typing import Literal

from services.csv_reader.columns import vocabulary
from services.csv_reader.columns.vocabulary import says
from services.csv_reader.layout import Quantity

# What a column's values over the whole file say of it, where its name says nothing.
Judged = Literal["register", "energy", "rising", "still"]


def settled(found: list[Quantity], judged: dict[int, Judged]) -> list[Quantity]:
    """The quantities with their kinds as the whole file's values judged them.

    A column that never moved, or rose too few times to tell, is a register beside another
    register of the file (the night tariff by day, export at night, a young export register
    beside the import one), else interval energy."""
    moving = any(q.kind == "register" or judged.get(q.column) == "register" for q in found)
    kinds: list[Quantity] = []
    for quantity in found:
        verdict = judged.get(quantity.column)
        if quantity.kind_open and verdict is not None:
            register = verdict == "register" or (verdict in ("still", "rising") and moving)
            quantity = replace(quantity, kind="register" if register else "energy")
        kinds.append(quantity)
    return preferred(kinds)


def preferred(found: list[Quantity]) -> list[Quantity]:
    """Energy over power or a register of the same channel; a register over power; an
    import over a net value (import less export) beside it; a total over its tariffs."""
    gross = [q for q in found if q.channel == "" and not says(q.source, vocabulary.NET_WORDS)]
    if gross:
        found = [q for q in found if not says(q.source, vocabulary.NET_WORDS)]
    found = _totals_over_parts(_totals_over_named_parts(_site_over_devices(found)))
    found = _one_total_a_channel(_load_beside_import(found))
    if any(q.kind != "power" for q in found):
        # Undirected power beside energy is the same energy as an average, or a device's.
        found = [q for q in found if q.kind != "power" or vocabulary.direction_of(q.source)]
    by_channel: dict[str, set[str]] = {}
    for quantity in found:
        by_channel.setdefault(quantity.channel, set()).add(quantity.kind)
    kept = []
    for quantity in found:
        kinds = by_channel[quantity.channel]
        if "energy" in kinds and quantity.kind != "energy":
            continue
        if "register" in kinds and quantity.kind == "power":
            continue
        kept.append(quantity)
    return kept


def finest(found: list[Quantity], minutes: dict[int, int | None]) -> list[Quantity]:
    """Of two resolutions of one channel, the finer one (an `Interval` column says)."""
    kept = []
    for quantity in found:
        rivals = [
            known
            for q in found
            if q.channel == quantity.channel and (known := minutes[q.column]) is not None
        ]
        own = minutes[quantity.column]
        if own is None or own == min(rivals):
            kept.append(quantity)
    return kept


def _totals_over_parts(found: list[Quantity]) -> list[Quantity]:
    """A total register beside its tariff registers (ET beside VT and MT, 1.8.0 beside 1.8.1
    and 1.8.2): the total alone, or the sum would count it twice."""
    groups: dict[tuple[str, str, str], list[Quantity]] = {}
    for quantity in found:
        base = " ".join(re.sub(vocabulary.TARIFF_TOKENS, " ", quantity.source).split())
        groups.setdefault((quantity.channel, quantity.kind, base), []).append(quantity)
    dropped: set[int] = set()
    for members in groups.values():
        totals = [q for q in members if says(q.source, vocabulary.TOTAL_TOKENS)]
        if len(members) > 1 and len(totals) == 1:
            dropped.update(q.column for q in members if q is not totals[0])
    return [q for q in found if q.column not in dropped]


def _totals_over_named_parts(found: list[Quantity]) -> list[Quantity]:
    """A column whose name begins other columns' names of its channel is their total
    (`Solarproduktion` beside `Solarproduktion Tracker 1` and `Tracker 2`)."""
    dropped = {
        part.column
        for total in found
        for part in found
        if part is not total
        and part.channel == total.channel
        and part.source.startswith(total.source + " ")
    }
    return [q for q in found if q.column not in dropped]


def _site_over_devices(found: list[Quantity]) -> list[Quantity]:
    """A device's share (a wallbox's, a battery's) beside the site's own column of that
    channel is part of it, not more of it."""
    site = {q.channel for q in found if not says(q.source, vocabulary.DEVICE_WORDS)}
    return [
        q for q in found if q.channel not in site or not says(q.source, vocabulary.DEVICE_WORDS)
    ]


def _load_beside_import(found: list[Quantity]) -> list[Quantity]:
    """Of a column naming grid import and one naming consumption, the consumption is the
    site's load (`Netzbezug` and `Hausverbrauch`)."""
    imports = [q for q in found if q.channel == "" and says(q.source, vocabulary.IMPORT_WORDS)]
    if not imports:
        return found
    return [
        replace(q, channel="load") if q.channel == "" and q not in imports else q for q in found
    ]


def _one_total_a_channel(found: list[Quantity]) -> list[Quantity]:
    """Of a channel's columns, the one named as the total (`Σ Verbrauch`, `Total generation`,
    `総発電量`) beside its parts is the channel's quantity: the parts are in it already."""
    kept = []
    for quantity in found:
        same = [q for q in found if q.channel == quantity.channel and q.kind == quantity.kind]
        totals = [q for q in same if says(q.source, vocabulary.TOTAL_TOKENS)]
        if len(same) < 2 or len(totals) != 1 or quantity is totals[0]:
            kept.append(quantity)
    return kept
