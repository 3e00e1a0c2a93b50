"""The words energy exports use, as data: adding a language is an entry in `LANGUAGES`, an
exporter's quirk a pattern in one of the tables below.

Names are compared in their `folded` form: accents removed, case folded, glued units split off
(`PV(kWh)` -> `pv kwh`), camel case split (`StandNormaal` -> `stand normaal`), punctuation a
space. Patterns are regular expressions searched in that form; the words of `LANGUAGES` are
folded the same way and match whole words (or, in scripts written without spaces, anywhere).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal, get_args

Channel = Literal["", "export", "generation", "gas", "load"]
CHANNEL_SUFFIXES = tuple(f":{channel}" for channel in get_args(Channel) if channel)
Kind = Literal["energy", "power", "register"]


@dataclass(frozen=True)
class Words:
    """One language's words for what a column holds."""

    time: tuple[str, ...] = ()  # a time, a date, a time of day, the start of an interval
    end: tuple[str, ...] = ()  # the end of an interval
    clock: tuple[str, ...] = ()  # the time of day beside a date
    quantity: tuple[str, ...] = ()  # a value column, of no particular kind
    interval: tuple[str, ...] = ()  # energy used in each interval: never a register
    register: tuple[str, ...] = ()  # a meter reading that only grows
    metering_point: tuple[str, ...] = ()  # the most telling meter id
    meter: tuple[str, ...] = ()  # a device or meter number
    account: tuple[str, ...] = ()  # an account or customer number
    unit: tuple[str, ...] = ()  # a unit column
    ignored: tuple[str, ...] = ()  # quality flags, prices, notes: never readings
    consumption: tuple[str, ...] = ()
    export: tuple[str, ...] = ()
    generation: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # a cell saying there is no value
    day_first: bool = True  # dates of this language's exports put the day first


