"""Applying the edits that findings carry: ``tqaudit fix``.

Only the fixable selected rules run (ruff's model: SAFE edits by default, UNSAFE ones with
``unsafe=True``, DISPLAY_ONLY never), and never language identification or scoring: a rule
that needs them is not a fixing rule. Edits that overlap in a segment are applied one at a
time over repeated passes, and each pass re-checks only the segments the previous one
changed, so the result is what fixing by hand in order gives, and fixing again changes
nothing. Writing the fixed file back in the input's own format is :mod:`tqaudit.io`'s job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit import engine
from tqaudit.config import Config
from tqaudit.findings import Edit, fixable
from tqaudit.io.formats.common import splice
from tqaudit.io.readers import read_segments
from tqaudit.rules import Rule
from tqaudit.segments import normalize

MAX_PASSES = 5


@dataclass
class FixResult:
    """The segments as read, their fixed targets and which rules' edits were applied."""

    segments: pd.DataFrame
    fixed: list[str]
    applied: Counter[str] = field(default_factory=Counter)

    @property
    def original(self) -> list[str]:
        return [str(t) for t in self.segments["target"]]

    @property
    def changes(self) -> dict[int, str]:
        """``{position: new target}`` for every segment whose target changed."""
        pairs = enumerate(zip(self.original, self.fixed, strict=True))
        return {i: new for i, (old, new) in pairs if old != new}

    @property
    def changed(self) -> int:
        return len(self.changes)


def fixing_rules(config: Config, unsafe: bool = False) -> list[Rule]:
    """The selected rules whose edits ``fix`` may apply and that need no annotation."""
    return [
        rule
        for rule in engine.build_rules(config)
        if fixable(rule.fix.value, unsafe) and rule.scope == "chunk" and not rule.requires
    ]


def apply_edits(target: str, edits: Sequence[tuple[Edit, str]]) -> tuple[str, list[str]]:
    """Apply non-overlapping ``(edit, rule)`` pairs; returns the text and the rules applied.

    Edits are taken in order of position; one overlapping an earlier one is left for the
    next pass, when offsets are fresh.
    """
    chosen: list[tuple[Edit, str]] = []
    last_end = -1
    for edit, rule in sorted(edits, key=lambda e: (e[0].start, e[0].end, e[1])):
        if edit.start >= last_end and edit.start <= len(target) and edit.end <= len(target):
            chosen.append((edit, rule))
            last_end = max(edit.end, edit.start + 1)
    target = splice(target, [(e.start, e.end, e.content) for e, _ in chosen])
    return target, [rule for _, rule in chosen]


def _edits(findings: pd.DataFrame, unsafe: bool) -> dict[str, list[tuple[Edit, str]]]:
    """The applicable edits of a findings table, by segment id."""
    out: dict[str, list[tuple[Edit, str]]] = {}
    rows = zip(
        findings["segment_id"],
        findings["start"],
        findings["end"],
        findings["suggestion"],
        findings["fix"],
        findings["rule"],
        strict=True,
    )
    for sid, start, end, suggestion, applicability, rule in rows:
        if start >= 0 and fixable(applicability, unsafe):
            out.setdefault(sid, []).append((Edit(int(start), int(end), str(suggestion)), str(rule)))
    return out


def fix_segments(table: pd.DataFrame, config: Config | None = None, *, unsafe: bool = False) -> FixResult:
    """Fix the targets of a segments table with the edits of the fixable selected rules."""
    config = config or Config()
    table = table.reset_index(drop=True)
    rules = fixing_rules(config, unsafe)
    fixed = [str(t) for t in table["target"]]
    applied: Counter[str] = Counter()
    todo = list(range(len(table)))
    for _ in range(MAX_PASSES):
        if not todo or not rules:
            break
        part = table.iloc[todo].copy()
        part["target"] = [fixed[i] for i in todo]
        edits = _edits(engine.run_rules(part, rules, config), unsafe)
        position = dict(zip(part["segment_id"], todo, strict=True))
        todo = []
        for sid, pending in edits.items():
            row = position[sid]
            new, done = apply_edits(fixed[row], pending)
            if new != fixed[row]:
                fixed[row] = new
                todo.append(row)
                applied.update(done)
        todo.sort()
    return FixResult(table, fixed, applied)


def fix(
    segments: pd.DataFrame | str | Path,
    config: Config | None = None,
    *,
    unsafe: bool = False,
    **read_options: Any,
) -> FixResult:
    """Fix ``segments`` (a table, or a path read by ``read_segments`` with ``read_options``)."""
    if isinstance(segments, (str, Path)):
        return fix_segments(read_segments(segments, **read_options), config, unsafe=unsafe)
    return fix_segments(normalize(segments), config, unsafe=unsafe)
