"""The reader of energy CSV files: any exporter's file read right, or refused with a sentence.

A file goes through five stages, each a folder: `text/` (bytes to text: the encoding and the
rules about the whole file), `table/` (the head, preamble, header, blocks and footer),
`columns/` (what each column holds, by its name first and its values second), `evidence/`
(what only every row can tell: decimal marks, day or month first, registers, the interval)
and `series/` (rows to points to readings in UTC and kWh). `families/` holds the format
families (long, wide, NEM, a client's mapping), one module each; `reading.py` runs the stages.
docs/csv-layouts.md describes the rules as built.
"""

from services.csv_reader.columns.vocabulary import KWH_PER_THERM, is_consumption
from services.csv_reader.errors import RowError, UnreadableFile
from services.csv_reader.families.mapped import ColumnMap
from services.csv_reader.reading import Batch, CsvFile, read_csv
from services.csv_reader.report import ColumnReport, LayoutReport
from services.csv_reader.series.readings import Reading

__all__ = [
    "KWH_PER_THERM",
    "Batch",
    "ColumnMap",
    "ColumnReport",
    "CsvFile",
    "LayoutReport",
    "Reading",
    "RowError",
    "UnreadableFile",
    "is_consumption",
    "read_csv",
]