# Every EU language, the Nordic ones, Hebrew and Japanese. English, German, French, Dutch,
# Spanish, Italian and Czech have most of their words in the patterns further down.
LANGUAGES: dict[str, Words] = {
    "da": Words(
        time=("dato", "tid", "tidspunkt", "fra", "fra dato", "starttidspunkt", "periode"),
        end=("til", "til dato", "sluttidspunkt", "slut"),
        clock=("klokkeslæt", "kl"),
        quantity=("mængde", "værdi", "energi", "aflæst"),
        interval=("forbrug",),
        register=("målerstand", "aflæsning", "tællerstand"),
        metering_point=("målepunkt", "målepunkt id", "målepunktsnummer", "målepunkts id"),
        meter=("måler", "målernummer", "målernr"),
        account=("kundenummer",),
        unit=("enhed", "måleenhed"),
        ignored=("kvalitet", "pris", "beløb", "type"),
        consumption=("forbrug", "købt"),
        export=("produktion til net", "leveret til net", "overskud", "solgt"),
        generation=("solcelle", "egenproduktion"),
        missing=("ingen data", "ingen værdi"),
    ),
    "no": Words(
        time=("dato", "tid", "tidspunkt", "fra", "fra dato", "fra tid", "periode"),
        end=("til", "til dato", "til tid", "slutt"),
        clock=("klokkeslett",),
        quantity=("mengde", "verdi", "energi", "volum"),
        interval=("forbruk",),
        register=("målerstand", "avlesning"),
        metering_point=("målepunkt", "målepunkt id", "målepunktid", "anleggsnummer", "måler id"),
        meter=("måler", "målernummer"),
        account=("kundenummer",),
        unit=("enhet", "måleenhet"),
        ignored=("kvalitet", "pris", "beløp", "status"),
        consumption=("forbruk", "kjøpt"),
        export=("innmating", "plusskunde", "solgt", "levert til nett"),
        generation=("produksjon", "solproduksjon"),
        missing=("ingen data",),
    ),
    "sv": Words(
        time=("datum", "tid", "tidpunkt", "från", "från datum", "starttid", "period"),
        end=("till", "till datum", "sluttid", "slut"),
        clock=("klockslag", "timme"),
        quantity=("mängd", "värde", "energi", "volym"),
        interval=("förbrukning", "konsumtion", "användning"),
        register=("mätarställning", "mätarstand", "avläsning"),
        metering_point=(
            "anläggnings id",
            "anläggningsid",
            "anläggning",
            "mätpunkt",
            "mätpunkts id",
        ),
        meter=("mätare", "mätarnummer", "mätar id"),
        account=("kundnummer",),
        unit=("enhet",),
        ignored=("kvalitet", "pris", "kostnad", "status"),
        consumption=("förbrukning", "köpt"),
        export=("inmatning", "överskott", "såld", "levererad till nät"),
        generation=("produktion", "solel"),
        missing=("ingen data",),
    ),
    "fi": Words(
        time=("päivämäärä", "pvm", "aika", "alkuaika", "alku", "ajankohta", "aikaleima", "jakso"),
        end=("loppuaika", "loppu", "päättyy"),
        clock=("kellonaika", "tunti", "klo"),
        quantity=("määrä", "arvo", "energia", "kwh arvo"),
        interval=("kulutus", "tuntikulutus"),
        register=("lukema", "mittarilukema"),
        metering_point=(
            "käyttöpaikka",
            "käyttöpaikan tunnus",
            "käyttöpaikkatunnus",
            "mittauspiste",
        ),
        meter=("mittari", "mittarin numero", "mittarinumero"),
        account=("asiakasnumero",),
        unit=("yksikkö", "mittayksikkö"),
        ignored=("laatu", "tila", "hinta", "status"),
        consumption=("kulutus", "osto"),
        export=("syöttö", "myynti", "ylijäämä", "verkkoon"),
        generation=("tuotanto",),
        missing=("ei dataa", "puuttuu"),
    ),
    "is": Words(
        time=("dagsetning", "tími", "tímabil", "frá"),
        end=("til",),
        quantity=("magn", "gildi", "orka"),
        interval=("notkun",),
        register=("mælistaða",),
        meter=("mælir", "mælisnúmer"),
        unit=("eining",),
        consumption=("notkun",),
    ),
    "pl": Words(
        time=("data", "czas", "data i godzina", "znacznik czasu", "okres", "początek", "od"),
        end=("koniec", "do"),
        clock=("godzina",),
        quantity=("wartość", "energia", "ilość", "energia czynna", "wolumen"),
        interval=("zużycie", "pobór"),
        register=("wskazanie", "stan licznika", "odczyt"),
        metering_point=("ppe", "punkt poboru", "numer ppe", "kod ppe", "punkt poboru energii"),
        meter=("licznik", "numer licznika", "nr licznika"),
        account=("numer klienta",),
        unit=("jednostka",),
        ignored=("jakość", "status", "cena"),
        consumption=("pobór", "pobrana", "pobranej", "zużycie"),
        export=("oddana", "oddanej", "oddanie", "energia oddana", "wprowadzona do sieci"),
        generation=("produkcja", "wytworzona"),
        missing=("brak danych", "brak"),
    ),
    "pt": Words(
        time=("data", "hora", "data hora", "data e hora", "início", "período", "instante"),
        end=("fim", "até"),
        clock=("hora",),
        quantity=("valor", "energia", "quantidade", "leitura"),
        interval=("consumo", "consumo registado"),
        register=("leitura", "índice", "contagem"),
        metering_point=("cpe", "código cpe", "ponto de entrega", "código ponto de entrega"),
        meter=("contador", "número do contador", "medidor"),
        account=("número de cliente",),
        unit=("unidade",),
        ignored=("qualidade", "estado", "preço"),
        consumption=("consumo",),
        export=("injeção", "injetada", "excedente"),
        generation=("produção", "autoconsumo produzido"),
        missing=("sem dados", "sem leitura"),
    ),
    "hu": Words(
        time=("dátum", "idő", "időpont", "kezdete", "kezdet", "tól", "időszak", "időbélyeg"),
        end=("vége", "ig"),
        clock=("óra",),
        quantity=("érték", "energia", "mennyiség", "hatásos energia", "hatásos"),
        interval=("fogyasztás",),
        register=("mérőállás", "óraállás", "állás"),
        metering_point=("pod", "felhasználási hely", "mérési pont", "pod azonosító"),
        meter=("mérő", "mérőóra", "gyári szám", "mérő azonosító"),
        account=("ügyfélszám", "ügyfél azonosító"),
        unit=("mértékegység", "egység", "me"),
        ignored=("minőség", "státusz", "ár"),
        consumption=("fogyasztás", "vételezés", "vásárolt"),
        export=("betáplálás", "visszatáplálás", "termelt hálózatba"),
        generation=("termelés",),
        missing=("nincs adat",),
    ),
    "el": Words(
        time=("ημερομηνία", "ώρα", "χρόνος", "από", "έναρξη", "χρονοσφραγίδα", "περίοδος"),
        end=("έως", "λήξη", "μέχρι"),
        clock=("ώρα",),
        quantity=("τιμή", "ενέργεια", "ποσότητα"),
        interval=("κατανάλωση",),
        register=("ένδειξη", "ενδειξη μετρητή"),
        metering_point=("αριθμός παροχής", "παροχή"),
        meter=("μετρητής", "αριθμός μετρητή"),
        unit=("μονάδα", "μονάδα μέτρησης"),
        ignored=("ποιότητα", "κατάσταση"),
        consumption=("κατανάλωση", "απορρόφηση"),
        export=("έγχυση", "εγχεόμενη"),
        generation=("παραγωγή",),
        missing=("χωρίς δεδομένα",),
    ),
    "ro": Words(
        time=("data", "ora", "data si ora", "de la", "început", "interval orar", "perioada"),
        end=("până la", "sfârșit", "pana la"),
        clock=("ora",),
        quantity=("valoare", "energie", "cantitate", "energie activa"),
        interval=("consum",),
        register=("index", "index contor"),
        metering_point=("loc de consum", "cod loc de consum", "pod", "cod pod", "nlc"),
        meter=("contor", "serie contor", "numar contor"),
        account=("cod client",),
        unit=("unitate", "um", "unitate de masura"),
        ignored=("calitate", "stare", "pret"),
        consumption=("consum", "consumata"),
        export=("produsa", "livrata", "injectata"),
        generation=("productie",),
        missing=("fara date",),
    ),
    "hr": Words(  # Croatian, and the Serbian and Bosnian Latin spelling of the same words
        time=("datum", "vrijeme", "vreme", "od", "početak", "razdoblje", "period"),
        end=("do", "kraj"),
        clock=("sat",),
        quantity=("vrijednost", "vrednost", "energija", "količina", "radna energija"),
        interval=("potrošnja",),
        register=("stanje", "stanje brojila"),
        metering_point=("obračunsko mjerno mjesto", "omm", "mjerno mjesto", "šifra mjernog mjesta"),
        meter=("brojilo", "broj brojila"),
        unit=("jedinica", "mjerna jedinica"),
        ignored=("kvaliteta", "status", "cijena"),
        consumption=("potrošnja", "preuzeta"),
        export=("predana", "isporučena", "predaja"),
        generation=("proizvodnja",),
        missing=("nema podataka",),
    ),
    "sl": Words(
        time=("datum", "čas", "ura", "od", "začetek", "obdobje", "časovna značka"),
        end=("do", "konec"),
        clock=("ura",),
        quantity=("vrednost", "energija", "količina", "delovna energija"),
        interval=("poraba",),
        register=("stanje", "stanje števca", "odčitek"),
        metering_point=("merilno mesto", "številka merilnega mesta", "gsrn", "mm"),
        meter=("števec", "številka števca"),
        unit=("enota",),
        ignored=("kakovost", "status", "cena"),
        consumption=("poraba", "prejeta", "prevzem"),
        export=("oddaja", "oddana"),
        generation=("proizvodnja",),
        missing=("ni podatka",),
    ),
    "sk": Words(
        time=("dátum", "čas", "od", "začiatok", "obdobie", "deň"),
        end=("do", "koniec"),
        clock=("hodina",),
        quantity=("hodnota", "energia", "množstvo", "činná energia"),
        interval=("spotreba", "odber"),
        register=("stav", "stav elektromera"),
        metering_point=("odberné miesto", "eic", "eic kód", "číslo odberného miesta"),
        meter=("elektromer", "číslo elektromera"),
        unit=("jednotka", "merná jednotka"),
        ignored=("kvalita", "stav merania", "status"),
        consumption=("spotreba", "odber"),
        export=("dodávka", "výroba do siete"),
        generation=("výroba",),
        missing=("bez údajov",),
    ),
    "et": Words(
        time=("kuupäev", "aeg", "algus", "algusaeg", "alates", "periood", "ajatempel"),
        end=("lõpp", "lõppaeg", "kuni"),
        clock=("kellaaeg", "tund"),
        quantity=("kogus", "väärtus", "energia"),
        interval=("tarbimine", "tarbitud"),
        register=("näit", "arvesti näit"),
        metering_point=("mõõtepunkt", "eic kood", "mõõtepunkti kood"),
        meter=("arvesti", "arvesti number"),
        unit=("ühik",),
        ignored=("kvaliteet", "staatus", "hind"),
        consumption=("tarbimine", "ost"),
        export=("tagastus", "müük", "võrku antud", "võrku andmine", "võrku"),
        generation=("tootmine",),
        missing=("andmed puuduvad",),
    ),
    "lv": Words(
        time=("datums", "laiks", "sākums", "no", "periods"),
        end=("beigas", "līdz"),
        clock=("stunda",),
        quantity=("daudzums", "vērtība", "enerģija", "aktīvā enerģija"),
        interval=("patēriņš",),
        register=("rādījums", "skaitītāja rādījums"),
        metering_point=("objekta numurs", "uzskaites punkts", "objekts", "eic"),
        meter=("skaitītājs", "skaitītāja numurs"),
        unit=("mērvienība",),
        ignored=("kvalitāte", "statuss", "cena"),
        consumption=("patēriņš", "saņemts"),
        export=("nodots tīklā", "nodots", "ražots tīklā"),
        generation=("ražošana", "saražots"),
    ),
    "lt": Words(
        time=("data", "laikas", "pradžia", "nuo", "laikotarpis"),
        end=("pabaiga", "iki"),
        clock=("valanda",),
        quantity=("vertė", "kiekis", "energija", "aktyvioji energija"),
        interval=("suvartojimas", "suvartota"),
        register=("rodmuo", "rodmenys", "skaitiklio rodmenys"),
        metering_point=("objekto numeris", "apskaitos taškas", "objektas", "eic"),
        meter=("skaitiklis", "skaitiklio numeris"),
        unit=("vienetas", "matavimo vienetas"),
        ignored=("kokybė", "būsena", "kaina"),
        consumption=("suvartojimas", "suvartota", "gauta"),
        export=("atiduota", "patiekta į tinklą"),
        generation=("gamyba", "pagaminta"),
    ),
    "bg": Words(
        time=("дата", "час", "време", "от", "начало", "период"),
        end=("до", "край"),
        quantity=("стойност", "енергия", "количество", "активна енергия"),
        interval=("консумация", "потребление"),
        register=("показание", "показания"),
        metering_point=("итн", "точка на измерване", "идентификационен номер"),
        meter=("електромер", "номер на електромер"),
        account=("клиентски номер",),
        unit=("мерна единица", "единица"),
        ignored=("качество", "статус", "цена"),
        consumption=("консумация", "потребление", "потребена"),
        export=("отдадена", "доставена в мрежата"),
        generation=("производство", "произведена"),
    ),
    "mt": Words(
        time=("data", "ħin", "mill"),
        end=("sa",),
        quantity=("valur", "enerġija", "ammont"),
        interval=("konsum",),
        register=("qari",),
        meter=("numru tal meter",),
        unit=("unità",),
        consumption=("konsum",),
        export=("esportazzjoni",),
        generation=("ġenerazzjoni", "produzzjoni"),
    ),
    "ga": Words(
        time=("dáta", "am", "ó"),
        end=("go",),
        quantity=("luach", "fuinneamh"),
        interval=("úsáid", "ídiú"),
        register=("léamh",),
        meter=("méadar",),
        unit=("aonad",),
        consumption=("úsáid",),
    ),
    "he": Words(
        time=("תאריך", "שעה", "זמן", "מועד", "תאריך ושעה", "התחלה", "מתאריך", "משעה", "תקופה"),
        end=("עד", "סיום", "עד תאריך", "עד שעה"),
        clock=("שעה", "שעת"),
        quantity=("כמות", "ערך", "אנרגיה"),
        interval=("צריכה", 'צריכה בקוט"ש', "צריכת חשמל"),
        register=("קריאה", "קריאת מונה", "מצב מונה"),
        metering_point=("מספר חוזה", "נקודת צריכה", "מספר נקודת צריכה"),
        meter=("מונה", "מספר מונה"),
        account=("מספר לקוח",),
        unit=("יחידה", "יחידת מידה"),
        ignored=("סטטוס", "איכות", "מחיר", "סוג"),
        consumption=("צריכה",),
        export=("ייצוא", "הזרמה", "החזרה לרשת"),
        generation=("ייצור",),
        missing=("אין נתונים",),
    ),
    "ja": Words(
        time=(
            "日付",
            "日時",
            "時刻",
            "年月日",
            "年月日時",
            "計測日時",
            "日",
            "開始",
            "期間",
            "時間帯",
            "年月",
        ),
        end=("終了", "まで"),
        clock=("時刻", "時間"),
        quantity=("電力量", "値", "数量", "エネルギー"),
        interval=("使用量", "使用電力量", "消費電力量", "消費量", "買電量", "使用電力"),
        register=("指示数", "指針"),
        metering_point=("供給地点特定番号", "供給地点番号"),
        meter=("メーター", "計器番号"),
        account=("お客さま番号", "お客様番号", "契約番号"),
        unit=("単位",),
        ignored=("料金", "状態", "品質", "区分"),
        consumption=("使用", "買電", "購入", "需要"),
        export=("売電", "逆潮流", "余剰"),
        generation=("発電", "太陽光", "風力", "水力", "火力", "原子力", "地熱", "バイオマス"),
        missing=("データなし", "欠測"),
        day_first=False,
    ),
}

