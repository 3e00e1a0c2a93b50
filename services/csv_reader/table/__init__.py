"""Stage 2, text to table: the head of the file (head.py), the `key,value` lines above the
header (preamble.py), the header row itself (header.py), the rows between blocks that are
not data (blocks.py) and the lines after the last reading (footer.py)."""
