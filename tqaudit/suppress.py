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

- **By state**, for localisation files: an entry left untranslated (empty target) is not
  audited unless ``untranslated = true`` (``--untranslated``), as pofilter leaves them to
  ``--untranslated``; a PO entry marked ``#, fuzzy`` is audited unless ``fuzzy = false``
  (``--no-fuzzy``). The readers set the ``state`` column; a table may carry its own.

Suppressed findings are counted (``inline_suppressed`` and ``state_skipped`` in
``summary.json``), never silently lost.
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


def apply_states(
    findings: pd.DataFrame, segments: pd.DataFrame, *, untranslated: bool, fuzzy: bool
) -> pd.DataFrame:
    """``findings`` without those on untranslated (unless ``untranslated``) or fuzzy (unless
    ``fuzzy``) entries, by the segments' ``state`` column."""
    if findings.empty or "state" not in segments.columns:
        return findings
    skipped = {"untranslated"} - ({"untranslated"} if untranslated else set())
    skipped |= set() if fuzzy else {"fuzzy"}
    if not skipped:
        return findings
    rows = {
        seg for seg, state in zip(segments["segment_id"], segments["state"], strict=True) if state in skipped
    }
    if not rows:
        return findings
    return findings[~findings["segment_id"].isin(rows)].reset_index(drop=True)