# --- names of columns (regular expressions over folded names) -----------------------------

_TIME = (
    r"\b(time|timestamp|datetime|date|datum|fecha|data|giorno|den|day|dag|jour|tijd|tijdstip"
    r"|uhrzeit|zeit|zeitstempel|zeitpunkt|heure|hora|ora|cas|hour|horodate|horodatage|moment"
    r"|start|from|von|van|vanaf|beginn|begin|debut|inicio|inizio|od|end|to|until|bis|tot|fin"
    r"|fine|do"
    r"|period|periode|interval start|messzeitpunkt)\b|date|datum|zeitpunkt|tijdstip"
)
_END = r"\b(end|to|until|bis|tot|fin|fine|do|ende)\b"
_CLOCK = r"^(start )?(time|uhrzeit|zeit|heure|hora|ora|tijd|tijdstip|cas|cas od)$"
# Time columns that hold something other than the reading's time.
NOT_READING_TIME = (
    r"revision|update|created|processed|export(ed)? date|msats|load date|generated|read date$"
    r"|reading date|billing|invoice|due|maxim|\bmax\b|\bpeak\b|pointe|spitze|koostamise"
)
# A time column's name saying in which zone its times are.
UTC_WORDS = r"\b(utc|gmt|zulu)\b"
# Exporters whose times are UTC whatever the upload says, known by a column of theirs:
# the London smart-meter data (LCL).
UTC_EXPORTERS = r"^lclid$"

