"""JSON Lines: one JSON object per line, blank lines ignored.

The writer must not re-serialize rows (that reorders nothing but still rewrites escapes,
spacing and numbers, and pandas turned a missing value into a bare ``NaN``). A small
scanner finds the span of the top-level ``target`` value in a changed line and only that
token is replaced, by ``json.dumps(value, ensure_ascii=False)``; every other byte stays.
Lines end at ``\\n`` only, so a raw U+2028 inside a JSON string does not split a row.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from tqaudit.errors import InputError, OutputError
from tqaudit.io.formats.common import check_positions, load, splice, stream_lines, to_bytes
from tqaudit.segments import is_segment_column

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
# Line breaks to str.splitlines() and to JavaScript; json.dumps leaves them raw.
_RAW_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


class Row(NamedTuple):
    number: int  # 1-based line number
    start: int
    end: int  # the line's span, "\r" of a CRLF excluded


def rows(text: str) -> Iterator[Row]:
    """The non-blank lines of ``text``: one per segment, in order."""
    start, number = 0, 0
    while start < len(text):
        nl = text.find("\n", start)
        stop = len(text) if nl < 0 else nl
        number += 1
        end = stop - 1 if stop > start and text[stop - 1] == "\r" else stop
        if text[start:end].strip():
            yield Row(number, start, end)
        start = stop + 1


def _unique_segment_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads`` keeps the last of a repeated key; for a segment column that would
    silently drop one text, so it is refused."""
    obj = dict(pairs)
    if len(obj) == len(pairs):  # no key repeated (every well-formed row): nothing to test
        return obj
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen and is_segment_column(key):
            raise ValueError(f"key {key!r} appears twice")
        seen.add(key)
    return obj


def _check_values(obj: dict[str, Any], path: Path, number: int) -> None:
    """Segment columns hold a string, a number or null; a list, object, boolean or NaN
    is an error (its Python repr would otherwise be audited as the text)."""
    for key, value in obj.items():
        if value is None or isinstance(value, str) or not is_segment_column(key):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = {bool: "a boolean", list: "a list", dict: "an object"}.get(
                type(value), type(value).__name__
            )
            raise InputError(f"{path}:{number}: {key!r} is {kind}, not text")
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(f"{path}:{number}: {key!r} is {value}, not text")


# one decoder for every line (``json.loads`` with a hook builds a new one per call)
_ROW_DECODER = json.JSONDecoder(object_pairs_hook=_unique_segment_keys)


def _object(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        value = _ROW_DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
    except ValueError as exc:  # a repeated segment key, from the hook
        raise InputError(f"{path}:{number}: {exc}") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}:{number}: expected a JSON object per line")
    _check_values(value, path, number)
    return value


def read(path: Path) -> pd.DataFrame:
    """One table row per JSON object, plus ``line``; values keep their JSON types."""
    _, text = load(path)
    return _table([{**_object(text[r.start : r.end], path, r.number), "line": r.number} for r in rows(text)])


def read_chunks(path: Path, size: int) -> Iterator[pd.DataFrame]:
    """:func:`read` in tables of ``size`` rows, the file read line by line as they are taken."""
    records: list[dict[str, Any]] = []
    for number, line in enumerate(stream_lines(path), start=1):
        if line.strip():
            records.append({**_object(line, path, number), "line": number})
            if len(records) == size:
                yield _table(records)
                records = []
    if records:
        yield _table(records)


def _table(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(records, dtype=object)  # object: a number stays "5", not "5.0"
    if "line" in frame.columns:
        frame["line"] = frame["line"].astype("int64")
    return frame


def _skip(line: str, i: int) -> int:
    match = _WS.match(line, i)
    return match.end() if match else i


def members(line: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Spans of the top-level values of the JSON object ``line`` by key, and the offset of its ``}``.

    A repeated key gives the last span, as ``json.loads`` keeps the last value.
    """
    spans: dict[str, tuple[int, int]] = {}
    i = _skip(line, 0)
    if line[i] != "{":
        raise ValueError("not an object")
    i = _skip(line, i + 1)
    if line[i] == "}":
        return spans, i
    while True:
        if line[i] != '"':
            raise ValueError("expected a key")
        key, i = scanstring(line, i + 1)
        i = _skip(line, i)
        if line[i] != ":":
            raise ValueError("expected ':'")
        start = _skip(line, i + 1)
        _, end = _DECODER.raw_decode(line, start)
        spans[key] = (start, end)
        i = _skip(line, end)
        if line[i] == "}":
            return spans, i
        if line[i] != ",":
            raise ValueError("expected ',' or '}'")
        i = _skip(line, i + 1)


def encode(value: str) -> str:
    """``value`` as a JSON string token that no line-based reader splits."""
    token = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _RAW_BREAKS.items():
        token = token.replace(raw, escaped)
    return token


def _current(obj: dict[str, Any]) -> str:
    """The target text as the segments table has it (``normalize``: missing -> "", else str)."""
    value = obj.get("target")
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def write_targets(path: Path, targets: Mapping[int, str]) -> bytes:
    """The file with the ``target`` token of the changed lines replaced; every other byte kept."""
    bom, text = load(path)
    found = list(rows(text))
    check_positions(path, targets, len(found))
    edits = []
    for pos, value in targets.items():
        row = found[pos]
        line = text[row.start : row.end]
        obj = _object(line, path, row.number)
        if _current(obj) == value:
            continue
        try:
            spans, close = members(line)
        except (ValueError, IndexError):
            raise OutputError(f"{path}:{row.number}: cannot locate the target value") from None
        if "target" in spans:
            start, end = spans["target"]
            edits.append((row.start + start, row.start + end, encode(value)))
        else:
            sep = ", " if spans else ""
            at = row.start + close
            edits.append((at, at, f'{sep}"target": {encode(value)}'))
    if not edits:
        return to_bytes(path, bom + text)
    new = splice(text, edits)
    changed = list(rows(new))
    for pos, value in targets.items():  # the scanner and json.loads must agree
        row = changed[pos]
        if _current(_object(new[row.start : row.end], path, row.number)) != value:
            raise OutputError(f"{path}:{row.number}: the fixed target could not be written")
    return to_bytes(path, bom + new)
