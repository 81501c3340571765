"""Baselines: accept the findings a team already knows about, gate only on new ones.

A baseline is a ``findings.csv`` from an earlier run. A finding is known when the baseline
has a row with the same segment id, rule and message; known findings are left out of the
result and counted in the summary, so CI can be switched on for a feed with a backlog.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.io.readers import read_text
from tqaudit.io.writers import FORMULA_PREFIXES

KEY = ("segment_id", "rule", "message")


def _restore(cell: str) -> str:
    """Undo the CSV writer's formula neutralisation (``'=x`` was written for ``=x``)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def load_baseline(path: Path) -> set[tuple[str, str, str]]:
    """The (segment_id, rule, message) keys of a findings.csv."""
    reader = csv.DictReader(io.StringIO(read_text(path)))
    missing = [k for k in KEY if k not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: not a findings.csv (no {', '.join(missing)} column)")
    return {(_restore(r["segment_id"]), r["rule"], _restore(r["message"])) for r in reader}


def apply_baseline(findings: pd.DataFrame, known: set[tuple[str, str, str]]) -> tuple[pd.DataFrame, int]:
    """Findings not in ``known``, and how many were left out."""
    if findings.empty or not known:
        return findings, 0
    keys = list(zip(findings["segment_id"], findings["rule"], findings["message"], strict=True))
    mask = [k not in known for k in keys]
    kept = findings[mask].reset_index(drop=True)
    return kept, len(findings) - len(kept)
