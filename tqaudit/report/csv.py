"""CSV reports for reviewers: ``findings.csv`` and ``segments.csv``.

Text cells that a spreadsheet would evaluate as a formula are prefixed with an apostrophe
(see :func:`tqaudit.io.writers.neutralize_formula`).
"""

from __future__ import annotations

import pandas as pd

from tqaudit.audit import AuditResult
from tqaudit.io.writers import csv_text


def segments_with_counts(result: AuditResult) -> pd.DataFrame:
    """The segments with their languages and scores, and how many findings each has, by severity."""
    seg = result.annotated_segments()
    counts = result.findings.groupby(["segment_id", "severity"]).size().unstack(fill_value=0)
    for sev in ("error", "warning", "info"):
        col = counts[sev] if sev in counts else pd.Series(dtype="int64")
        seg[f"{sev}s"] = seg["segment_id"].map(col).fillna(0).astype("int64")
    return seg


def render(result: AuditResult) -> dict[str, str]:
    return {
        "findings.csv": csv_text(result.findings),
        "segments.csv": csv_text(segments_with_counts(result)),
    }
