"""One audit: segments in, findings + languages + scores + verdict out.

``audit()`` is the library entry point the CLI is a thin layer over (sqlfluff's
``api.simple.lint``): read → engine (annotate → rules → merge) → baseline → gate.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit import __version__, engine, gate, langid
from tqaudit.baseline import apply_baseline, load_baseline
from tqaudit.chunk import SegmentRow
from tqaudit.config import Config
from tqaudit.executor import make_executor
from tqaudit.findings import CATEGORIES, SEVERITIES, RuleInfo, fixable, related_segments
from tqaudit.io.readers import count_rows, read_chunks, with_languages
from tqaudit.packs import PackSet
from tqaudit.rules import Rule
from tqaudit.rules.base import Inputs
from tqaudit.scoring import CorpusScore
from tqaudit.segments import normalize
from tqaudit.store import SegmentStore, StoredChunk
from tqaudit.suppress import apply_inline, apply_states


def named_segments(findings: pd.DataFrame) -> set[str]:
    """The ids of the segments ``findings`` are on, and of those a consistency finding names."""
    named = set(findings["segment_id"].astype(str))
    for message in findings.loc[findings["category"] == "consistency", "message"]:
        named.update(related_segments(str(message)))
    return named


@dataclass
class AuditResult:
    """What an audit produced; every report renders from this one object.

    The audited segments, annotated with language verdicts and scores, are in ``store``
    (out of memory: a report that lists every segment reads it chunk by chunk); ``flagged``
    holds the rows of the segments the findings name, which the reports that show segments
    read (taken from the store in one pass when first asked for: ``flagged_rows``).
    ``segments``, ``languages`` and ``scores`` build the whole tables on demand, for callers
    of the library that want them.
    """

    store: SegmentStore
    findings: pd.DataFrame
    config: Config
    catalogue: dict[str, RuleInfo]
    signature: str
    flagged: StoredChunk | None = None  # None: computed from the store when first read
    corpus_scores: dict[str, CorpusScore] = field(default_factory=dict)
    finding_failures: list[str] = field(default_factory=list)
    score_failures: list[str] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    found: pd.DataFrame | None = None  # every finding, before the baseline left the known ones out
    inline_suppressed: int = 0  # findings a segment's own `tqaudit: ignore[...]` note silenced
    state_skipped: int = 0  # findings on untranslated or fuzzy entries left out (config)

    @property
    def segments(self) -> pd.DataFrame:
        """Every segment as read (the whole table, built from the store)."""
        frame = self.store.frame("segments")
        assert frame is not None
        return frame

    @property
    def languages(self) -> pd.DataFrame | None:
        """The language verdicts beside the segments (same rows), or None when none ran."""
        return self.store.frame("languages")

    @property
    def scores(self) -> pd.DataFrame | None:
        """The segment scores beside the segments (same rows), or None without references."""
        return self.store.frame("scores")

    @property
    def segment_count(self) -> int:
        return len(self.store)

    @property
    def flagged_rows(self) -> StoredChunk:
        """The rows (segments and annotations) of the segments the findings name, in order:
        read from the store when a report first asks (the CSV and summaries never do, so a
        large audit does not hold them while its reports are written)."""
        if self.flagged is None:
            self.flagged = self.store.rows(named_segments(self.all_findings()))
        return self.flagged

    @property
    def baseline_suppressed(self) -> int:
        return 0 if self.found is None else len(self.found) - len(self.findings)

    def all_findings(self) -> pd.DataFrame:
        """New and baseline-known findings together, in order (what a new baseline records)."""
        return self.findings if self.found is None else self.found

    def targets(self) -> dict[str, str]:
        """segment id -> target text, of the segments the findings name."""
        rows = self.flagged_rows.segments
        return dict(zip(rows["segment_id"], rows["target"], strict=True))

    @property
    def rules(self) -> list[str]:
        """The codes of the rules that ran, in order."""
        return list(self.catalogue)

    @property
    def gate_failures(self) -> list[str]:
        """Why the gate failed: findings at or above ``fail_on``, then score thresholds."""
        return self.finding_failures + self.score_failures

    @property
    def passed(self) -> bool:
        return not self.gate_failures

    def annotated_segments(self) -> pd.DataFrame:
        """The segments with the language and score columns beside them (the whole table)."""
        parts = [chunk.annotated() for chunk in self.store.chunks()]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

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
                "segments": self.segment_count,
                "segments_with_findings": int(f["segment_id"].nunique()),
                "findings": len(f),
                "fixable": sum(fixable(v, unsafe=False) for v in f["fix"]),
                "fixable_unsafe": sum(v == "unsafe" for v in f["fix"]),
                "baseline_suppressed": self.baseline_suppressed,
                "inline_suppressed": self.inline_suppressed,
                "state_skipped": self.state_skipped,
            },
            "by_severity": {s: int((f["severity"] == s).sum()) for s in SEVERITIES},
            "by_category": {c: n for c in CATEGORIES if (n := int((f["category"] == c).sum()))},
            "by_rule": {r: int(n) for r, n in sorted(f["rule"].value_counts().items())},
            "corpus_scores": {k: v.to_dict() for k, v in self.corpus_scores.items()},
            "rules": self.rules,
            "options": self.config.options_used(),
        }


def catalogue(rules: Sequence[Rule]) -> dict[str, RuleInfo]:
    """The reports' view of ``rules``, in run order."""
    return {r.code: r.info() for r in rules}


