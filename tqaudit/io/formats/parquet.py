"""Parquet tables through pyarrow.

A Parquet file cannot be patched in place, so the writer rewrites it from the same Arrow
table the reader loads: same columns, same types and schema metadata, the same codec per
column, only the target column's changed values differ. Byte identity is not possible.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.errors import InputError, OutputError
from tqaudit.io.formats.common import check_positions
from tqaudit.segments import is_segment_column


def _parquet(path: Path) -> Any:
    """``pyarrow.parquet``, or the error saying how to install it."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow (pip install 'tqaudit[parquet]')") from None
    return pq


def _refused(path: Path, exc: Exception) -> InputError:
    return InputError(f"{path}: not a Parquet file ({type(exc).__name__})")


def load(path: Path) -> Any:
    """The file as a ``pyarrow.Table`` (errors name the file)."""
    pq = _parquet(path)
    try:
        return pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise _refused(path, exc) from None


def read(path: Path) -> pd.DataFrame:
    """The table as pandas reads it (``pd.read_parquet``), its segment columns as text.

    A segment column (``id``, ``target``, ``source``, …) must hold scalars: a list, struct or
    map column is refused (its Python repr would be audited as the text, and no fix could be
    written back to it). Numbers become their Arrow text (an integer id ``1`` stays ``"1"``,
    not pandas' ``1.0`` once a null makes the column float); binary must be UTF-8.
    """

    return _as_frame(path, load(path))


def read_chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    """:func:`read` in tables of ``size`` rows, read batch by batch from the file."""
    pq = _parquet(path)
    import pyarrow as pa

    try:
        file = pq.ParquetFile(path)
        batches = file.iter_batches(batch_size=size)
    except Exception as exc:  # as in load()
        raise _refused(path, exc) from None
    done = 0
    with file:
        while True:
            try:
                batch = next(batches, None)
            except Exception as exc:  # a damaged row group, met mid-file
                raise _refused(path, exc) from None
            if batch is None:
                return
            yield _as_frame(path, pa.Table.from_batches([batch]), done)
            done += batch.num_rows


def _as_frame(path: Path, table: Any, first: int = 0) -> pd.DataFrame:
    for index, name in enumerate(table.column_names):
        if is_segment_column(name):
            table = table.set_column(index, name, _as_text(path, name, table.column(index), first))
    return table.to_pandas()


def _as_text(path: Path, name: str, column: Any, first: int = 0) -> Any:
    """``column`` cast to Arrow strings, or an ``InputError`` naming the column (and row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_nested(kind):
        raise InputError(f"{path}: column {name!r} is {kind}, not text; flatten it to one text per row")
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    try:
        return pc.cast(column, pa.large_string() if pa.types.is_large_binary(kind) else pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        for row, value in enumerate(column.to_pylist()):
            try:
                if value is not None:
                    value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{path}: column {name!r}, row {first + row + 1}: not UTF-8 (byte {exc.start})"
                ) from None
    raise InputError(f"{path}: column {name!r} is {kind}, not text")


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