_METERING_POINT = (
    r"\b(ean|ean ?code|eancodeasn|mprn|esiid|nmi|mpan|zahlpunkt|zaehlpunkt|messlokation"
    r"|marktlokation|pdl|prm|identifiant prm|cups|pod|lclid|meter ?id|meterid|metering point"
    r"|ean nummer|eannummer|gsrn|eic)\b"
)
_METER = (
    r"\b(meter serial number|serial number|serial|meternummer|meter ?nummer|zahlernummer"
    r"|zaehlernummer|zahler|zaehler|compteur|contador|contatore|meter number|meter"
    r"|device ?id|deviceid|site ?id|siteid|entity ?id|statistic ?id|sensor ?id|sensor|device"
    r"|uuid)\b"
)
_ACCOUNT = (
    r"\b(account number|account ?id|accountid|account|customer ?id|customerid|customer"
    r"|user ?id|userid|kundennummer|klantnummer|contract|contrat|contrato|contratto|vertrag"
    r"|vertragsnummer|contractnummer)\b"
)
# A column named by an id: an EAN or a pair of them (a value column of that meter).
ID_AS_NAME = re.compile(r"\d{12,}(?:[-/]\d{12,})*")

_UNIT = r"^(unit|units|eenheid|einheit|unite|unidad|unita|uom|jednotka|unit of measure)$"
FACTOR_COLUMN = r"^(factor|faktor|multiplier)$"
# Columns naming the channel, unit or kind of each row's one value.
TYPE_COLUMN = (
    r"^(register|type|read type|reading type|consumption category|category|richting|direction"
    r"|consumption surplusgeneration|consumption surplus generation|grandeur metier|flow"
    r"|rodzaj|rodzaj energii|energieart|energierichtung|energy type|typ)$"
)
_IGNORED = (
    r"status|quality|qualitat|kwaliteit|validation|validatie|note|description|omschrijving"
    r"|cost|charge|price|prijs|kosten|preis|amount|event|estimated|actual|metodo|nature"
    r"|indice|etat|piek|peak|\bpas\b|interval$|^interval\b|revision|postcode|postal|zip"
    r"|capacity|\bname\b|address|code$|meter ?type|metertype|stdortou|acorn|commodity|grandeur"
    r"|power factor|\bpf\b|^(is|has)\b"
    r"|temperature|temp\b|\bflag\b|\beur\b|\busd\b|\bgbp\b|dollar|currency"
    # Not energy: a battery's state of charge, shares, voltages, currents, frequencies.
    r"|state of charge|\bsoc\b|ladezustand|laadtoestand|etat de charge|\bpercent|prozent"
    r"|voltage|spannung|\bcurrent\b|stromstarke|frequen|humidity"
)
# Not what was measured, whatever its unit: forecasts and predictions beside actual values.
NOT_MEASURED = r"forecast|prognos|previsi|predict|day ahead|vorhersage|voorspelling|予測|予想"
# OBIS codes of active energy (`1-0:1.8.0`, `1.8.1`, `2.8.0`, `1.29.0`), folded: `1 8 0`.
OBIS_IMPORT = r"(?<![\d.])1 (8|29) \d\b"
OBIS_EXPORT = r"(?<![\d.])2 (8|29) \d\b"
OBIS_REGISTER = r"(?<![\d.])[12] 8 \d\b"
OBIS_INTERVAL = r"(?<![\d.])[12] 29 \d\b"
# IEC names of active energy by direction: A+ (import) and A- (export), either way round.
IEC_IMPORT = r"(^|\s)(\+a|a\+)(?=\s|$)"
IEC_EXPORT = r"(^|\s)(-a|a-)(?=\s|$)"
# Names of average power, of no unit: read in kW.
POWER_WORDS = (
    r"\bpower\b|leistung|puissance|potencia|potenza|vermogen|\bmoc\b|\bmoč\b|\bteho\b|effekt"
    r"|teljesitmeny|ισχυς|putere|snaga|voimsus|jauda|galia|мощност"
)
# Reactive and apparent quantities: not active energy, never read.
NOT_ACTIVE = (
    r"reactive|reaktiv|reactiva|reattiva|\bblind|scheinleistung|apparent|apparente|jalov|bierna"
    r"|meddo|loisteho|jalova|\bkvar|\bkva\b|\bvar\b|\bq\+|\bq-|(^|\s)q[+-]"
)
_QUANTITY = (
    r"kwh|mwh|\bwh\b|\bkw\b|\bw\b|therm|usage|consumption|consumo|energy|energie|energia|value"
    r"|valeur|valor|valore|waarde|wert|verbrauch|verbruik|menge|wirkarbeit|volume|consommation"
    r"|spotreba|hodnota|levering|reading|import|export|produced|purchased|delivered"
    r"|received|feed ?in|injection|injectie|afname|offtake|returned|load|\bpv\b|generation"
    r"|\bgas\b|electricity|elektriciteit|profil|diverter|totwh|abswh|\bfirst\b|kilowatt|delta"
    r"|" + OBIS_IMPORT + "|" + OBIS_EXPORT + "|" + IEC_IMPORT + "|" + IEC_EXPORT + "|" + POWER_WORDS
)
_INTERVAL = (
    # The generic layout's usage column, named by its unit or as energy alone: each row's kWh.
    r"^(kwh|wh|mwh|energy|energy kwh|kwh energy)$|"
    r"usage|consumption|verbrauch|verbruik|consumo|consommation|menge|volume|delta|per half hour"
    r"|\bhh\b|per interval|interval energy|spotreba|odber|" + OBIS_INTERVAL
)
_REGISTER = (
    r"\bstand\b|meterstand|zahlerstand|zaehlerstand|meter reading|\breading\d|register reading"
    r"|tot ?wh|abs ?wh|\bfirst\b|first value|counter|\bindex\b|zahlwerk|odecet|stav|"
    + OBIS_REGISTER
)