def run_signature(
    rules: Sequence[Rule], packs: PackSet, config: Config, corpus: dict[str, CorpusScore]
) -> str:
    """``tqaudit:<ver>|rules:<n>@<hash>|packs:<hash>|<langid>|<sacrebleu signatures>``.

    The rules hash covers the codes, their options and the severity overrides, so equal
    signatures on the same input mean byte-identical reports.
    """
    setup = [[r.code, r.opts, r.__class__.severity, dict(config.severity).get(r.code)] for r in rules]
    blob = json.dumps(setup, sort_keys=True, default=str).encode()
    rules_hash = hashlib.sha256(blob).hexdigest()[:8]
    parts = [
        f"tqaudit:{__version__}",
        f"rules:{len(rules)}@{rules_hash}",
        f"packs:{packs.signature()}",
        langid.signature(langid.Settings.from_options(config.langid)),
    ]
    parts += [f"{key}:{score.signature}" for key, score in sorted(corpus.items())]
    return "|".join(parts)


def _shown(path: str | Path) -> str:
    """A path as reports show it: a file name that is not UTF-8 (decoded by Python with
    surrogate escapes, which no UTF-8 report can hold) gets U+FFFD for its bad bytes."""
    return os.fsencode(path).decode("utf-8", "replace") if str(path) else ""


def _read(
    segments: pd.DataFrame | str | Path,
    *,
    src: str | Path | None = None,
    refs: Sequence[str | Path] = (),
    src_lang: str = "",
    tgt_lang: str = "",
    input_format: str | None = None,
    encoding: str | None = None,
    dialect: str | None = None,
    split: str = "paragraphs",
) -> tuple[pd.DataFrame | Iterator[pd.DataFrame], dict[str, Any]]:
    """The segments of ``segments`` (a file's as chunks read as the engine takes them) and
    what the summary says of the input."""
    if isinstance(segments, (str, Path)):
        inputs = {"input": _shown(segments), "src": _shown(src or ""), "refs": [_shown(r) for r in refs]}
        chunks = read_chunks(
            segments,
            size=engine.CHUNK_SIZE,
            fmt=input_format,
            src=src,
            refs=refs,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            encoding=encoding,
            dialect=dialect,
            split=split,
        )
        return chunks, inputs
    return with_languages(normalize(segments), src_lang, tgt_lang), {}


