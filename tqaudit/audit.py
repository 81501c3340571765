"""One audit: segments in, findings + languages + scores + verdict out.

``audit()`` is the library entry point the CLI is a thin layer over (sqlfluff's
``api.simple.lint``). The stages are listed once, in order, in ``audit()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit import __version__, langid, scoring
from tqaudit.baseline import apply_baseline, load_baseline
from tqaudit.config import Config
from tqaudit.engine import build_rules, run_rules
from tqaudit.findings import CATEGORIES, SEVERITIES
from tqaudit.io.readers import read_segments
from tqaudit.packs import PackSet
from tqaudit.segments import normalize

# --fail-on LEVEL fails the gate on findings at LEVEL or above.
_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class AuditResult:
    """What an audit produced; every report renders from this one object."""

    segments: pd.DataFrame
    findings: pd.DataFrame
    config: Config
    rules: list[str]
    signature: str
    corpus_scores: dict[str, Any] = field(default_factory=dict)
    finding_failures: list[str] = field(default_factory=list)
    score_failures: list[str] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    baseline_suppressed: int = 0

    @property
    def gate_failures(self) -> list[str]:
        """Why the gate failed: findings at or above ``fail_on``, then score thresholds."""
        return self.finding_failures + self.score_failures

    @property
    def passed(self) -> bool:
        return not self.gate_failures

    @property
    def summary(self) -> dict[str, Any]:
        """Counts by rule, category and severity, totals, verdict and the options used."""
        f = self.findings
        return {
            "tqaudit": __version__,
            "signature": self.signature,
            "inputs": self.inputs,
            "passed": self.passed,
            "gate_failures": self.gate_failures,
            "totals": {
                "segments": len(self.segments),
                "segments_with_findings": int(f["segment_id"].nunique()),
                "findings": len(f),
                "baseline_suppressed": self.baseline_suppressed,
            },
            "by_severity": {s: int((f["severity"] == s).sum()) for s in SEVERITIES},
            "by_category": {c: n for c in CATEGORIES if (n := int((f["category"] == c).sum()))},
            "by_rule": {r: int(n) for r, n in sorted(f["rule"].value_counts().items())},
            "corpus_scores": {k: v.to_dict() for k, v in self.corpus_scores.items()},
            "rules": self.rules,
            "options": self.config.options_used(),
        }


def failing_severities(fail_on: str) -> list[str]:
    """The severities that fail the gate under ``--fail-on fail_on`` (none for ``never``)."""
    if fail_on == "never":
        return []
    return [s for s in SEVERITIES if _RANK[s] <= _RANK[fail_on]]


def _gate(findings: pd.DataFrame, fail_on: str) -> list[str]:
    levels = failing_severities(fail_on)
    if not levels:
        return []
    failing = findings[findings["severity"].isin(levels)]
    if failing.empty:
        return []
    counts = failing["severity"].value_counts()
    parts = ", ".join(f"{int(counts[s])} {s}" for s in levels if s in counts)
    return [f"{parts} finding(s) at or above --fail-on {fail_on}"]


def run_signature(rules: Sequence[str], packs: PackSet, config: Config) -> str:
    """``tqaudit:<ver>|rules:<n>@<hash>|packs:<hash>|langid:<backend>:seed0``.

    Two runs with the same signature on the same input give byte-identical reports.
    """
    import hashlib

    rules_hash = hashlib.sha256(",".join(rules).encode()).hexdigest()[:8]
    backend = langid.Settings.from_options(config.langid).backend
    return (
        f"tqaudit:{__version__}|rules:{len(rules)}@{rules_hash}|packs:{packs.signature()}"
        f"|{langid.SIGNATURE.replace('langid:', f'langid:{backend}:')}"
    )


def audit(
    segments: pd.DataFrame | str | Path,
    config: Config | None = None,
    *,
    src: str | Path | None = None,
    refs: Sequence[str | Path] = (),
    src_lang: str = "",
    tgt_lang: str = "",
    input_format: str | None = None,
) -> AuditResult:
    """Audit ``segments`` (a segments DataFrame or a path to read) and return the result."""
    config = config or Config()
    inputs: dict[str, Any] = {}
    if isinstance(segments, (str, Path)):
        inputs = {"input": str(segments), "src": str(src or ""), "refs": [str(r) for r in refs]}
        table = read_segments(
            segments, fmt=input_format, src=src, refs=refs, src_lang=src_lang, tgt_lang=tgt_lang
        )
    else:
        table = normalize(segments)
        for column, value in (("src_lang", src_lang), ("tgt_lang", tgt_lang)):
            if value:
                table[column] = table[column].where(table[column] != "", value)
    rules = build_rules(config)
    codes = [r.code for r in rules]

    # Pipeline stages, in order: annotate (languages, scores), then rules, then the gate.
    if langid.READ_BY.intersection(codes):  # else no rule reads the language columns
        table = langid.annotate(table, config.langid, jobs=config.jobs)
    table, corpus_scores = scoring.annotate(table, config.scoring, config.jobs)
    findings = run_rules(table, rules, config)
    suppressed = 0
    if config.baseline is not None:
        findings, suppressed = apply_baseline(findings, load_baseline(config.baseline))

    finding_failures = _gate(findings, config.fail_on)
    score_failures = scoring.gate(corpus_scores, config.min_bleu, config.min_chrf, config.max_ter)
    packs = rules[0].packs if rules else PackSet.default()
    return AuditResult(
        segments=table,
        findings=findings,
        config=config,
        rules=codes,
        signature=run_signature(codes, packs, config),
        corpus_scores=corpus_scores,
        finding_failures=finding_failures,
        score_failures=score_failures,
        inputs=inputs,
        baseline_suppressed=suppressed,
    )
