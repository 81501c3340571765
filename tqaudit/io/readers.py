"""Readers that build the segments table from files.

The format is picked from the extension (``--input-format`` overrides): plain text (one
target segment per line, with optional line-aligned source and reference files), TSV/CSV
with a header, JSON Lines, Parquet, XLIFF/TMX/PO, and feeds of translated articles (RSS,
Atom, JSON Lines of articles, HTML; see :mod:`tqaudit.io.formats.feeds`). Every error names the file, and the
line where known. Each format lives in its own module under :mod:`tqaudit.io.formats`,
beside the writer that puts fixed targets back into the same file; this module keeps the
public entry points and picks the module.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.io.formats import delimited, feeds, jsonl, l10n, parquet, txt
from tqaudit.io.formats.common import declared_encoding, read_text, stream_lines
from tqaudit.io.formats.txt import read_lines
from tqaudit.segments import UniqueIds, normalize

__all__ = [
    "FORMATS",
    "count_rows",
    "detect_format",
    "read_chunks",
    "read_lines",
    "read_segments",
    "read_text",
]

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
    ".rss": "rss",
    ".rdf": "rss",
    ".atom": "atom",
    ".html": "html",
    ".htm": "html",
}
# Read when named (never picked up from a folder): ``.xml`` is a feed when its root is
# ``<rss>`` or ``<feed>``; JSON Lines of articles are told from segment tables by their fields.
KNOWN_FORMATS = frozenset(FORMATS.values()) | {"articles"}


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
        if fmt not in KNOWN_FORMATS:
            raise InputError(f"unknown input format {fmt!r} (known: {', '.join(sorted(KNOWN_FORMATS))})")
        return fmt
    suffix = path.suffix.lower()
    if suffix == ".xml":
        found = feeds.sniff(path)
        if found is None and path.is_file():
            raise InputError(f"{path}: not an RSS or Atom feed; name its format with --input-format")
        return found or "rss"  # a missing file: the reader's own error
    kind = FORMATS.get(suffix, "txt")
    if kind == "jsonl" and feeds.looks_like_articles(path):
        return "articles"
    return kind


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
    split: str = "paragraphs",
) -> pd.DataFrame:
    """Read ``path`` into a validated segments table.

    ``src``/``refs`` are line-aligned files for a plain-text target; for tables they fill
    or replace the ``source``/``reference`` columns. ``src_lang``/``tgt_lang`` fill the
    language columns where the table leaves them empty. ``encoding`` names the text files'
    encoding (default: UTF-8, or UTF-16/32 by their byte-order mark); XLIFF, TMX and PO
    declare their own. ``dialect`` (auto, literal, quoted) overrides TSV/CSV quoting detection.
    ``split`` (``paragraphs`` or ``sentences``) is how a feed's article bodies become segments;
    with a feed, ``src`` is the feed of the original articles.
    """
    with declared_encoding(encoding), delimited.declared_dialect(dialect):
        kind = detect_format(Path(path), fmt)
        if kind in feeds.FEED_FORMATS:
            return _read_feed(Path(path), kind, src, refs, src_lang, tgt_lang, split)
        if split != "paragraphs":
            raise InputError(f"--split {split} applies to feeds (rss, atom, articles, html), not to {kind}")
        return _read_segments(Path(path), kind, src, refs, src_lang, tgt_lang, keep_bom)


# Formats read in chunks as the audit takes them; the others are read whole, then sliced.
_CHUNK_READERS: dict[str, Callable[[Path, int], Iterator[pd.DataFrame]]] = {
    "jsonl": jsonl.read_chunks,
    "parquet": parquet.read_chunks,
    "tsv": lambda p, size: delimited.read_chunks(p, "\t", size),
    "csv": lambda p, size: delimited.read_chunks(p, ",", size),
}


def read_chunks(
    path: str | Path,
    *,
    size: int,
    fmt: str | None = None,
    src: str | Path | None = None,
    refs: Sequence[str | Path] = (),
    src_lang: str = "",
    tgt_lang: str = "",
    encoding: str | None = None,
    dialect: str | None = None,
    split: str = "paragraphs",
    keep_bom: bool = False,
) -> Iterator[pd.DataFrame]:
    """The segments of ``path`` as :func:`read_segments` reads them, in validated tables of
    ``size`` rows, read as they are taken: plain text, JSON Lines, TSV, CSV and Parquet
    (with their side files) stream from the file, so an input of any length is never whole
    in memory; the other formats are read whole and sliced. Ids must be unique across the whole input
    (checked when the last chunk has been read). ``keep_bom`` keeps a plain-text file's
    byte-order mark as text (``tqaudit score``, as sacrebleu)."""
    path = Path(path)
    with declared_encoding(encoding), delimited.declared_dialect(dialect):
        kind = detect_format(path, fmt)
        if kind in feeds.FEED_FORMATS:
            whole = _read_feed(path, kind, src, refs, src_lang, tgt_lang, split)
            yield from (whole.iloc[i : i + size].reset_index(drop=True) for i in range(0, len(whole), size))
            return
        if split != "paragraphs":
            raise InputError(f"--split {split} applies to feeds (rss, atom, articles, html), not to {kind}")
        if kind != "txt" and kind not in _CHUNK_READERS:  # read whole, then sliced
            whole = _read_segments(path, kind, src, refs, src_lang, tgt_lang, keep_bom)
            yield from (whole.iloc[i : i + size].reset_index(drop=True) for i in range(0, len(whole), size))
            return
        ids = UniqueIds(str(path))
        done = 0
        for frame in _raw_chunks(path, kind, src, refs, size, keep_bom):
            chunk = with_languages(normalize(frame, origin=str(path), first=done), src_lang, tgt_lang)
            ids.add(chunk["segment_id"])
            done += len(chunk)
            yield chunk
        if not done:
            raise InputError(f"{path}: no rows")
        ids.check(lambda: _ids(path, kind, src, refs, size))


def count_rows(path: str | Path, fmt: str | None = None) -> int | None:
    """About how many segments ``path`` holds, cheaply, for a progress bar's total (None:
    not known without reading it): a text, JSON Lines, TSV or CSV file's line ends counted in
    blocks of bytes (blank lines, a header and lines inside quoted cells included), a Parquet
    file's row count from its metadata."""
    path = Path(path)
    try:
        kind = detect_format(path, fmt)
        if kind == "parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if kind not in ("txt", "jsonl", "tsv", "csv"):
            return None
        ends, last = 0, b""
        with path.open("rb") as fh:
            while block := fh.read(1 << 20):
                ends += block.count(b"\n")
                last = block[-1:]
        return ends + (1 if last not in (b"", b"\n") else 0)
    except (OSError, ImportError, InputError, ValueError):
        return None  # the read itself reports what is wrong with the file


