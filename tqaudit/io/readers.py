"""Readers that build the segments table from files.

The format is picked from the extension (``--input-format`` overrides): plain text (one
target segment per line, with optional line-aligned source and reference files), TSV/CSV
with a header, JSON Lines, Parquet, and XLIFF/TMX/PO. Every error names the file, and the
line where known. Each format lives in its own module under :mod:`tqaudit.io.formats`,
beside the writer that puts fixed targets back into the same file; this module keeps the
public entry points and picks the module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.io.formats import delimited, jsonl, l10n, parquet, txt
from tqaudit.io.formats.common import declared_encoding, read_text
from tqaudit.io.formats.txt import read_lines
from tqaudit.segments import normalize

__all__ = ["FORMATS", "detect_format", "read_lines", "read_segments", "read_text"]

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".tsv": "tsv",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".tmx": "tmx",
    ".po": "po",
}


_TABLE_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "xliff": lambda p: l10n.read(p, "xliff"),
    "tmx": lambda p: l10n.read(p, "tmx"),
    "po": lambda p: l10n.read(p, "po"),
    "tsv": lambda p: delimited.read(p, "\t"),
    "csv": lambda p: delimited.read(p, ","),
    "jsonl": jsonl.read,
    "parquet": parquet.read,
}


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The reader name for ``path``: ``fmt`` if given, else from the extension (default txt)."""
    if fmt:
        if fmt not in set(FORMATS.values()):
            known = ", ".join(sorted(set(FORMATS.values())))
            raise InputError(f"unknown input format {fmt!r} (known: {known})")
        return fmt
    return FORMATS.get(path.suffix.lower(), "txt")


def read_segments(
    path: str | Path,
    *,
    fmt: str | None = None,
    src: str | Path | None = None,
    refs: Sequence[str | Path] = (),
    src_lang: str = "",
    tgt_lang: str = "",
    keep_bom: bool = False,
    encoding: str | None = None,
    dialect: str | None = None,
) -> pd.DataFrame:
    """Read ``path`` into a validated segments table.

    ``src``/``refs`` are line-aligned files for a plain-text target; for tables they fill
    or replace the ``source``/``reference`` columns. ``src_lang``/``tgt_lang`` fill the
    language columns where the table leaves them empty. ``encoding`` names the text files'
    encoding (default: UTF-8, or UTF-16/32 by their byte-order mark); XLIFF, TMX and PO
    declare their own. ``dialect`` (auto, literal, quoted) overrides TSV/CSV quoting detection.
    """
    with declared_encoding(encoding), delimited.declared_dialect(dialect):
        return _read_segments(Path(path), fmt, src, refs, src_lang, tgt_lang, keep_bom)


def _read_segments(
    path: Path,
    fmt: str | None,
    src: str | Path | None,
    refs: Sequence[str | Path],
    src_lang: str,
    tgt_lang: str,
    keep_bom: bool,
) -> pd.DataFrame:
    kind = detect_format(path, fmt)
    if kind == "txt":
        frame = txt.read(path, Path(src) if src else None, [Path(r) for r in refs], keep_bom)
    else:
        frame = _TABLE_READERS[kind](path)
        if frame.empty:
            raise InputError(f"{path}: no rows")
        frame = _attach_side_files(frame, path, src, refs)
    segments = normalize(frame, origin=str(path))
    for column, value in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
        if value:
            segments[column] = segments[column].where(segments[column] != "", value)
    return segments


def _attach_side_files(
    frame: pd.DataFrame, path: Path, src: str | Path | None, refs: Sequence[str | Path]
) -> pd.DataFrame:
    if src:
        frame["source"] = txt.aligned(Path(src), len(frame), path)
    for i, ref in enumerate(refs):
        frame["reference" if i == 0 else f"reference_{i + 1}"] = txt.aligned(Path(ref), len(frame), path)
    return frame