def _result(
    run: engine.EngineResult,
    rules: Sequence[Rule],
    config: Config,
    inputs: dict[str, Any],
) -> AuditResult:
    """The audit from its engine result: suppressions, baseline, gate.

    Suppressions and the baseline read only the rows of the segments the findings name, so
    they are taken from the store in one pass, not from a table of the whole input, and
    only when they read them: an input without ``note`` or ``state`` columns, audited
    without a baseline, leaves them in the store until a report asks.
    """
    flagged = None
    columns = run.store.columns("segments")
    rows = pd.DataFrame(columns=columns)  # no rows: the suppressions find nothing to read
    if {"note", "state"} & set(columns) or config.baseline is not None:
        flagged = run.store.rows(named_segments(run.findings))
        rows = flagged.segments
    by_state = apply_states(run.findings, rows, untranslated=config.untranslated, fuzzy=config.fuzzy)
    findings = apply_inline(by_state, rows)
    inline, skipped = len(by_state) - len(findings), len(run.findings) - len(by_state)
    unbaselined = findings
    if config.baseline is not None:
        targets = dict(zip(rows["segment_id"], rows["target"], strict=True))
        findings = apply_baseline(findings, load_baseline(config.baseline), targets)
    return AuditResult(
        store=run.store,
        findings=findings,
        config=config,
        catalogue=catalogue(rules),
        signature=run_signature(rules, engine.packs_for(config), config, run.corpus_scores),
        flagged=flagged,
        corpus_scores=run.corpus_scores,
        finding_failures=gate.finding_failures(findings, config.fail_on),
        score_failures=gate.score_failures(
            run.corpus_scores, config.min_bleu, config.min_chrf, config.max_ter
        ),
        inputs=inputs,
        found=unbaselined,
        inline_suppressed=inline,
        state_skipped=skipped,
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
    progress: Callable[[int, int | None], None] | None = None,
    encoding: str | None = None,
    dialect: str | None = None,
    split: str = "paragraphs",
) -> AuditResult:
    """Audit ``segments`` (a segments DataFrame or a path to read) and return the result.

    ``progress(done, total)``, when given, hears how many segments are checked after each chunk.
    ``split`` (``paragraphs`` or ``sentences``) is how a feed's articles become segments.
    """
    config = config or Config()
    table, inputs = _read(
        segments,
        src=src,
        refs=refs,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        input_format=input_format,
        encoding=encoding,
        dialect=dialect,
        split=split,
    )
    rules = engine.build_rules(config)
    plan = engine.make_plan(config, rules)
    total = _expected(segments, input_format) if progress is not None else None
    with make_executor(config.jobs, config.engine, config.scheduler) as executor:
        result = engine.run(table, plan, executor, rules, progress, total=total)
    return _result(result, rules, config, inputs)


def _expected(segments: pd.DataFrame | str | Path, input_format: str | None) -> int | None:
    """The segments a progress bar counts towards (None: unknown until read)."""
    return None if isinstance(segments, pd.DataFrame) else count_rows(segments, input_format)


def audit_pooled(
    items: Sequence[tuple[pd.DataFrame | str | Path, Config]],
    names: Sequence[str] | None = None,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    **read_options: Any,
) -> list[AuditResult]:
    """Audit several inputs, each with its config, as one corpus for the corpus rules.

    Every input keeps its own findings, reports and gate; the corpus rules (consistency)
    merge the states of all inputs and finish once, so a sentence translated one way in
    ``a.tsv`` and another in ``b.tsv`` is found, its message naming ``b.tsv:ID``.
    ``names`` (default: the paths) name the inputs in those messages; ``read_options`` go to
    every read (as the keyword arguments of :func:`audit`).
    """
    runs: list[tuple[engine.EngineResult, list[Rule], Config, dict[str, Any]]] = []
    starts: list[int] = []
    base = 0
    for segments, config in items:
        table, inputs = _read(segments, **read_options)
        rules = engine.build_rules(config)
        plan = engine.make_plan(config, rules)
        with make_executor(config.jobs, config.engine, config.scheduler) as executor:
            total = _expected(segments, read_options.get("input_format")) if progress is not None else None
            result = engine.run(table, plan, executor, rules, progress, pooled=True, base=base, total=total)
        runs.append((result, rules, config, inputs))
        starts.append(base)
        base += len(result.store)
    shown = tuple(names) if names is not None else tuple(str(s) for s, _ in items)
    finishers: dict[str, Rule] = {}  # one instance per corpus rule (options are the run's)
    for _, rules, _, _ in runs:
        finishers.update({r.code: r for r in rules if r.scope == "corpus" and r.code not in finishers})
    states = engine.merge_states(list(finishers.values()), [result.states for result, _, _, _ in runs])

    def lookup(positions: Collection[int]) -> Iterator[tuple[int, SegmentRow]]:
        for index, (result, _, _, _) in enumerate(runs):
            end = starts[index] + len(result.store)
            yield from result.store.scan([p for p in positions if starts[index] <= p < end], starts[index])

    pool = Inputs(tuple(starts), shown, lookup)
    hits = engine.finish(list(finishers.values()), states, pool)
    out = []
    for index, (result, rules, config, inputs) in enumerate(runs):
        mine = [hit for hit in hits if pool.input_of(hit[0]) == index]
        targets = result.store.at({pos for pos, _, _ in mine}, starts[index])
        engine.add_rows(result, engine.corpus_rows(mine, targets, config, starts[index]))
        out.append(_result(result, rules, config, inputs))
    return out
