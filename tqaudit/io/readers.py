"""Readers that build the segments table from files.

The format is picked from the extension (``--input-format`` overrides): plain text (one
target segment per line, with optional line-aligned source and reference files), TSV/CSV
with a header, JSON Lines, and Parquet. Every error names the file, and the line where known.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.segments import build_segments, normalize

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


def read_text(path: Path, *, keep_bom: bool = False) -> str:
    """The whole file as UTF-8 text (a BOM is dropped unless ``keep_bom``); errors name the file and line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not keep_bom:
        text = text.removeprefix("\ufeff")
    if not text.strip("\ufeff \t\r\n"):
        raise InputError(f"{path}: empty file")
    return text


def read_lines(path: Path, *, keep_bom: bool = False) -> list[str]:
    """Lines of a text file without their line ends (``\\n`` or ``\\r\\n``)."""
    text = read_text(path, keep_bom=keep_bom)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _aligned(path: Path, expected: int, target: Path, keep_bom: bool = False) -> list[str]:
    lines = read_lines(path, keep_bom=keep_bom)
    if len(lines) != expected:
        raise InputError(
            f"{path}: {len(lines)} lines, but {target} has {expected} (files must be line-aligned)"
        )
    return lines


def _read_txt(path: Path, src: Path | None, refs: Sequence[Path], keep_bom: bool = False) -> pd.DataFrame:
    target = read_lines(path, keep_bom=keep_bom)
    source = _aligned(src, len(target), path, keep_bom) if src else None
    references = [_aligned(ref, len(target), path, keep_bom) for ref in refs]
    return build_segments(target, source=source, references=references)


def _read_delimited(path: Path, sep: str) -> pd.DataFrame:
    text = read_text(path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"{path}: {str(exc).splitlines()[0]}") from None
    lines = _record_lines(text, sep, path)
    if len(lines) == len(frame):
        frame["line"] = lines
    return frame


def _record_lines(text: str, sep: str, path: Path) -> list[int]:
    """The line on which each data record starts (quoted cells may span lines).

    A record with more fields than the header is an error: pandas would silently turn
    the extra leading fields into an index and shift every column.
    """
    if sep == "\t":
        reader = csv.reader(io.StringIO(text), delimiter=sep, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(io.StringIO(text), delimiter=sep)
    starts, previous, width = [], 0, 0
    for row in reader:
        if row:
            width = width or len(row)
            if len(row) > width:
                raise InputError(f"{path}:{previous + 1}: {len(row)} fields, but the header has {width}")
            starts.append(previous + 1)
        previous = reader.line_num
    return starts[1:]  # the first record is the header


def _read_jsonl(path: Path) -> pd.DataFrame:
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}:{number}: expected a JSON object per line")
        rows.append({**row, "line": number})
    frame = pd.DataFrame(rows, dtype=object)  # object: a number stays "5", not "5.0"
    frame["line"] = frame["line"].astype("int64")
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return pd.read_parquet(path)
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow (pip install 'tqaudit[parquet]')") from None
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise InputError(f"{path}: not a Parquet file ({type(exc).__name__})") from None


def _read_l10n(path: Path) -> pd.DataFrame:
    """XLIFF, TMX or PO through translate-toolkit, whose XML parser resolves no entities.

    XLIFF keeps its ``trans-unit`` ids and source lines; PO and TMX units are numbered.
    The store's declared languages fill ``src_lang``/``tgt_lang``.
    """
    try:
        from translate.storage import factory
    except ImportError:
        raise InputError(
            f"{path}: reading XLIFF, TMX and PO needs translate-toolkit (pip install 'tqaudit[l10n]')"
        ) from None
    read_text(path)  # the same missing/empty/encoding errors as every other reader
    try:
        store = factory.getobject(str(path))
    except Exception as exc:  # translate-toolkit raises parser-specific types
        raise InputError(
            f"{path}: not a valid {path.suffix[1:].upper()} file ({str(exc).splitlines()[0]})"
        ) from None
    rows = []
    for number, unit in enumerate((u for u in store.units if not u.isheader()), start=1):
        element = getattr(unit, "xmlelement", None)
        unit_id = (
            str(unit.getid() or "").split("\x04")[-1] if path.suffix.lower() in (".xlf", ".xliff") else ""
        )
        rows.append(
            {
                "segment_id": unit_id or str(number),
                "source": str(unit.source or ""),
                "target": str(unit.target or ""),
                "line": getattr(element, "sourceline", None) or number,
            }
        )
    frame = pd.DataFrame(rows)
    frame["src_lang"] = store.getsourcelanguage() or ""
    frame["tgt_lang"] = store.gettargetlanguage() or ""
    return frame


_TABLE_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "xliff": _read_l10n,
    "tmx": _read_l10n,
    "po": _read_l10n,
    "tsv": lambda p: _read_delimited(p, "\t"),
    "csv": lambda p: _read_delimited(p, ","),
    "jsonl": _read_jsonl,
    "parquet": _read_parquet,
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
) -> pd.DataFrame:
    """Read ``path`` into a validated segments table.

    ``src``/``refs`` are line-aligned files for a plain-text target; for tables they fill
    or replace the ``source``/``reference`` columns. ``src_lang``/``tgt_lang`` fill the
    language columns where the table leaves them empty.
    """
    path = Path(path)
    kind = detect_format(path, fmt)
    if kind == "txt":
        frame = _read_txt(path, Path(src) if src else None, [Path(r) for r in refs], keep_bom)
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
        frame["source"] = _aligned(Path(src), len(frame), path)
    for i, ref in enumerate(refs):
        frame["reference" if i == 0 else f"reference_{i + 1}"] = _aligned(Path(ref), len(frame), path)
    return frame
