"""CSV reports for reviewers: ``findings.csv`` and ``segments.csv``.

Text cells that a spreadsheet would evaluate as a formula are prefixed with an apostrophe
(see :func:`tqaudit.io.writers.neutralize_formula`). ``segments.csv`` lists every segment:
it is written chunk by chunk from the audit's segment store, never built as one table;
``findings.csv`` is written in pieces of rows too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from tqaudit.audit import AuditResult
from tqaudit.io.writers import csv_text
from tqaudit.store import StoredChunk


def finding_counts(findings: pd.DataFrame) -> dict[str, pd.Series]:
    """Per severity, the number of findings of each segment id."""
    counts = findings.groupby(["segment_id", "severity"]).size().unstack(fill_value=0)
    return {
        sev: counts[sev] if sev in counts else pd.Series(dtype="int64")
        for sev in ("error", "warning", "info")
    }


def with_counts(chunk: StoredChunk, counts: dict[str, pd.Series]) -> pd.DataFrame:
    """A chunk's segments with their languages and scores, and how many findings each has."""
    seg = chunk.annotated()
    for sev, col in counts.items():
        seg[f"{sev}s"] = seg["segment_id"].map(col).fillna(0).astype("int64")
    return seg


def segments_csv(result: AuditResult) -> Iterator[str]:
    """``segments.csv`` in pieces, one per stored chunk (the header with the first)."""
    counts = finding_counts(result.findings)
    for index, chunk in enumerate(result.store.chunks()):
        yield csv_text(with_counts(chunk, counts), header=index == 0)


# Findings written per piece of ``findings.csv``: the text of a million-segment audit's
# findings is never one string (a slice's CSV is the same bytes as its rows in the whole's).
FINDINGS_PIECE = 5000


def findings_csv(findings: pd.DataFrame) -> Iterator[str]:
    """``findings.csv`` in pieces of ``FINDINGS_PIECE`` rows (the header with the first)."""
    yield csv_text(findings.iloc[:FINDINGS_PIECE], header=True)
    for start in range(FINDINGS_PIECE, len(findings), FINDINGS_PIECE):
        yield csv_text(findings.iloc[start : start + FINDINGS_PIECE], header=False)


def render(result: AuditResult) -> dict[str, str | Iterator[str]]:
    return {"findings.csv": findings_csv(result.findings), "segments.csv": segments_csv(result)}
