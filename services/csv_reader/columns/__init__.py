"""Stage 3, table to columns: what each column holds. By its name first (names.py, with the
words of vocabulary.py), by its values where the names say nothing (by_values.py); units
(units.py) and the choice among quantities that say one thing twice (quantities.py)."""
