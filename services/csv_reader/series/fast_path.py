"""The generic layout's hot loop: a meter, one timestamp and one kWh number a row.

Rows it takes become readings with a few operations each; anything else, or any doubt, goes
the general way, which also words the errors. Both give the same reading for the same row.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from services.csv_reader.layout import Layout, Times
from services.csv_reader.series import cells
from services.csv_reader.series.clock import ZoneDays, utc_text
from services.csv_reader.series.points import guarded_id
from services.csv_reader.series.readings import Reading
from services.csv_reader.series.series import MAX_KWH, MIN_KWH

if TYPE_CHECKING:
    from datetime import tzinfo

STAMP_CACHE = 8192
GUARDS = ("'", "=", '"')
MAX_METER_ID = 200
# Characters 4, 7, 10, 13, 16 and 19 of 'YYYY-MM-DDTHH:MM:SSZ': text of that length with these
# is already in the stored shape once datetime.fromisoformat accepts it.
UTC_SEPARATORS = "--T::Z"


def fast_path_for(layout: Layout) -> "FastPath | None":
    time = layout.time
    (quantity, *others) = layout.quantities
    simple = (
        isinstance(time, Times)
        and time.kind == "moment"
        and not time.at_end
        and not others
        and quantity.kind == "energy"
        and quantity.scale == 1.0
        and quantity.channel == ""
        and quantity.unit_column is None
        and quantity.factor_column is None
        and layout.type_column is None
        and quantity.decimal == "."
    )
    return FastPath(layout) if simple else None


class _Stamps(dict[str, str]):
    """Stamp text -> UTC text, for stamps that name one moment; others raise ValueError."""

    def __init__(self, zone: "tzinfo", day_first: bool) -> None:
        super().__init__()
        self._days = ZoneDays(zone)
        self._day_first = day_first

    def __missing__(self, stamp: str) -> str:
        if len(self) >= STAMP_CACHE:
            self.clear()
        try:
            moment = cells.moment(stamp, self._day_first)
        except cells.Missing:
            raise ValueError(stamp) from None
        if moment.tzinfo is None:
            fixed = self._days[moment.date()]
            if fixed is None:  # a day the clocks change: the general way decides
                raise ValueError(stamp)
            moment = moment.replace(tzinfo=fixed)
        try:
            utc = self[stamp] = utc_text(moment)
        except OverflowError:
            raise ValueError(stamp) from None
        return utc


class FastPath:
    def __init__(self, layout: Layout) -> None:
        assert isinstance(layout.time, Times)
        self._width = layout.width
        self._meter = -1 if layout.meter_column is None else layout.meter_column
        self._default = layout.meter_id
        self._stamp = layout.time.first
        self._usage = layout.quantities[0].column
        self._stamps = _Stamps(layout.zone, layout.day_first)

    def read(
        self,
        rows: Iterable[list[str]],
        readings: list[Reading],
        otherwise: Callable[[list[str]], None],
    ) -> int:
        """Append the readings of plain rows; hand every other row to `otherwise`, in order.

        Returns how many rows it read. Locals instead of attributes: this is the hot loop.
        """
        add = readings.append
        new_tuple = tuple.__new__  # skips the NamedTuple's Python-level __new__: ~0.07 µs a row
        from_iso = datetime.fromisoformat
        stamps = self._stamps
        width, meter_index, default = self._width, self._meter, self._default
        stamp_index, usage_index = self._stamp, self._usage
        count = 0
        for row in rows:
            count += 1
            if len(row) == width:
                meter = row[meter_index].strip() if meter_index >= 0 else default
                if meter and meter[:1] in GUARDS:
                    meter = guarded_id(meter)
                stamp = row[stamp_index]
                try:
                    if len(stamp) == 20 and stamp[4::3] == UTC_SEPARATORS:
                        from_iso(stamp)
                        utc = stamp
                    else:
                        utc = stamps[stamp]
                    usage = row[usage_index]
                    kwh = float(usage)
                except ValueError:
                    pass
                else:
                    # float() also reads `1_000` and other scripts' digits: those go the
                    # general way, which refuses them.
                    if (
                        meter
                        and usage.isascii()
                        and "_" not in usage
                        and len(meter) <= MAX_METER_ID
                        and (MIN_KWH <= abs(kwh) <= MAX_KWH or kwh == 0.0)
                    ):
                        add(new_tuple(Reading, (meter, utc, kwh)))
                        continue
            otherwise(row)
        return count
