"""The format families the reader knows, one module each. A table family finds its layout
under a candidate header row by the header's names (`by_names`), and the long family also by
the values alone (`by_values`); a record family (NEM) claims a file by its first record and
reads it its own way. A new family is a module here and an entry in the registry below."""

from services.csv_reader.families import long, wide
from services.csv_reader.families.candidate import Candidate, TableFamily

# Tried in this order under each candidate header: a row of interval columns is a wide day
# row before its date column makes it a long one.
TABLE_FAMILIES: tuple[TableFamily, ...] = (wide, long)

__all__ = ["TABLE_FAMILIES", "Candidate", "TableFamily"]