# (pattern, channel), first match wins: the narrower words come first.
_CHANNELS: tuple[tuple[str, Channel], ...] = (
    (r"grid ?ms ?(tot|abs) ?wh ?in|\bwh ?in\b", ""),
    (
        r"grid ?ms ?(tot|abs) ?wh ?out|teruglever|returned|injection|injectie|invoeding|export"
        r"|feed ?in"
        r"|outflow|\bsold\b|\bto grid\b"
        r"|einspeis|ruecklief|rucklief|surplus|received|dodavka|immission|immess|\binjecte|"
        + OBIS_EXPORT
        + "|"
        + IEC_EXPORT,
        "export",
    ),
    (
        r"produced|production|produktion|erzeugung|ertrag|opwek|vyroba|produzion|\bpv\b|solar"
        r"|yield|generat|tot ?wh ?out|\bgg\b",
        "generation",
    ),
    (r"\bgas\b|therm|\bm3\b", "gas"),
    (
        r"\bload\b|consumed|\btotal consumption\b|(haus|house|home|household|site|gebaude)"
        r" ?(verbrauch|consumption|usage)|^(home|house|haushalt)( kwh)?$",
        "load",
    ),
    (
        r"import|purchased|delivered|offtake|afname|bezug|\blevering|consumption|verbrauch|inflow"
        r"|from grid"
        r"|verbruik|consumo|consommation|odber|\bcons\b|" + OBIS_IMPORT + "|" + IEC_IMPORT,
        "",
    ),
)
# Grid import as opposed to consumption: what a meter bought from the grid.
IMPORT_WORDS = (
    r"import|purchased|delivered|offtake|afname|bezug|\blevering|inflow|odber|from grid"
    r"|" + OBIS_IMPORT + "|" + IEC_IMPORT
)
# Devices inside a site, whose columns are shares of the site's.
DEVICE_WORDS = (
    r"wallbox|charger|ladestation|laadpaal|\bev\b|battery|batterie|accu|heat ?pump|warmepumpe"
    r"|warmtepomp|boiler|\bid \d"
)
# Tariff registers of one direction (T1/T2, day/night, ET/VT/MT), and the words that make one
# of them the total of the others.
TARIFF_TOKENS = (
    r"\b(t[1-4]|tarif ?[1-4]|tariff ?[1-4]|ht|nt|vt|mt|et|hoch|nieder|normal|low|high|dal|piek"
    r"|dag|nacht|day|night|peak|off ?peak|jour|nuit|hp|hc|haut|bas|1 8 [0-4]|2 8 [0-4])\b"
)
TOTAL_TOKENS = r"(\b(total|tot|gesamt|summe|sum|et|1 8 0|2 8 0|somme|totaal|celkem)\b|σ|総|合計)"
# A value that is consumption less export: read only where the file gives no import beside it.
NET_WORDS = (
    r"\bnet\b|\bnetto\b|\bsaldo\b|\bnet consumption\b|\bnet usage\b|netted|after netting"
    r"|saldiert|po bilansowaniu|\bminus\b|\bless\b|\bmoins\b|abzuglich|\bmeno\b|\bmenos\b"
)
# Rows of a type column that name electricity, and rows that carry no energy reading.
ELECTRIC_TYPES = (
    r"electric|elektri|usage|consumption|import|export|injection|afname|injectie|offtake"
    r"|surplus|generation|active|cons\b|verbruik|levering"
)
WATER_WORDS = r"water|wasser|\beau\b|\bagua\b|acqua|vatten|\bvesi\b|\bvand\b|\bvann\b"
NOT_ENERGY_TYPES = NOT_ACTIVE + "|" + WATER_WORDS
# Units of a volume (gas in m³, dm³, litres): no energy without a conversion factor.
VOLUME_UNITS = r"^(n?m3|m³|dm3|dm³|l|liter|litre|litres|liters|cbm|ccf|mcf|ft3|cf)$"

