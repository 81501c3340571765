"""Per-segment sufficient statistics, equal to sacrebleu's own extraction.

Every metric's statistics are what sacrebleu's ``_extract_corpus_statistics`` gives for one
segment; a corpus score sums them (sacrebleu's ``_aggregate_and_compute``), a segment score
computes from one row. Work runs in other processes only through an
:class:`~tqaudit.executor.Executor` passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tqaudit.errors import InputError
from tqaudit.executor import Executor, run_in
from tqaudit.scoring import charstats
from tqaudit.scoring.options import ScoringOptions, make_metric

if TYPE_CHECKING:  # imported by score workers, which need neither pandas nor the engine
    import pandas as pd

# Segments per sacrebleu statistics call. Small batches keep each reference's n-gram
# counters hot in the CPU cache; measured on 12k WMT lines, chrF statistics took 3.7 s in
# batches of 1, 3.9 s in batches of 16 and 5.2 s in batches of 128.
_BATCH = 1
# Segments whose BLEU or chrF statistics are counted together: the sort-based counting holds
# every n-gram of its segments at once (several KB a segment), so the block bounds the
# memory of a corpus of any size; each segment's statistics are its own, whatever the block.
_BLOCK = 10_000
# Below this many segments, worker processes cost more than they save.
MIN_PARALLEL = 200

Streams = Sequence[Sequence[str | None]]


def clean(text: str) -> str:
    """What sacrebleu's command line does to every line it reads."""
    return text.rstrip()


def clean_streams(refs: Streams) -> list[list[str | None]]:
    """``clean`` on every reference; ``None`` (no reference here) stays ``None``."""
    return [[None if r is None else clean(r) for r in stream] for stream in refs]


def ref_counts(refs: Streams) -> frozenset[int]:
    """The distinct numbers of references (non-``None``) a segment has."""
    n = len(refs[0]) if refs else 0
    return frozenset(sum(r[i] is not None for r in refs) for i in range(n))


def nrefs_of(counts: Iterable[int]) -> int:
    """sacrebleu's ``num_refs`` from per-segment counts: the count, or -1 when it varies."""
    distinct = set(counts)
    return distinct.pop() if len(distinct) == 1 else -1


def num_refs(refs: Streams) -> int:
    """sacrebleu's ``num_refs`` of reference streams: the count per segment, or -1 when it varies."""
    return nrefs_of(ref_counts(refs))


# TER's shift search grows much faster than the segment: sacrebleu took 1 s for a 100-word
# segment, 18 s for 400 words and over 600 s for 12,000 (one segment stalled a whole audit).
# Longer segments are refused with a clear error instead: skipping them would make the corpus
# TER differ from sacrebleu's own on the same files.
MAX_TER_WORDS = 250


def check_ter_length(hyps: Sequence[str], refs: Streams) -> None:
    """Refuse a hypothesis or reference too long for sentence TER (see ``MAX_TER_WORDS``)."""
    for texts in (hyps, *refs):
        for text in texts:
            if text is not None and text.count(" ") >= MAX_TER_WORDS and len(text.split()) > MAX_TER_WORDS:
                head = " ".join(text.split()[:6])
                raise InputError(
                    f"a segment of {len(text.split()):,} words ('{head} …') is too long for TER "
                    f"(at most {MAX_TER_WORDS} words: its edit search grows far faster than the "
                    "length); leave TER out or split the segment"
                )


def extract(metric: Any, hyps: Sequence[str], refs: Streams) -> list[Any]:
    """Per-segment statistics of ``metric``: BLEU's counted by :mod:`~tqaudit.scoring.fastbleu`
    and chrF's by :mod:`~tqaudit.scoring.charstats` (the same numbers), the others (chrF++,
    TER) by sacrebleu's own extraction, in small batches."""
    from sacrebleu.metrics.bleu import BLEU

    from tqaudit.scoring.fastbleu import bleu_statistics

    count: Callable[[Any, Sequence[str], Streams], list[list[int]]] | None = None
    if type(metric) is BLEU:
        count = bleu_statistics
    elif charstats.applies(metric):
        count = charstats.chrf_statistics
    if count is not None:
        return [
            row
            for i in range(0, len(hyps), _BLOCK)
            for row in count(metric, hyps[i : i + _BLOCK], [r[i : i + _BLOCK] for r in refs])
        ]
    if type(metric).__name__ == "TER":
        check_ter_length(hyps, refs)
    out: list[Any] = []
    for i in range(0, len(hyps), _BATCH):
        out.extend(metric._extract_corpus_statistics(hyps[i : i + _BATCH], [r[i : i + _BATCH] for r in refs]))
    return out


