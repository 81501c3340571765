"""Plain text: one target segment per line, with optional line-aligned source and references.

A line ends at ``\\n``; a ``\\r`` before it belongs to the line end, so CRLF and LF files
(and mixtures) read the same. The writer replaces a line's text only: each line keeps its
own ending, the BOM stays, and a missing final newline stays missing. Only the target file
is ever rewritten; ``--src``/``--ref`` files are read, never written.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from tqaudit.errors import InputError, OutputError
from tqaudit.io.formats.common import BOM, check_positions, load, splice, stream_lines, to_bytes
from tqaudit.segments import build_segments


class Line(NamedTuple):
    """One line's text span (line end excluded) in the text after the BOM."""

    start: int
    end: int


def parse(text: str) -> list[Line]:
    """The lines of ``text`` (a final line end does not start another line)."""
    lines, start = [], 0
    while start < len(text):
        nl = text.find("\n", start)
        stop = len(text) if nl < 0 else nl
        end = stop - 1 if stop > start and text[stop - 1] == "\r" else stop
        lines.append(Line(start, end))
        start = stop + 1
    return lines


def read_lines(path: Path, *, keep_bom: bool = False) -> list[str]:
    """Lines of a text file without their line ends (``\\n`` or ``\\r\\n``)."""
    bom, text = load(path)
    lines = [text[line.start : line.end] for line in parse(text)]
    if keep_bom and bom:
        lines[0] = bom + lines[0] if lines else bom
    return lines


def aligned(path: Path, expected: int, target: Path, keep_bom: bool = False) -> list[str]:
    """The lines of a side file (source, reference), which must match the target's count."""
    lines = read_lines(path, keep_bom=keep_bom)
    if len(lines) != expected:
        raise misaligned(path, len(lines), target, expected)
    return lines


def misaligned(side: Path, lines: int, target: Path, rows: int) -> InputError:
    """The error of a side file of ``lines`` lines beside a target of ``rows`` segments."""
    return InputError(f"{side}: {lines} lines, but {target} has {rows} (files must be line-aligned)")


def read(path: Path, src: Path | None, refs: Sequence[Path], keep_bom: bool = False) -> pd.DataFrame:
    """The segments of ``path``, with sources and references from the line-aligned files."""
    target = read_lines(path, keep_bom=keep_bom)
    source = aligned(src, len(target), path, keep_bom) if src else None
    references = [aligned(ref, len(target), path, keep_bom) for ref in refs]
    return build_segments(target, source=source, references=references)


def read_chunks(
    path: Path, src: Path | None, refs: Sequence[Path], size: int, keep_bom: bool = False
) -> Iterator[pd.DataFrame]:
    """The columns :func:`read` reads, in tables of ``size`` rows, the files read line by line
    as the chunks are taken (not normalized: the caller gives ids and lines, counting on
    across chunks). Side files that are not line-aligned are an error where the shorter one
    ends, naming both counts as :func:`aligned` does."""
    sides = [p for p in (src, *refs) if p is not None]
    streams = [stream_lines(p, keep_bom=keep_bom) for p in (path, *sides)]
    done = 0
    while rows := list(itertools.islice(itertools.zip_longest(*streams), size)):
        if any(None in row for row in rows):
            _misaligned(path, sides, streams, rows, done)
        columns = list(zip(*rows, strict=True))
        names = ["target", *(["source"] if src else []), *(reference_column(i) for i in range(len(refs)))]
        done += len(rows)
        yield pd.DataFrame({name: list(column) for name, column in zip(names, columns, strict=True)})


def _misaligned(
    path: Path,
    sides: Sequence[Path],
    streams: Sequence[Iterator[str]],
    rows: list[tuple[str, ...]],
    done: int,
) -> None:
    """The error for files that ran out at different lines, with each file's line count."""
    counts = [
        done + sum(row[k] is not None for row in rows) + sum(1 for _ in streams[k])
        for k in range(len(streams))
    ]
    for side, count in zip(sides, counts[1:], strict=True):
        if count != counts[0]:
            raise misaligned(side, count, path, counts[0])


def reference_column(index: int) -> str:
    """The name of the ``index``-th reference column (``reference``, ``reference_2``, …)."""
    return "reference" if index == 0 else f"reference_{index + 1}"


def write_targets(path: Path, targets: Mapping[int, str]) -> bytes:
    """The file with the lines at ``targets``' positions replaced; every other byte as it was.

    A replacement with a line break would shift every later segment, so it is an error.
    """
    bom, text = load(path)
    lines = parse(text)
    check_positions(path, targets, len(lines))
    edits = []
    for pos, value in targets.items():
        if bom and pos == 0:
            value = value.removeprefix(BOM)  # read with keep_bom: the BOM is the file's
        if "\n" in value or "\r" in value:
            raise OutputError(f"{path}:{pos + 1}: the fixed text contains a line break")
        line = lines[pos]
        if text[line.start : line.end] != value:
            edits.append((line.start, line.end, value))
    new = splice(text, edits)
    if len(parse(new)) != len(lines):  # e.g. an emptied last line without a final newline
        raise OutputError(f"{path}: the fixed text would change the number of lines")
    return to_bytes(path, bom + new)