# --- units ---------------------------------------------------------------------------------

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
# Units as exporters write them in other scripts and spellings, folded, with what they mean.
UNIT_SPELLINGS = {
    "kilowatt hours": "kwh", "kilowatt hour": "kwh", "kwhs": "kwh", "kw h": "kwh",
    "watt hours": "wh", "watt hour": "wh", "watthours": "wh", "megawatt hours": "mwh",
    "kilowatts": "kw", "kilowatt": "kw", "watts": "w",
    "квт ч": "kwh", "квтч": "kwh", "квт год": "kwh", "вт ч": "wh", "втч": "wh",
    "мвт ч": "mwh", "квт": "kw", "вт": "w", "千瓦时": "kwh", "千瓦時": "kwh", "度": "kwh",
    "瓦时": "wh", "キロワット時": "kwh", "キロワットアワー": "kwh", "קוט\"ש": "kwh", "קוטש": "kwh",
    "κιλοβατωρες": "kwh", "κβατ ω": "kwh",
}  # fmt: skip
UNIT_IN_NAME = r"(?<![^\W\d_])(kwh|wh|mwh|kw|w|mw|therms?|m3)(?![^\W\d_])"

# Exporters' own names, exactly as folded: (name, channel) for names no rule above reads.
EXPORTER_CHANNELS: dict[str, Channel] = {
    # Liander daily readings: registers 1 and 2 are import (low, normal), 3 and 4 export.
    "reading1": "", "reading2": "", "reading3": "export", "reading4": "export",
    "usage1": "", "usage2": "", "usage3": "export", "usage4": "export",
    # Ausgrid solar homes: general consumption and controlled load are import.
    "gc": "", "cl": "",
}  # fmt: skip

