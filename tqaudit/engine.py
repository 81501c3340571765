"""The one orchestrator: segments in chunks through annotate → rules → merge.

Every per-chunk stage is a pure function of its task (:func:`run_chunk`), so the same code
runs in-process or across worker processes through the one :class:`~tqaudit.executor.Executor`.
Annotators (language identification, segment scores) return their own frames, kept beside
the segments table and never written into it; they run only when a selected rule declares
one of their columns in ``requires`` (scores also run when references exist, for the report).
Corpus rules (:class:`~tqaudit.rules.base.CorpusRule`) collect a small state in each
chunk's stage; the states are merged in corpus order and finished once, here, so their
findings do not depend on the chunk size, on ``--jobs``, or on whether inputs are pooled.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import math
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tqaudit import langid, scoring
from tqaudit.chunk import LANGUAGE_COLUMNS, SCORE_COLUMNS, SEGMENT_ANNOTATIONS, Chunk, SegmentRow
from tqaudit.config import Config
from tqaudit.errors import ConfigError, RuleError
from tqaudit.executor import Executor, iterate_in
from tqaudit.findings import FINDING_COLUMNS, Edit, empty_findings, excerpt, fix_value
from tqaudit.packs import PackSet
from tqaudit.rules import RULES, Rule, load_rules, select_rules
from tqaudit.rules.base import CorpusHit, CorpusRule, Inputs
from tqaudit.scoring.options import AUDIT_METRICS
from tqaudit.segments import reference_columns
from tqaudit.store import SegmentStore, StoredChunk

CHUNK_SIZE = 2000
# Allocations (less deallocations) of container objects between two young collections of
# CPython's cycle collector while the engine runs (CPython's default: 700).
GC_YOUNG_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Generator[None, None, None]:
    """Run the body with the cycle collector's young threshold raised to ``GC_YOUNG_THRESHOLD``.

    The stages allocate many small objects that reference counting frees (hits, findings
    rows, chunk tuples, corpus states) while the segments, rules and packs stay alive: at
    the default threshold the collector ran ~600 times in an audit of 24,000 segments and
    its full collections rescanned everything alive, 0.7 of 10 CPU-s. Cycles are still
    collected, less often; the thresholds are restored on leaving (they are per process).
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_YOUNG_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build_rules(config: Config, codes: Sequence[str] | None = None) -> list[Rule]:
    """Prepared instances of the selected rules (or of ``codes``), with options from ``config``."""
    load_rules()
    if codes is None:
        codes = select_rules(config.select, config.ignore, config.extend_select)
    for code in list(config.rule_options) + list(config.severity):
        if code not in RULES:
            raise ConfigError(f"unknown rule code {code!r} in [rules] config")
    packs = packs_for(config)
    options = {code: dict(opts) for code, opts in config.rule_options.items()}
    return [RULES[code](options.get(code), packs) for code in codes]


def packs_for(config: Config) -> PackSet:
    """The knowledge of a run: built-in packs, the user's packs and edits, and glossaries."""
    glossaries = tuple(config.glossary)
    if not config.packs and not glossaries and not config.pack_edits:
        return PackSet.default()
    return PackSet(tuple(config.packs), glossaries, config.pack_edits)