def _ids(
    path: Path, kind: str, src: str | Path | None, refs: Sequence[str | Path], size: int
) -> Iterator[pd.Series]:
    """The segment ids of ``path``, chunk by chunk, as :func:`read_chunks` gives them."""
    done = 0
    for frame in _raw_chunks(path, kind, src, refs, size):
        yield normalize(frame, origin=str(path), first=done)["segment_id"]
        done += len(frame)


def _raw_chunks(
    path: Path,
    kind: str,
    src: str | Path | None,
    refs: Sequence[str | Path],
    size: int,
    keep_bom: bool = False,
) -> Iterator[pd.DataFrame]:
    """The format's own chunks, with the side files' lines beside a table's rows."""
    if kind == "txt":
        yield from txt.read_chunks(path, Path(src) if src else None, [Path(r) for r in refs], size, keep_bom)
        return
    sides = [Path(p) for p in (src, *refs) if p]
    streams = [stream_lines(p) for p in sides]
    done = 0
    for frame in _CHUNK_READERS[kind](path, size):
        for index, stream in enumerate(streams):
            lines = list(itertools.islice(stream, len(frame)))
            if len(lines) < len(frame):
                rows = sum(len(f) for f in _CHUNK_READERS[kind](path, size))
                raise txt.misaligned(sides[index], done + len(lines), path, rows)
            column = "source" if src and index == 0 else txt.reference_column(index - (1 if src else 0))
            frame[column] = lines
        done += len(frame)
        yield frame
    for side, stream in zip(sides, streams, strict=True):
        extra = sum(1 for _ in stream)
        if extra:
            raise txt.misaligned(side, done + extra, path, done)


def _read_feed(
    path: Path,
    kind: str,
    src: str | Path | None,
    refs: Sequence[str | Path],
    src_lang: str,
    tgt_lang: str,
    split: str,
) -> pd.DataFrame:
    if refs:
        raise InputError(f"{path}: --ref is line-aligned and a feed has no lines to align; audit without it")
    frame = feeds.read(
        path, kind, src=Path(src) if src else None, split=split, src_lang=src_lang, tgt_lang=tgt_lang
    )
    return with_languages(normalize(frame, origin=str(path)), src_lang, tgt_lang)


def with_languages(segments: pd.DataFrame, src_lang: str, tgt_lang: str) -> pd.DataFrame:
    """``segments`` with empty ``src_lang``/``tgt_lang`` cells filled by the declared languages."""
    for column, value in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
        if value:
            segments[column] = segments[column].where(segments[column] != "", value)
    return segments


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
    return with_languages(normalize(frame, origin=str(path)), src_lang, tgt_lang)


def _attach_side_files(
    frame: pd.DataFrame, path: Path, src: str | Path | None, refs: Sequence[str | Path]
) -> pd.DataFrame:
    if src:
        frame["source"] = txt.aligned(Path(src), len(frame), path)
    for i, ref in enumerate(refs):
        frame[txt.reference_column(i)] = txt.aligned(Path(ref), len(frame), path)
    return frame