# --- values --------------------------------------------------------------------------------

_MISSING = (
    "", "null", "nan", "-", "--", "—", "–", "−", "n/a", "na", "n.a.", "#n/a", "none", "nil",
    "no consumption", "geen verbruik", "kein wert", "keine daten", "sans valeur", "sin datos",
    "no data",
)  # fmt: skip

# Words of languages whose exports write dates day first.
_EUROPEAN = (
    r"datum|zeit|verbrauch|zahl|zaehl|wert|bis\b|\bvon\b|horodat|valeur|debut|consommation"
    r"|compteur|tijd|verbruik|waarde|levering|afname|injectie|fecha|hora|consumo|valor|giorno"
    r"|valore|inizio|\bora\b|\bcas\b|\bod\b|\bdo\b|spotreba|hodnota|stand|meterstand|opname"
)


def folded(name: str) -> str:
    return _folded(name)


@lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    text = _without_accents(name.replace("ß", "ss"))
    text = re.sub(
        r"(?i)(?<![a-z])(kwh|mwh|kvarh|wh|kw|kvar)(?![a-z])", lambda m: f" {m[1].lower()} ", text
    )
    text = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"[^\w+\-]+|_", " ", text.casefold()).replace(" - ", " ").strip()
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", text)
    return re.sub(r"(?<![\w])-(?![\w])", " ", text).strip()


def _without_accents(text: str) -> str:
    """Accents off the letters of alphabets that have cases (Latin, Greek, Cyrillic); the marks
    of other scripts (Japanese voicing marks) are part of their letters and stay."""
    kept = []
    base = ""
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) and base < "\u0530":
            continue
        kept.append(char)
        base = char if not unicodedata.combining(char) else base
    return unicodedata.normalize("NFC", "".join(kept))


PREFIX_LETTERS = 7


