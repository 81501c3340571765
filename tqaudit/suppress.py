"""Suppressions: findings a file's own comments or the configuration say to leave alone.

- **Inline**, on a unit: a translator comment or note containing ``tqaudit: ignore[TL001, CQ]``
  (codes or prefixes, as ``--ignore`` takes them) or a bare ``tqaudit: ignore`` (every rule)
  silences those rules on that segment. PO translator and extracted comments and XLIFF
  ``<note>``s arrive as the segments' ``note`` column; a table (TSV, CSV, JSONL, Parquet) may
  carry a ``note`` column of its own. The directive is the reviewer's decision recorded where
  the translation lives, like ruff's ``# noqa: E501``.
- **Per file**, in the configuration: ``[per-file-ignores]`` maps fnmatch patterns of input
  paths to rule codes or prefixes (ruff's ``per-file-ignores``), applied by
  :meth:`tqaudit.config.Config.for_path`.

Suppressed findings are counted (``inline_suppressed`` in ``summary.json``), never silently lost.
"""

from __future__ import annotations

import re

import pandas as pd

_DIRECTIVE = re.compile(r"tqaudit:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)
ALL = ("",)  # a prefix every code starts with


def directive(note: str) -> tuple[str, ...]:
    """The codes or prefixes a note's ``tqaudit: ignore[...]`` names (``ALL`` for a bare one)."""
    codes: list[str] = []
    for match in _DIRECTIVE.finditer(note):
        if match.group(1) is None:
            return ALL
        codes += [c.strip().upper() for c in match.group(1).split(",") if c.strip()]
    return tuple(codes)


def apply_inline(findings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """``findings`` without those that a segment's ``note`` directive silences."""
    if findings.empty or "note" not in segments.columns:
        return findings
    silenced = {
        seg: codes
        for seg, note in zip(segments["segment_id"], segments["note"], strict=True)
        if isinstance(note, str) and "tqaudit" in note.lower() and (codes := directive(note))
    }
    if not silenced:
        return findings
    keep = [
        not any(str(rule).startswith(c) for c in silenced.get(seg, ()))
        for seg, rule in zip(findings["segment_id"], findings["rule"], strict=True)
    ]
    return findings[keep].reset_index(drop=True)
