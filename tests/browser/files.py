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