@dataclass(frozen=True)
class Plan:
    """What one run computes: which rules, and which annotators they need.

    Picklable and small: it is what a worker process receives to rebuild the rules once.
    """

    config: Config
    codes: tuple[str, ...]
    languages: bool
    scoring: scoring.ScoringOptions | None  # parsed once; None: no scores

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.scoring.metrics if self.scoring is not None else ()

    @functools.cached_property  # asked for on every chunk, in every worker
    def key(self) -> str:
        data = json.dumps([self.config.options_used(), self.codes], sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()


def make_plan(config: Config, rules: Sequence[Rule], *, scores: bool = True) -> Plan:
    """The annotators that ``rules`` declare; score metrics also when ``scores`` (the report)."""
    needs = {name for rule in rules for name in rule.requires}
    unknown = needs - set(LANGUAGE_COLUMNS) - set(SCORE_COLUMNS) - set(SEGMENT_ANNOTATIONS)
    if unknown:
        raise ConfigError(f"a rule requires unknown annotation(s): {', '.join(sorted(unknown))}")
    wanted: tuple[str, ...] = ()
    if scores and "metrics" in config.scoring:
        wanted = scoring.parse_options(config.scoring).metrics
    elif scores:  # not configured: the audit default, plus TER when a gate reads it
        wanted = AUDIT_METRICS + (("ter",) if config.max_ter is not None else ())
    metrics = list(dict.fromkeys([*wanted, *(m for m in SCORE_COLUMNS if m in needs)]))
    options = scoring.parse_options({**config.scoring, "metrics": metrics}) if metrics else None
    return Plan(config, tuple(r.code for r in rules), bool(needs & set(LANGUAGE_COLUMNS)), options)


# The rules of the plans this process has run, built and prepared once per process.
_PREPARED: dict[str, list[Rule]] = {}


def rules_of(plan: Plan) -> list[Rule]:
    """The plan's prepared rules; a worker process builds them on its first chunk only."""
    key = plan.key
    if key not in _PREPARED:
        if len(_PREPARED) >= 4:
            _PREPARED.clear()
        _PREPARED[key] = build_rules(plan.config, plan.codes)
    return _PREPARED[key]


# --------------------------------------------------------------------------- annotators


def annotate_languages(
    frame: pd.DataFrame, rows: Sequence[int] | None, source_rows: Sequence[int] | None, plan: Plan
) -> pd.DataFrame:
    """Language verdicts for a chunk: a frame of ``LANGUAGE_COLUMNS``, index 0..n-1.

    Targets are identified on ``rows`` and sources on ``source_rows`` (None: every row);
    the other rows get no verdict. The identifier (and its cache) is this process's one
    for the run's settings, so a worker identifies each distinct text once across chunks.
    """
    settings = langid.Settings.from_options(plan.config.langid)  # bad options fail every run
    empty = {c: math.nan if c.endswith("_conf") else "" for c in LANGUAGE_COLUMNS}
    full: dict[str, list[Any]] = {c: [value] * len(frame) for c, value in empty.items()}
    for side, wanted in (("target", rows), ("source", source_rows)):
        picked = range(len(frame)) if wanted is None else list(wanted)
        if not picked:
            continue
        # made only when some row needs a verdict: loading the model costs a CPU-second
        identifier = langid.identifier_for(settings)
        part = frame.iloc[list(picked)]
        if side == "target":  # judged on its own words, against its source
            found = identifier.annotate(
                part["target"], part["source"], part["src_lang"], part["tgt_lang"], source_verdicts=False
            )
        else:  # a source is judged as a text of its own, its declared language the src_lang
            found = identifier.annotate(part["source"], tgt_langs=part["src_lang"])
        for column in (f"{side}_lang", f"{side}_lang_conf"):
            values = found[column.replace(side, "target", 1)].tolist()
            for row, value in zip(picked, values, strict=True):
                full[column][row] = value
    return pd.DataFrame(full).astype({c: "float64" for c in LANGUAGE_COLUMNS if c.endswith("_conf")})


def language_rows(rules: Sequence[Rule], chunk: Chunk, side: str) -> list[int] | None:
    """The rows some rule reads a ``side`` (target or source) language verdict for (None: all)."""
    names = {c for c in LANGUAGE_COLUMNS if c.startswith(side)}
    wanted: set[int] = set()
    for rule in rules:
        for name in names & set(rule.requires):
            rows = rule.annotation_rows(chunk, name)
            if rows is None:
                return None
            wanted.update(rows)
    return sorted(wanted)


# --------------------------------------------------------------------------- rules


def _rows_for(rule: Rule, chunk: Chunk) -> list[int] | None:
    """The chunk rows a language-restricted rule applies to (None: every row, so that the
    rule reads the chunk itself, not a copy). A chunk holds a few target languages: each is
    asked once, and the rows are listed only when some language is left out."""
    if not rule.languages:
        return None
    langs = set(chunk.tgt_langs)
    applies = {lang for lang in langs if rule.applies_to(lang)}
    if applies == langs:
        return None
    return [i for i, lang in enumerate(chunk.tgt_langs) if lang in applies]


def check(rules: Sequence[Rule], chunk: Chunk, config: Config, offset: int = 0) -> list[dict[str, Any]]:
    """Findings rows of ``rules`` on ``chunk``; ``_pos`` (offset + chunk position) sorts them."""
    rows: list[dict[str, Any]] = []
    for rule in rules:
        wanted = _rows_for(rule, chunk)
        part = chunk if wanted is None else chunk.subset(wanted)
        if not len(part):
            continue
        try:
            hits = list(rule.check(part))
        except Exception as exc:
            raise RuleError(
                f"rule {rule.code} crashed on the chunk starting at segment {part.ids[0]!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        severity = config.severity.get(rule.code, rule.severity)
        for hit in hits:
            target = part.targets[hit.row]
            edit = hit.edit
            rows.append(
                {
                    "_pos": offset + part.positions[hit.row],
                    "segment_id": part.ids[hit.row],
                    "rule": rule.code,
                    "category": rule.category,
                    "severity": severity,
                    "message": hit.message,
                    "start": hit.start,
                    "end": hit.end,
                    "excerpt": excerpt(target, hit.start, hit.end),
                    "suggestion": hit.suggestion or "",
                    "fix": fix_value(edit, rule.fix),
                }
            )
    return rows


# --------------------------------------------------------------------------- stages


@dataclass
class ChunkResult:
    """What the stages made of one chunk (picklable: it comes back from a worker)."""

    offset: int
    rows: list[dict[str, Any]]
    languages: pd.DataFrame | None
    scores: scoring.ChunkScores | None
    states: dict[str, Any] = field(default_factory=dict)  # corpus rule code -> collected state


def _with_annotations(
    chunk: Chunk,
    languages: pd.DataFrame | None,
    scores: pd.DataFrame | None,
    frame: pd.DataFrame | None = None,
) -> Chunk:
    """``chunk`` with the annotation frames' columns (and the reader's ``SEGMENT_ANNOTATIONS``
    columns of ``frame``) as its annotations."""
    annotations: dict[str, tuple[Any, ...]] = {}
    if frame is not None:
        annotations.update({c: tuple(frame[c].tolist()) for c in SEGMENT_ANNOTATIONS if c in frame.columns})
    for extra in (languages, scores):
        if extra is not None:
            annotations.update({c: tuple(extra[c].tolist()) for c in extra.columns})
    return dataclasses.replace(chunk, annotations=annotations) if annotations else chunk


def annotate_scores(frame: pd.DataFrame, plan: Plan) -> scoring.ChunkScores | None:
    """Segment scores and summed statistics of a chunk (None without references)."""
    columns = reference_columns(frame)
    if plan.scoring is None or not columns:
        return None
    streams = [frame[c].tolist() for c in columns]
    return scoring.score_chunk(frame["target"].tolist(), streams, plan.scoring)


def _languages(frame: pd.DataFrame, rules: Sequence[Rule], chunk: Chunk, plan: Plan) -> pd.DataFrame:
    rows, source_rows = language_rows(rules, chunk, "target"), language_rows(rules, chunk, "source")
    return annotate_languages(frame, rows, source_rows, plan)


def collect(rules: Sequence[Rule], chunk: Chunk, start: int) -> dict[str, Any]:
    """The state of each corpus rule in ``rules`` on ``chunk``, whose first row sits at
    corpus position ``start`` (what the rules read from ``chunk.positions``)."""
    states: dict[str, Any] = {}
    placed = dataclasses.replace(chunk, positions=tuple(range(start, start + len(chunk))))
    for rule in rules:
        if not isinstance(rule, CorpusRule):
            continue
        wanted = _rows_for(rule, placed)
        try:
            states[rule.code] = rule.collect(placed if wanted is None else placed.subset(wanted))
        except Exception as exc:
            raise RuleError(
                f"rule {rule.code} crashed on the chunk starting at segment {chunk.ids[0]!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    return states


def _stages(
    frame: pd.DataFrame,
    plan: Plan,
    rules: Sequence[Rule],
    offset: int,
    scopes: tuple[str, ...] = ("chunk",),
    base: int = 0,
) -> ChunkResult:
    """annotate (what ``rules`` declare) → the ``rules`` of ``scopes`` on one chunk; the
    corpus rules outside ``scopes`` collect their state (positions from ``base + offset``)."""
    chunk = Chunk.from_frame(frame, None, reference_columns(frame))
    languages = _languages(frame, rules, chunk, plan) if plan.languages else None
    scores = annotate_scores(frame, plan) if plan.metrics else None
    chunk = _with_annotations(chunk, languages, None if scores is None else scores.segments, frame)
    checked = [r for r in rules if r.scope in scopes]
    states = collect([r for r in rules if r.scope not in scopes], chunk, base + offset) if len(chunk) else {}
    return ChunkResult(offset, check(checked, chunk, plan.config, offset), languages, scores, states)


def run_chunk(task: tuple[Plan, pd.DataFrame, int, int]) -> ChunkResult:
    """One chunk through the stages (a pure function of its task: runs in any process)."""
    plan, frame, offset, base = task
    if frame.empty:  # an empty input's one chunk: its columns reach the store, nothing to check
        return ChunkResult(offset, [], None, None)
    with fewer_collections():  # in a worker process too
        return _stages(frame.reset_index(drop=True), plan, rules_of(plan), offset, base=base)


def merge_states(rules: Sequence[Rule], parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One state per corpus rule from the states of ``parts`` (chunks or inputs, in order;
    rules may build the merged state from the parts' own, which are consumed)."""
    return {
        rule.code: rule.merge([p[rule.code] for p in parts if rule.code in p])
        for rule in rules
        if isinstance(rule, CorpusRule)
    }


def finish(
    rules: Sequence[Rule], states: dict[str, Any], inputs: Inputs | None = None
) -> list[tuple[int, Rule, CorpusHit]]:
    """The hits of the corpus rules on their merged ``states``, as (corpus position, rule, hit).

    Each rule's state leaves ``states`` as the rule finishes (consumed), so a state is freed
    before the next rule's finish makes its own temporaries.
    """
    inputs = inputs or Inputs()
    out: list[tuple[int, Rule, CorpusHit]] = []
    for rule in rules:
        if not isinstance(rule, CorpusRule) or rule.code not in states:
            continue
        try:
            hits = list(rule.finish(states.pop(rule.code), inputs))
        except Exception as exc:
            raise RuleError(f"rule {rule.code} crashed on the corpus: {type(exc).__name__}: {exc}") from exc
        out += [(hit.pos, rule, hit) for hit in hits]
    return out


def corpus_rows(
    hits: Sequence[tuple[int, Rule, CorpusHit]],
    targets: Mapping[int, SegmentRow],
    config: Config,
    base: int = 0,
) -> list[dict[str, Any]]:
    """Findings rows of corpus hits; ``targets`` maps a hit's corpus position to its segment
    (:meth:`SegmentStore.at`), ``_pos`` counts from ``base``."""
    rows: list[dict[str, Any]] = []
    for pos, rule, hit in hits:
        segment_id, target = targets[pos].segment_id, targets[pos].target
        edit = hit.suggestion is not None and hit.start >= 0
        rows.append(
            {
                "_pos": pos - base,
                "segment_id": segment_id,
                "rule": rule.code,
                "category": rule.category,
                "severity": config.severity.get(rule.code, rule.severity),
                "message": hit.message,
                "start": hit.start,
                "end": hit.end,
                "excerpt": excerpt(target, hit.start, hit.end),
                "suggestion": hit.suggestion or "",
                "fix": fix_value(Edit(hit.start, hit.end, hit.suggestion or "") if edit else None, rule.fix),
            }
        )
    return rows


def chunks_of(segments: pd.DataFrame, size: int | None = None) -> Iterator[pd.DataFrame]:
    """A segments table as the engine's chunks of ``size`` (default ``CHUNK_SIZE``) rows."""
    size = size or CHUNK_SIZE
    segments = segments.reset_index(drop=True)
    for offset in range(0, max(len(segments), 1), size):
        yield segments.iloc[offset : offset + size].reset_index(drop=True)


@dataclass
class EngineResult:
    """Findings, and the annotated segments in a store (the input's rows, in order)."""

    findings: pd.DataFrame
    store: SegmentStore
    corpus_scores: dict[str, scoring.CorpusScore] = field(default_factory=dict)
    # corpus rules' merged states, unfinished (``run(..., pooled=True)``: the caller finishes)
    states: dict[str, Any] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)  # corpus position of each findings row


def _sorted(parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[int]]:
    """The findings table of ``parts`` (frames of findings rows with ``_pos``) in report
    order, and each row's ``_pos``. ``parts`` is emptied: the frames are freed once joined,
    so the sort holds two copies of the findings at most, not three."""
    frames = [f for f in parts if len(f)]
    parts.clear()
    if not frames:
        return empty_findings(), []
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frames.clear()
    frame = frame.sort_values(["_pos", "start", "end", "rule", "message"], kind="mergesort")
    return frame.drop(columns="_pos").reset_index(drop=True)[list(FINDING_COLUMNS)], frame["_pos"].tolist()


class Findings:
    """The chunks' findings frames as the engine collects them, in corpus order.

    A chunk's findings as a frame take a third of the memory of its rows as dicts, but a
    frame of a few hundred rows carries some 50 KB of its own (index, blocks, Arrow string
    arrays): a million segments would hold 500 of them. So every ``BLOCK`` frames are joined
    into one, which keeps the order and the values (the report sorts them all anyway).
    """

    BLOCK = 32

    def __init__(self) -> None:
        self.blocks: list[pd.DataFrame] = []
        self.recent: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame) -> None:
        self.recent.append(frame)
        if len(self.recent) >= self.BLOCK:
            self.blocks.append(pd.concat(self.recent, ignore_index=True))
            self.recent = []

    def take(self) -> list[pd.DataFrame]:
        """Every frame collected, in order; this holds none of them any more."""
        frames = [*self.blocks, *self.recent]
        self.blocks, self.recent = [], []
        return frames


def run(
    segments: pd.DataFrame | Iterable[pd.DataFrame],
    plan: Plan,
    executor: Executor | None = None,
    rules: Sequence[Rule] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    *,
    pooled: bool = False,
    base: int = 0,
    total: int | None = None,
) -> EngineResult:
    """Run the plan over ``segments`` (a table, or its chunks as a reader streams them):
    per-chunk stages through ``executor``, then merge.

    The chunks are consumed as the executor frees up; each leaves the engine into the
    result's :class:`SegmentStore`, so memory holds the chunks in flight, the findings and
    the corpus rules' states, never the whole input. ``progress(done, total)`` is called
    after each chunk (``total``: the segments expected, None when unknown). With ``pooled``,
    the corpus rules' merged states come back unfinished, their positions counted from
    ``base`` (the caller merges them with other inputs' and calls :func:`finish`).
    """
    if isinstance(segments, pd.DataFrame):
        total = len(segments)
        segments = chunks_of(segments)
    with fewer_collections():
        return _run(segments, plan, executor, rules, progress, pooled=pooled, base=base, total=total)


def _run(
    chunks: Iterable[pd.DataFrame],
    plan: Plan,
    executor: Executor | None,
    rules: Sequence[Rule] | None,
    progress: Callable[[int, int | None], None] | None,
    *,
    pooled: bool,
    base: int,
    total: int | None,
) -> EngineResult:
    store = SegmentStore()
    in_flight: deque[pd.DataFrame] = deque()
    references = scoring.ReferenceCheck() if plan.metrics else None

    def tasks() -> Iterator[tuple[Plan, pd.DataFrame, int, int]]:
        offset = 0
        for frame in chunks:
            if references is not None:
                references.add(frame)
            in_flight.append(frame)
            yield plan, frame, offset, base
            offset += len(frame)

    every = rules if rules is not None else rules_of(plan)
    states: dict[str, Any] = {}
    found = Findings()
    sums: list[scoring.CorpusSums] = []
    for part in iterate_in(executor, run_chunk, tasks()):
        frame = in_flight.popleft()
        states = merge_states(every, [states, part.states])  # as chunks arrive, in order
        if part.rows:
            found.add(pd.DataFrame(part.rows))
        if part.scores is not None:
            sums = [scoring.merge_sums([*sums, part.scores])]
        store.add(StoredChunk(frame, part.languages, None if part.scores is None else part.scores.segments))
        if progress is not None:  # a streamed input's total is an estimate: never below done
            progress(len(store), None if total is None else max(total, len(store)))
    corpus = scoring.corpus_scores(sums[0], plan.scoring) if sums else {}
    if pooled:
        findings, positions = _sorted(found.take())
        return EngineResult(findings, store, corpus, states, positions)
    hits = finish(every, states, Inputs(lookup=store.scan))
    rows = corpus_rows(hits, store.at({pos for pos, _, _ in hits}, base), plan.config)
    frames = found.take()
    if rows:
        frames.append(pd.DataFrame(rows))
        del rows
    findings, positions = _sorted(frames)
    return EngineResult(findings, store, corpus, positions=positions)


def add_rows(result: EngineResult, rows: list[dict[str, Any]]) -> None:
    """``result``'s findings with more ``rows`` (carrying ``_pos``), sorted as one table."""
    if not rows:
        return
    old = result.findings.assign(_pos=result.positions)
    result.findings, result.positions = _sorted([old, pd.DataFrame(rows)])


def run_rules(segments: pd.DataFrame, rules: Sequence[Rule], config: Config) -> pd.DataFrame:
    """Findings of ``rules`` alone on ``segments`` as one chunk, in this process (no scores
    unless a rule needs them; corpus rules see ``segments`` as their corpus)."""
    segments = segments.reset_index(drop=True)
    plan = make_plan(config, rules, scores=False)
    return _sorted([pd.DataFrame(_stages(segments, plan, rules, 0, ("chunk", "corpus")).rows)])[0]
