"""Stage 1, bytes to text: the encoding and the rules about the whole file (encoding.py), the
bound on a line and the decoded lines (lines.py), the delimiter and quoting (dialect.py)."""