def _no_spaces(word: str) -> bool:
    """Scripts written without spaces between words: a word matches anywhere in a name."""
    return any("\u3040" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" for char in word)


def _word_pattern(word: str) -> str:
    """A word at the start of a word of a name; long words may go on (`mittauspiste` in
    `mittauspisteen`, as languages inflect them), short ones only as whole words."""
    if _no_spaces(word):
        return re.escape(word)
    end = "" if len(word) >= PREFIX_LETTERS else r"(?![\w])"
    return rf"(?<![\w]){re.escape(word)}{end}"


def _words(role: str, extra: str = "") -> str:
    """`extra` or any word of the role in any language, as one pattern over folded names."""
    words = sorted(
        {folded(word) for language in LANGUAGES.values() for word in getattr(language, role)},
        key=len,
        reverse=True,
    )
    alternatives = [_word_pattern(word) for word in words if word]
    return "|".join(([extra] if extra else []) + alternatives)


TIME_WORDS = _words("time", _TIME) + "|" + _words("end") + "|" + _words("clock")
END_WORDS = _words("end", _END)
CLOCK_NAMES = _words("clock", _CLOCK)
QUANTITY_WORDS = "|".join(
    _words(role) for role in ("quantity", "interval", "register", "consumption", "export")
)
QUANTITY_WORDS = "|".join(
    [
        _QUANTITY,
        _REGISTER,
        QUANTITY_WORDS,
        _words("generation"),
        *(pattern for pattern, _ in _CHANNELS),
    ]
)
INTERVAL_WORDS = _words("interval", _INTERVAL)
REGISTER_WORDS = _words("register", _REGISTER)
UNIT_COLUMN = _words("unit", _UNIT)
IGNORED_COLUMNS = _words("ignored", _IGNORED)
ID_NAMES: tuple[tuple[int, str], ...] = (
    (3, _words("metering_point", _METERING_POINT)),
    (2, _words("meter", _METER)),
    (1, _words("account", _ACCOUNT)),
)
CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    _CHANNELS[0],
    (_words("export", _CHANNELS[1][0]), "export"),
    (_words("generation", _CHANNELS[2][0]), "generation"),
    _CHANNELS[3],
    _CHANNELS[4],
    (_words("consumption", _CHANNELS[5][0]), ""),
)
MISSING_VALUES = frozenset(
    {*_MISSING, *(folded(w) for language in LANGUAGES.values() for w in language.missing)}
)
EUROPEAN_WORDS = "|".join(
    [_EUROPEAN]
    + [
        rf"(?<![\w]){re.escape(folded(word))}(?![\w])"
        for language in LANGUAGES.values()
        if language.day_first
        for role in ("time", "quantity", "interval", "register", "unit")
        for word in getattr(language, role)
        if len(folded(word)) > 3 and not _no_spaces(word)
    ]
)


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
    """The unit a (folded) name or cell gives, in the spelling of ENERGY_UNITS/POWER_UNITS."""
    found = _WATTS.search(name)
    if found:
        prefix = {"k": "k", "kilo": "k", "m": "m", "mega": "m"}.get(found["prefix"] or "", "")
        return prefix + ("wh" if found["hours"] or found["h"] else "w")
    found = _SPELLED_UNIT.search(name)
    if found:
        return _SPELLINGS[found.group(0)]
    found = _compiled(UNIT_IN_NAME).search(name)
    return found.group(1) if found else None


# Watts and watt-hours however an exporter spells them once folded: `k watts`, `k whs`,
# `kilowattstunden`, `watt hours`, `kwh`.
_WATTS = re.compile(
    r"(?<![^\W\d_])(?P<prefix>kilo|mega|k|m)? ?"
    r"(?:watt ?(?P<hours>hours?|hrs?|stunden?|std|uur|heures?|ora|timer)|w ?(?P<h>h)|watts?)"
    r"s?(?![^\W\d_])"
)
_SPELLINGS = {folded(spelling): unit for spelling, unit in UNIT_SPELLINGS.items()}


def without_unit(name: str) -> str:
    """A (folded) name with the units it gives taken out."""
    for pattern in (_WATTS, _SPELLED_UNIT, _compiled(UNIT_IN_NAME)):
        name = pattern.sub(" ", name)
    return name


_SPELLED_UNIT = re.compile(
    "|".join(
        re.escape(spelling)
        if _no_spaces(spelling) and len(spelling) > 1
        else rf"(?<![\w]){re.escape(spelling)}(?![\w])"
        for spelling in sorted(_SPELLINGS, key=len, reverse=True)
    )
)


def any_says(names: Iterable[str], pattern: str) -> bool:
    return any(says(name, pattern) for name in names)


def is_consumption(meter_id: str) -> bool:
    """Whether a meter is the consumption one, not a channel kept beside it (`m:export`)."""
    return not meter_id.endswith(CHANNEL_SUFFIXES)


def words_known(text: str) -> int:
    """How many of a text's cells are words the vocabulary knows: a file read in the right
    code page names its columns in words of some language, read in the wrong one it does not."""
    words = {folded(word) for word in re.findall(r"[^\W\d_]+", text) if not word.isascii()}
    roles = (TIME_WORDS, QUANTITY_WORDS, UNIT_COLUMN, ID_NAMES[0][1], ID_NAMES[1][1])
    return sum(1 for word in words if word and any(says(word, role) for role in roles))
