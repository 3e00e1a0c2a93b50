"""Reading a file's bytes whole, as a test looks at it: its readings sorted, its problems as
`line: sentence`, and the file (for its report)."""

import io

from services.csv_reader import CsvFile, Reading, read_csv


def read(data: bytes, **options: object) -> tuple[list[Reading], list[str], CsvFile]:
    file = read_csv(io.BytesIO(data), **options)  # type: ignore[arg-type]
    readings: list[Reading] = []
    errors: list[str] = []
    for batch in file:
        readings.extend(batch.readings)
        errors.extend(f"{e.line}: {e.error}" for e in batch.errors)
    return sorted(readings), errors, file
