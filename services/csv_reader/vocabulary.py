"""The words energy exports use, as data: adding a language or an exporter's quirk is an entry
in one of the tables below (with a sample file in tests/corpus and its expected readings).

Names are compared in their `folded` form: accents removed, lower case, glued units split off
(`PV(kWh)` -> `pv kwh`), camel case split (`StandNormaal` -> `stand normaal`), every other
character a space. Patterns are regular expressions searched in that form.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Literal, get_args

Channel = Literal["", "export", "generation", "gas", "load"]
CHANNEL_SUFFIXES = tuple(f":{channel}" for channel in get_args(Channel) if channel)
Kind = Literal["energy", "power", "register"]

# --- names of columns ------------------------------------------------------------------------

TIME_WORDS = (
    r"\b(time|timestamp|datetime|date|datum|fecha|data|giorno|den|day|dag|jour|tijd|tijdstip"
    r"|uhrzeit|zeit|zeitstempel|zeitpunkt|heure|hora|ora|cas|hour|horodate|horodatage|moment"
    r"|start|from|von|van|beginn|begin|debut|inicio|inizio|od|end|to|until|bis|tot|fin|fine|do"
    r"|period|periode|interval start)\b|date|datum|zeitpunkt|tijdstip"
)
END_WORDS = r"\b(end|to|until|bis|tot|fin|fine|do|ende)\b"
# Time columns that hold something other than the reading's time.
NOT_READING_TIME = r"revision|update|created|processed|export(ed)? date|msats|load date|generated"
# A time column's name saying in which zone its times are.
UTC_WORDS = r"\b(utc|gmt|zulu)\b"
# Exporters whose times are UTC whatever the upload says, known by a column of theirs:
# the London smart-meter data (LCL).
UTC_EXPORTERS = r"^lclid$"

# Meter ids, most telling first: a metering point, then a device, then an account.
ID_NAMES: tuple[tuple[int, str], ...] = (
    (
        3,
        r"\b(ean|ean ?code|eancodeasn|mprn|esiid|nmi|mpan|zahlpunkt|zaehlpunkt|messlokation"
        r"|pdl|prm|identifiant prm|cups|pod|lclid|meter ?id|meterid|metering point"
        r"|ean nummer|eannummer)\b",
    ),
    (
        2,
        r"\b(meter serial number|serial number|serial|meternummer|meter ?nummer|zahlernummer"
        r"|zaehlernummer|zahler|zaehler|compteur|contador|contatore|meter number|meter"
        r"|device ?id|deviceid|site ?id|siteid)\b",
    ),
    (
        1,
        r"\b(account number|account ?id|accountid|account|customer ?id|customerid|customer"
        r"|user ?id|userid|kundennummer|klantnummer)\b",
    ),
)
# A column named by an id: an EAN or a pair of them (a value column of that meter).
ID_AS_NAME = re.compile(r"\d{12,}(?:[-/]\d{12,})*")

UNIT_COLUMN = r"^(unit|units|eenheid|einheit|unite|unidad|unita|uom|jednotka|unit of measure)$"
FACTOR_COLUMN = r"^(factor|faktor|multiplier)$"
# Columns naming the channel, unit or kind of each row's one value.
TYPE_COLUMN = (
    r"^(register|type|read type|reading type|consumption category|category|richting|direction"
    r"|consumption surplusgeneration|consumption surplus generation|grandeur metier|flow)$"
)
# Columns that are never readings, whatever their values.
IGNORED_COLUMNS = (
    r"status|quality|qualitat|kwaliteit|validation|validatie|note|description|omschrijving"
    r"|cost|charge|price|prijs|kosten|preis|amount|event|estimated|actual|metodo|nature"
    r"|indice|etat|piek|peak|\bpas\b|interval$|^interval\b|revision|postcode|capacity|\bname\b"
    r"|address|code$|meter ?type|metertype|stdortou|acorn|commodity|grandeur"
)
# Names that make a numeric column a quantity.
QUANTITY_WORDS = (
    r"kwh|mwh|\bwh\b|\bkw\b|\bw\b|therm|usage|consumption|consumo|energy|energie|energia|value"
    r"|valeur|valor|valore|waarde|wert|verbrauch|verbruik|menge|wirkarbeit|volume|consommation"
    r"|spotreba|hodnota|levering|reading|stand|import|export|produced|purchased|delivered"
    r"|received|feed ?in|injection|injectie|afname|offtake|returned|load|\bpv\b|generation"
    r"|\bgas\b|electricity|elektriciteit|profil|diverter|totwh|abswh|\bfirst\b|kilowatt"
)

# --- what a quantity is ----------------------------------------------------------------------

# (pattern, channel), first match wins: the narrower words come first.
CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    (r"grid ?ms ?(tot|abs) ?wh ?in|\bwh ?in\b", ""),
    (
        r"grid ?ms ?(tot|abs) ?wh ?out|teruglever|returned|injection|injectie|export|feed ?in"
        r"|einspeis|ruecklief|rucklief|surplus|received|dodavka|immission|immess|\binjecte"
        r"|(^| )-a\b",
        "export",
    ),
    (
        r"produced|production|produktion|erzeugung|ertrag|opwek|vyroba|produzion|\bpv\b|solar"
        r"|yield|generat|tot ?wh ?out|\bgg\b",
        "generation",
    ),
    (r"\bgas\b|therm|\bm3\b", "gas"),
    (r"\bload\b|consumed|\btotal consumption\b", "load"),
    (
        r"import|purchased|delivered|offtake|afname|bezug|\blevering|consumption|verbrauch"
        r"|verbruik|consumo|consommation|odber|\+a\b|\bcons\b",
        "",
    ),
)
# Rows of a type column that name electricity, and rows that carry no energy reading.
ELECTRIC_TYPES = (
    r"electric|elektri|usage|consumption|import|export|injection|afname|injectie|offtake"
    r"|surplus|generation|active|cons\b|verbruik|levering"
)
NOT_ENERGY_TYPES = r"reactive|kvar|water|wasser"
REGISTER_WORDS = (
    r"\bstand\b|meterstand|zahlerstand|zaehlerstand|meter reading|\breading\d|register reading"
    r"|tot ?wh|abs ?wh|\bfirst\b|first value|counter|index"
)
POWER_UNITS = {"kw": 1.0, "w": 0.001, "mw": 1000.0}
KWH_PER_THERM = 29.3071
ENERGY_UNITS = {
    "kwh": 1.0,
    "wh": 0.001,
    "mwh": 1000.0,
    "therm": KWH_PER_THERM,
    "therms": KWH_PER_THERM,
    "kilowatthours": 1.0,
    "kilowatthour": 1.0,
}
UNIT_IN_NAME = r"\b(kwh|wh|mwh|kw|w|mw|therms?|kilowatt hours?|m3)\b"

# Exporters' own names, exactly as folded: (name, channel) for names no rule above reads.
EXPORTER_CHANNELS: dict[str, Channel] = {
    # Liander daily readings: registers 1 and 2 are import (low, normal), 3 and 4 export.
    "reading1": "", "reading2": "", "reading3": "export", "reading4": "export",
    "usage1": "", "usage2": "", "usage3": "export", "usage4": "export",
    # Ausgrid solar homes: general consumption and controlled load are import.
    "gc": "", "cl": "",
}  # fmt: skip

# --- values ------------------------------------------------------------------------------------

MISSING_VALUES = frozenset(
    {"", "null", "nan", "-", "--", "n/a", "na", "none", "no consumption", "geen verbruik",
     "kein wert", "keine daten", "sans valeur", "sin datos"}
)  # fmt: skip

# Languages whose exports write dates day first.
EUROPEAN_WORDS = (
    r"datum|zeit|verbrauch|zahl|zaehl|wert|bis\b|\bvon\b|horodat|valeur|debut|consommation"
    r"|compteur|tijd|verbruik|waarde|levering|afname|injectie|fecha|hora|consumo|valor|giorno"
    r"|valore|inizio|\bora\b|\bcas\b|\bod\b|\bdo\b|spotreba|hodnota|stand|meterstand|opname"
)


def folded(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(
        r"(?i)(?<![a-z])(kwh|mwh|kvarh|wh|kw|kvar)(?![a-z])", lambda m: f" {m[1].lower()} ", text
    )
    text = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"[^a-z0-9+\-]+", " ", text.lower()).replace(" - ", " ").strip()
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)
    return re.sub(r"(?<![a-z0-9])-(?![a-z0-9])", " ", text).strip()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def says(name: str, pattern: str) -> bool:
    """Whether the folded `name` holds `pattern`."""
    return _compiled(pattern).search(name) is not None


def id_rank(name: str) -> int:
    """How telling an id column of this (folded) name is; 0 when it is no id."""
    return next((rank for rank, pattern in ID_NAMES if says(name, pattern)), 0)


def direction_of(name: str) -> Channel | None:
    """The channel a name says, or None when it names none."""
    if name in EXPORTER_CHANNELS:
        return EXPORTER_CHANNELS[name]
    return next((channel for pattern, channel in CHANNEL_WORDS if says(name, pattern)), None)


def channel_of(name: str) -> Channel:
    return direction_of(name) or ""


def unit_in(name: str) -> str | None:
    found = _compiled(UNIT_IN_NAME).search(name)
    return found.group(1).replace(" ", "") if found else None


def any_says(names: Iterable[str], pattern: str) -> bool:
    return any(says(name, pattern) for name in names)


def is_consumption(meter_id: str) -> bool:
    """Whether a meter is the consumption one, not a channel kept beside it (`m:export`)."""
    return not meter_id.endswith(CHANNEL_SUFFIXES)
