"""The CI gate: whether findings or corpus scores fail a run (exit code 1).

One module for both checks, so ``audit``, the reports and the summary agree on why a run
failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from tqaudit.findings import SEVERITIES, SEVERITY_RANK
from tqaudit.scoring.corpus import CorpusScore


def failing_severities(fail_on: str) -> list[str]:
    """The severities that fail the gate under ``--fail-on fail_on`` (none for ``never``)."""
    if fail_on == "never":
        return []
    return [s for s in SEVERITIES if SEVERITY_RANK[s] <= SEVERITY_RANK[fail_on]]


def finding_failures(findings: pd.DataFrame, fail_on: str) -> list[str]:
    """One message when findings at or above ``fail_on`` exist, else none."""
    levels = failing_severities(fail_on)
    if not levels:
        return []
    failing = findings[findings["severity"].isin(levels)]
    if failing.empty:
        return []
    counts = failing["severity"].value_counts()
    parts = ", ".join(f"{int(counts[s])} {s}" for s in levels if s in counts)
    return [f"{parts} finding(s) at or above --fail-on {fail_on}"]


def score_failures(
    corpus: Mapping[str, CorpusScore],
    min_bleu: float | None,
    min_chrf: float | None,
    max_ter: float | None,
) -> list[str]:
    """A message per failed score threshold (an empty list means the gate passed).

    A threshold whose metric was not computed fails too: a gate that silently checks
    nothing would pass every build.
    """
    checks: Iterable[tuple[str, float | None, bool, str]] = (
        ("BLEU", min_bleu, True, "--min-bleu"),
        ("CHRF", min_chrf, True, "--min-chrf"),
        ("TER", max_ter, False, "--max-ter"),
    )
    failures: list[str] = []
    for key, limit, is_min, flag in checks:
        if limit is None:
            continue
        entry = corpus.get(key)
        if entry is None:
            failures.append(f"{flag} {limit:g} set, but {key} was not computed (no references?)")
            continue
        value, name = entry.score, entry.name or key
        if (value < limit) if is_min else (value > limit):
            word = "below" if is_min else "above"
            failures.append(f"corpus {name} {value:.2f} is {word} {flag} {limit:g}")
    return failures


# Metrics where a higher score is worse (an edit rate): a drop in quality is a rise.
HIGHER_IS_WORSE = frozenset({"ter"})


def quality_delta(metric: str, delta: float) -> float:
    """A score difference with positive meaning better, whatever the metric's direction."""
    return -delta if metric in HIGHER_IS_WORSE else delta


def drop_failures(table: pd.DataFrame, max_drop: float, alpha: float) -> list[str]:
    """``compare``'s gate: fail only where a drop is significant (p < alpha) *and* larger
    than ``max_drop`` points."""
    failures = []
    for row in table.to_dict("records"):
        drop = -quality_delta(str(row["metric"]), float(row["delta"]))
        p_value = float(row["p_value"])
        if drop > max_drop and p_value < alpha:
            failures.append(
                f"{row['candidate']}: {row['metric']} dropped {drop:.2f} points "
                f"(> --max-drop {max_drop:g}, p = {p_value:.4f})"
            )
    return failures
