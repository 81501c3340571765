"""The segments table: one row per segment, the contract every stage reads.

Columns (DESIGN.md): ``segment_id``, ``doc_id``, ``source``, ``target``, ``reference``
(extra references in ``reference_2``, ``reference_3``, …), ``src_lang``, ``tgt_lang``.
Every text column is a plain ``str`` column with no missing values, so rules never
have to test for NaN. ``line`` (1-based line of the input file where the segment starts)
lets SARIF and annotations point into the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tqaudit.errors import InputError

BASE_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "doc_id",
    "source",
    "target",
    "reference",
    "src_lang",
    "tgt_lang",
)
_EXTRA_REF = re.compile(r"^reference_(\d+)$")
# UTF-16 surrogates: only a lone one can sit in a str (an unpaired JSON "\ud800" escape, a
# file name decoded with surrogateescape); it cannot be written as UTF-8 by any report.
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_segment_column(name: object) -> bool:
    """A column the segments table reads as text (``id`` is the files' name for ``segment_id``)."""
    return name == "id" or name in BASE_COLUMNS or bool(_EXTRA_REF.match(str(name)))


def reference_columns(frame: pd.DataFrame) -> list[str]:
    """Names of the reference columns that hold at least one non-empty text, in order."""
    extra = sorted((int(m.group(1)), col) for col in frame.columns if (m := _EXTRA_REF.match(str(col))))
    cols = ["reference"] + [col for _, col in extra]
    return [c for c in cols if c in frame.columns and frame[c].astype(bool).any()]


def build_segments(
    target: Sequence[str],
    *,
    source: Sequence[str] | None = None,
    references: Sequence[Sequence[str]] = (),
    segment_id: Sequence[str] | None = None,
    doc_id: Sequence[str] | None = None,
    src_lang: str = "",
    tgt_lang: str = "",
) -> pd.DataFrame:
    """Build a valid segments table from line-aligned columns."""
    n = len(target)
    data: dict[str, Sequence[str]] = {
        "segment_id": segment_id if segment_id is not None else [str(i) for i in range(1, n + 1)],
        "doc_id": doc_id if doc_id is not None else [""] * n,
        "source": source if source is not None else [""] * n,
        "target": target,
    }
    for i, ref in enumerate(references):
        data["reference" if i == 0 else f"reference_{i + 1}"] = ref
    frame = pd.DataFrame(data)
    frame["src_lang"] = src_lang
    frame["tgt_lang"] = tgt_lang
    return normalize(frame)


def normalize(frame: pd.DataFrame, *, origin: str = "segments", first: int = 0) -> pd.DataFrame:
    """Validate and complete a segments table.

    Accepts the file tables' ``id`` column as ``segment_id``.
    Adds missing optional columns as empty strings, turns missing values into empty
    strings, gives segment ids 1..n where absent, and checks that ``target`` exists and
    that ids are unique. ``origin`` names the file in error messages. ``first``: the rows
    before this table (a chunk of a streamed input), where its ids and lines count on from.
    """
    frame = frame.rename(columns={"id": "segment_id"}) if "segment_id" not in frame.columns else frame
    if "target" not in frame.columns:
        raise InputError(f"{origin}: no 'target' column (found: {', '.join(map(str, frame.columns))})")
    out = frame.copy()
    if "segment_id" not in out.columns:
        out.insert(0, "segment_id", [str(i) for i in range(first + 1, first + len(out) + 1)])
    for col in BASE_COLUMNS:
        if col not in out.columns:
            out[col] = ""
    text_cols = [c for c in out.columns if c in BASE_COLUMNS or _EXTRA_REF.match(str(c))]
    cells = {c: out[c].tolist() for c in text_cols}
    # every column the reports write: an extra column of the input with a lone surrogate
    # would otherwise stop the CSV or Parquet writer after the audit
    scanned = {
        c: cells[c] if c in cells else out[c].tolist()
        for c in out.columns
        if (c in cells or out[c].dtype == object) and not _is_utf8_column(out[c])
    }
    _reject_surrogates(out, scanned, origin)
    for col in text_cols:
        if out[col].dtype != object or not all_text(cells[col]):
            out[col] = out[col].fillna("").astype(str).astype(object)
    if "line" not in out.columns:
        out["line"] = range(first + 1, first + len(out) + 1)
    out["line"] = out["line"].astype("int64")
    dupes = out["segment_id"][out["segment_id"].duplicated()]
    if len(dupes):
        raise InputError(f"{origin}: duplicate segment id {dupes.iloc[0]!r}")
    ordered = list(BASE_COLUMNS) + sorted(
        (c for c in text_cols if c not in BASE_COLUMNS), key=lambda c: int(c.split("_")[1])
    )
    rest = [c for c in out.columns if c not in ordered]
    return out[ordered + rest].reset_index(drop=True)


class UniqueIds:
    """Checks that segment ids are unique across the chunks of a streamed input.

    Each chunk's ids are checked among themselves by :func:`normalize`; across chunks only
    a 64-bit hash per id is kept (8 bytes a segment, not the ids themselves), and the ids
    behind a repeated hash are looked up again, to name the duplicate (and to rule out two
    ids that merely share a hash), only when one is found.
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self._hashes: list[np.ndarray] = []

    def add(self, ids: pd.Series) -> None:
        self._hashes.append(pd.util.hash_pandas_object(ids, index=False).to_numpy())

    def check(self, again: Callable[[], Iterable[pd.Series]]) -> None:
        """Raise for a repeated id; ``again`` reads the ids once more, chunk by chunk."""
        if len(self._hashes) < 2:
            return
        hashes = np.concatenate(self._hashes)
        self._hashes = [hashes]  # the pieces freed: one array, sorted in place
        hashes.sort()
        shared = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        if not shared:
            return
        seen: set[str] = set()
        for ids in again():
            keys = pd.util.hash_pandas_object(ids, index=False).to_numpy()
            for sid, key in zip(ids.tolist(), keys.tolist(), strict=True):
                if key in shared:
                    if sid in seen:
                        raise InputError(f"{self.origin}: duplicate segment id {sid!r}")
                    seen.add(sid)


def _is_utf8_column(column: pd.Series) -> bool:
    """Whether ``column`` is stored by Arrow, whose strings are valid UTF-8 by construction
    (pandas' default string dtype): it cannot hold a lone surrogate, so it is not scanned."""
    dtype = column.dtype
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _reject_surrogates(frame: pd.DataFrame, cells: Mapping[str, list[Any]], origin: str) -> None:
    """A lone surrogate is an input error naming the segment, not a crash in a report writer
    (nor in the conversion to pandas' string dtype, which encodes UTF-8).

    ``cells`` holds the values of the columns to scan as lists (iterating a Series costs a
    Python call per cell)."""
    for col, values in cells.items():
        texts = values if all_text(values) else [v for v in values if isinstance(v, str)]
        if not _SURROGATE.search("".join(texts)):  # one C scan; rows only on a hit
            continue
        for sid, value in zip(frame["segment_id"].tolist(), values, strict=True):
            if isinstance(value, str) and (match := _SURROGATE.search(value)):
                raise InputError(
                    f"{origin}: segment {sid!r}: {col} holds a lone surrogate "
                    f"U+{ord(match.group()):04X}, which is not text (an unpaired JSON \\u escape?)"
                )


def all_text(values: list[Any]) -> bool:
    """Whether every value is a ``str`` (a text column as most readers make it: nothing to
    convert). One pass in C over the cells' types."""
    return set(map(type, values)) <= {str}
