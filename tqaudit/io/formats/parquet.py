"""Parquet tables through pyarrow.

A Parquet file cannot be patched in place, so the writer rewrites it from the same Arrow
table the reader loads: same columns, same types and schema metadata, the same codec per
column, only the target column's changed values differ. Byte identity is not possible.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.errors import InputError, OutputError
from tqaudit.io.formats.common import check_positions


def load(path: Path) -> Any:
    """The file as a ``pyarrow.Table`` (errors name the file)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow (pip install 'tqaudit[parquet]')") from None
    try:
        return pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"{path}: not a Parquet file ({type(exc).__name__})") from None


def read(path: Path) -> pd.DataFrame:
    """The table as pandas reads it (``pd.read_parquet``)."""
    return load(path).to_pandas()


def _current(value: object) -> str:
    return "" if value is None else str(value)


def write_targets(path: Path, targets: Mapping[int, str]) -> bytes:
    """The file rewritten with the changed targets; every other column and value as read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = load(path)
    if "target" not in table.column_names:
        raise OutputError(f"{path}: no 'target' column")
    check_positions(path, targets, table.num_rows)
    index = table.column_names.index("target")
    field = table.schema.field(index)
    values = table.column(index).to_pylist()
    changed = {pos: v for pos, v in targets.items() if _current(values[pos]) != v}
    if changed and not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
        raise OutputError(f"{path}: the target column is {field.type}, not text; cannot write fixes to it")
    for pos, value in changed.items():
        values[pos] = value
    table = table.set_column(index, field, pa.array(values, type=field.type))
    meta = pq.ParquetFile(path).metadata
    options: dict[str, Any] = {}
    if meta.num_row_groups:
        group = meta.row_group(0)
        options["row_group_size"] = max(group.num_rows, 1)
        columns = [group.column(i) for i in range(group.num_columns)]
        codecs = {c.path_in_schema: c.compression for c in columns}
        if set(codecs) <= set(table.column_names):
            options["compression"] = {name: codec.lower() for name, codec in codecs.items()}
    sink = io.BytesIO()
    try:
        pq.write_table(table, sink, **options)
    except (pa.ArrowException, ValueError):
        sink = io.BytesIO()
        pq.write_table(table, sink)
    return sink.getvalue()
