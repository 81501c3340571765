"""Parquet reports for programs: ``findings.parquet`` and ``segments.parquet``.

The rows and columns of ``findings.csv`` and ``segments.csv``, typed and as they are: the
engine's counts and offsets (``line``, ``start``, ``end``, ``errors``, ``warnings``,
``infos``) as 64-bit integers, every other number (scores, language confidences, a numeric
column of the input) as a 64-bit float, and everything else as text, null where a cell is
missing. Texts are not neutralised against spreadsheet formulas as in the CSV reports: that
is for spreadsheets, and would change the data that pandas, DuckDB or Spark read.

Both files are written a row group at a time from the stored chunks of segments (and
pieces of ``FINDINGS_PIECE`` findings), so a million segments are never one table in
memory, and in row groups of a fixed size, so the bytes do not depend on the chunks. A
file's types are set once, from the column names and the kind of each column (number or
not), so every row group has the same. No pandas metadata is stored (the files are plain
Arrow tables) and pyarrow writes no timestamps: the same input and options give the same
bytes.

pyarrow is the ``parquet`` extra; ``--format parquet`` without it is refused before the
audit runs (:func:`available`).
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Callable, Iterable
from typing import IO, Any

import pandas as pd

from tqaudit.audit import AuditResult
from tqaudit.report.csv import FINDINGS_PIECE, finding_counts, with_counts
from tqaudit.segments import all_text

# Rows per row group (a reader reads a file a row group at a time; 50,000 texts are a few
# tens of megabytes held before they are written).
ROW_GROUP_ROWS = 50_000
# The columns tqaudit itself fills with whole numbers.
INTEGER_COLUMNS = frozenset({"line", "start", "end", "errors", "warnings", "infos"})


def available() -> bool:
    """Whether pyarrow, which writes Parquet, is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def render(result: AuditResult) -> dict[str, Callable[[IO[bytes]], None]]:
    """The two files, each written by a function of the open file."""
    counts = finding_counts(result.findings)
    findings = result.findings
    segments = (with_counts(chunk, counts) for chunk in result.store.chunks())
    pieces = (findings.iloc[i : i + FINDINGS_PIECE] for i in range(0, max(len(findings), 1), FINDINGS_PIECE))
    return {
        "findings.parquet": lambda fh: write_frames(fh, pieces),
        "segments.parquet": lambda fh: write_frames(fh, segments),
    }


def write_frames(fh: IO[bytes], frames: Iterable[pd.DataFrame]) -> None:
    """``frames`` (the same columns each) into ``fh`` as one Parquet file, the schema that of
    the first frame's columns (:func:`_arrow_type`).

    Row groups hold ``ROW_GROUP_ROWS`` rows (the last one the rest), however the rows came:
    the file's bytes depend on the data only, not on the engine's chunks or ``--jobs``. The
    rows not yet written are held as Arrow arrays, at most a row group's worth."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: Any = None
    pending: list[Any] = []
    held = 0
    try:
        for frame in frames:
            if writer is None:
                schema = pa.schema([pa.field(str(c), _arrow_type(str(c), frame[c])) for c in frame.columns])
                writer = pq.ParquetWriter(fh, schema)
            pending.append(
                pa.Table.from_arrays([_array(frame[f.name], f.type) for f in schema], schema=schema)
            )
            held += len(frame)
            if held >= ROW_GROUP_ROWS:
                rows = pa.concat_tables(pending).combine_chunks()  # one layout, whatever the pieces
                full = held - held % ROW_GROUP_ROWS
                writer.write_table(rows.slice(0, full), row_group_size=ROW_GROUP_ROWS)
                pending, held = [rows.slice(full)], held - full
        if writer is None:  # no frame at all: a valid file of no columns
            pq.write_table(pa.table({}), fh)
        elif held:
            writer.write_table(pa.concat_tables(pending).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
    finally:
        if writer is not None:
            writer.close()


def _arrow_type(name: str, column: pd.Series) -> Any:
    import pyarrow as pa

    if name in INTEGER_COLUMNS:
        return pa.int64()
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return pa.float64()
    return pa.string()


def _array(column: pd.Series, kind: Any) -> Any:
    """A column as an Arrow array of ``kind``: a missing value (None, NaN, NaT, NA) as null,
    and in a text column any other value as its text (what the CSV report writes)."""
    import pyarrow as pa

    values = column.tolist()
    if kind == pa.string() and not all_text(values):
        values = [_text(v) for v in values]
    return pa.array(values, type=kind, from_pandas=True)


def _text(value: Any) -> str | None:
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, str) else str(value)
