"""Applying rule suggestions: ``tqaudit fix``.

Only fixes whose rule is SAFE are applied by default; ``unsafe=True`` adds UNSAFE ones
(ruff's model). DISPLAY_ONLY suggestions are never applied. Overlapping fixes in a segment
are applied one at a time over repeated passes, so the result is the same as fixing by
hand in order, and re-auditing the output leaves the fixed rules silent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.audit import audit
from tqaudit.config import Config
from tqaudit.rules import RULES, Applicability

MAX_PASSES = 5


@dataclass
class FixResult:
    """The fixed segments table, the original targets and what was applied."""

    segments: pd.DataFrame
    original: list[str]
    applied: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(a != b for a, b in zip(self.original, self.segments["target"], strict=True))


def _applicable(codes: set[str], unsafe: bool) -> set[str]:
    allowed = {Applicability.SAFE, Applicability.UNSAFE} if unsafe else {Applicability.SAFE}
    return {code for code in codes if RULES[code].fix in allowed}


def apply_fixes(target: str, fixes: list[tuple[int, int, str, str]]) -> tuple[str, list[str]]:
    """Apply non-overlapping (start, end, replacement, rule) fixes; returns text and rules applied.

    Fixes are taken in order of position; one overlapping an earlier one is left for the
    next pass, when offsets are fresh.
    """
    chosen: list[tuple[int, int, str, str]] = []
    last_end = -1
    for start, end, replacement, rule in sorted(fixes):
        if start >= last_end:
            chosen.append((start, end, replacement, rule))
            last_end = end
    for start, end, replacement, _ in reversed(chosen):
        target = target[:start] + replacement + target[end:]
    return target, [rule for *_, rule in chosen]


def fix(
    segments: pd.DataFrame | str | Path,
    config: Config | None = None,
    *,
    unsafe: bool = False,
    **read_options: Any,
) -> FixResult:
    """Fix ``segments`` (a table or a path) with the suggestions of the selected rules."""
    config = (config or Config()).replace(fail_on="never")
    result = audit(segments, config, **read_options)
    table = result.segments.copy()
    original = table["target"].tolist()
    codes = _applicable(set(result.rules), unsafe)
    applied: Counter[str] = Counter()
    for _ in range(MAX_PASSES):
        findings = result.findings
        findings = findings[findings["rule"].isin(codes) & (findings["start"] >= 0)]
        if findings.empty:
            break
        position = {sid: i for i, sid in enumerate(table["segment_id"])}
        targets = table["target"].tolist()
        for sid, group in findings.groupby("segment_id", sort=False):
            row = position[sid]
            todo = list(zip(group["start"], group["end"], group["suggestion"], group["rule"], strict=True))
            targets[row], done = apply_fixes(targets[row], todo)
            applied.update(done)
        table["target"] = targets
        result = audit(table, config)
    return FixResult(table, original, applied)
