"""CSV files as meter gateways and portals export them."""

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support import ROOT

CORPUS = ROOT / "tests" / "corpus"
# UK Power Networks' London smart meter layout; its line 5 ("Null") is rejected.
LONDON = CORPUS / "gb-london-lcl-smartmeter.csv"
LONDON_ROWS = (9, 1)  # accepted, rejected
# Octopus Energy's download names no meter: it needs --meter-id (and reads as Europe/London).
OCTOPUS = CORPUS / "gb-octopus-energy-consumption-download.csv"
OCTOPUS_ROWS = 8
# A gateway's layout that no detector knows: read only with its columns named by MAPPING.
UNKNOWN_LAYOUT = (
    "when;amount;device;u\n2025-01-01 00:00;1500;gw-1;Wh\n2025-01-01 01:00;2,5;gw-1;kWh\n"
)
MAPPING = json.dumps({"time": "when", "usage": "amount", "meter": "device", "unit": "u"})
HEADER = "meter_id,timestamp,kwh\n"
START = datetime(2025, 1, 1, tzinfo=UTC)


def readings(meter: str, *kwh: float) -> str:
    """Rows of the generic layout, one an hour from 2025-01-01T00:00Z."""
    return "".join(
        f"{meter},{START + timedelta(hours=hour):%Y-%m-%dT%H:%M:%SZ},{value}\n"
        for hour, value in enumerate(kwh)
    )


def generic(path: Path, meter: str, *kwh: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + readings(meter, *kwh))
    return path


def copied(source: Path, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return path
