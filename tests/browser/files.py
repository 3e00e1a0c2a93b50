"""CSV files a new operator uploads in the browser tests."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

WEEK_START = datetime(2025, 3, 3, tzinfo=UTC)


def north_csv(folder: Path) -> Path:
    """A week of 15-minute readings of meter north-7; one 6.1 kWh breach; line 5 is broken."""
    lines = ["meter_id,timestamp,kwh"]
    for step in range(7 * 96):
        at = WEEK_START + timedelta(minutes=15 * step)
        kwh = 6.1 if step == 40 else round(0.2 + (step % 96) / 200, 3)
        lines.append(f"north-7,{at:%Y-%m-%dT%H:%M:%SZ},{kwh}")
    lines[4] = "north-7,not a time,0.5"
    path = folder / "north.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def south_csv(folder: Path) -> Path:
    """A European export: `;`, decimal commas, Wh, local times in Europe/Berlin."""
    lines = ["Meter;Reading Time;Usage;Unit"]
    for step in range(7 * 24):
        at = WEEK_START + timedelta(hours=step)
        lines.append(f"south-1;{at:%Y-%m-%d %H:%M};{1500 + step % 24 * 10};Wh")
    path = folder / "south.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def green_button_csv(folder: Path) -> tuple[Path, float, float]:
    """Three June days of a solar home's net-metering Green Button file, 15-minute rows: grid
    IMPORT at night, EXPORT by day. Returns the file and its import and export totals (kWh)."""
    lines = [
        "Name,JANE DOE",
        "Account Number,0000000000",
        "",
        "TYPE,DATE,START TIME,END TIME,IMPORT (kWh),EXPORT (kWh),NOTES",
    ]
    imported = exported = 0.0
    for day in (1, 2, 3):
        for quarter in range(96):
            sunny = 8 <= quarter // 4 < 18
            kwh_in, kwh_out = (0.05, 0.6) if sunny else (0.3, 0.0)
            imported, exported = imported + kwh_in, exported + kwh_out
            start, end = quarter * 15, quarter * 15 + 14
            lines.append(
                f"Electric usage,2025-06-0{day},{start // 60:02d}:{start % 60:02d},"
                f"{end // 60:02d}:{end % 60:02d},{kwh_in:.2f},{kwh_out:.2f},"
            )
    path = folder / "green-button.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    return path, round(imported, 3), round(exported, 3)