def slices(n: int, executor: Executor | None) -> list[slice]:
    """``range(n)`` cut into one slice per worker of ``executor`` (one slice if in-process)."""
    parts = executor.jobs if executor is not None and executor.parallel and n >= MIN_PARALLEL else 1
    if n == 0:
        return [slice(0, 0)]
    step = -(-n // parts)
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


_StatsTask = tuple[tuple[str, ...], Mapping[str, Mapping[str, Any]], Sequence[str], Streams]


def _stats_job(args: _StatsTask) -> dict[str, list[Any]]:
    names, kwargs, hyps, refs = args
    return {n: extract(make_metric(n, kwargs.get(n, {})), hyps, refs) for n in names}


def segment_statistics(
    names: Sequence[str],
    options: ScoringOptions,
    hyps: Sequence[str],
    refs: Streams,
    executor: Executor | None = None,
) -> dict[str, list[Any]]:
    """Statistics of every metric in ``names`` for every segment, in segment order.

    The text is taken as given (see :func:`clean`).
    """
    kwargs = {m: options.for_metric(m) for m in names}
    tasks = [(tuple(names), kwargs, hyps[s], [r[s] for r in refs]) for s in slices(len(hyps), executor)]
    results = run_in(executor, _stats_job, tasks)
    return {m: [row for part in results for row in part[m]] for m in names}


def sentence_scores(name: str, options: ScoringOptions, stats: Iterable[Any]) -> list[float]:
    """Segment scores of metric ``name`` from per-segment statistics (as ``sacrebleu -sl``)."""
    sent = make_metric(name, options.for_metric(name), sentence=True)
    if charstats.applies(sent):
        rows = list(stats)
        if not rows:
            return []
        scores = charstats.f_scores(np.array(rows), sent.beta, sent.char_order, sent.eps_smoothing)
        return [float(x) for x in scores]
    return [float(sent._compute_score_from_stats(s).score) for s in stats]


# One slice of segments: hypotheses, reference streams, options (a worker's task).
ScoresTask = tuple[Sequence[str], Streams, ScoringOptions]


def scores_job(task: ScoresTask) -> dict[str, list[float]]:
    """Segment scores of one slice: statistics and the scores made from them in the same
    worker (the scores, not the statistics, travel back)."""
    hyps, refs, opts = task
    out: dict[str, list[float]] = {name: [] for name in opts.metrics}
    for i in range(0, len(hyps), _BLOCK):  # the statistics of one block at a time
        stats = segment_statistics(
            list(opts.metrics), opts, hyps[i : i + _BLOCK], [r[i : i + _BLOCK] for r in refs]
        )
        for name in opts.metrics:
            out[name] += sentence_scores(name, opts, stats[name])
    return out


# What a score worker imports before its first task (see Executor's ``preload``).
WORKER_MODULES = ("tqaudit.scoring.stats", "tqaudit.scoring.charstats", "tqaudit.scoring.fastbleu")


def check_references(
    segments: pd.DataFrame,
    columns: Sequence[str],
    origins: Mapping[str, str] | None = None,
    first: int = 0,
) -> None:
    """Refuse empty reference text: sacrebleu would score against it silently.

    ``origins`` maps a reference column to the file it came from, so that the message can
    name the file and line (a plain-text file's row i is its line i + 1; ``first`` is the
    file row of the table's first row, for a table that is one chunk of a file).
    """
    for col in columns:
        blank = [i for i, t in enumerate(segments[col].astype(str)) if not t.strip()]
        if blank:
            pos = blank[0]
            if origins and col in origins:
                raise InputError(f"{origins[col]}:{first + pos + 1}: empty reference line")
            sid = segments["segment_id"].iloc[pos]
            raise InputError(f"segment {sid!r}: empty reference in column {col!r}")
