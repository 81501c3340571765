"""Scoring texts, segment tables and files: the library calls behind ``tqaudit score``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.executor import Executor, run_in
from tqaudit.scoring.corpus import (
    ChunkScores,
    CorpusScore,
    corpus_scores,
    merge_sums,
    score_chunk,
)
from tqaudit.scoring.options import ScoringOptions, as_options, parse_options
from tqaudit.scoring.stats import (
    ScoresTask,
    Streams,
    check_references,
    clean,
    clean_streams,
    scores_job,
    slices,
)
from tqaudit.segments import reference_columns


@dataclass
class ScoreResult:
    """Corpus scores (with signatures) and, when asked, one row of scores per segment."""

    corpus: dict[str, CorpusScore]
    segments: pd.DataFrame | None = None


def _chunk_job(task: ScoresTask) -> ChunkScores:
    return score_chunk(*task)


def _score_chunks(
    hyps: Sequence[str], refs: Streams, opts: ScoringOptions, executor: Executor | None
) -> list[ChunkScores]:
    """:func:`score_chunk` over one slice per worker of ``executor``, in order."""
    tasks = [(hyps[s], [r[s] for r in refs], opts) for s in slices(len(hyps), executor)]
    return run_in(executor, _chunk_job, tasks)


def _concat(parts: Sequence[ChunkScores]) -> pd.DataFrame:
    return pd.concat([p.segments for p in parts], ignore_index=True) if len(parts) > 1 else parts[0].segments


def score_texts(
    hyps: Sequence[str],
    refs: Streams,
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    executor: Executor | None = None,
) -> ScoreResult:
    """Corpus scores of ``hyps`` against the reference streams ``refs``; optionally per segment.

    Statistics are extracted once per metric and serve both the corpus and the segment
    scores. A ``None`` reference means "no reference here" (sacrebleu's variable references).
    """
    opts = as_options(options)  # lines are cleaned as sacrebleu reads them by score_chunk
    if not hyps:
        raise InputError("nothing to score: no segments")
    if not refs or any(len(r) != len(hyps) for r in refs):
        counts = ", ".join(str(len(r)) for r in refs) or "none"
        raise InputError(f"{len(hyps)} hypotheses but reference counts {counts}")
    parts = _score_chunks(hyps, refs, opts, executor)
    corpus = corpus_scores(merge_sums(parts), opts, sentence_signature=sentence_level)
    return ScoreResult(corpus, _concat(parts) if sentence_level else None)


def segment_scores(
    hyps: Sequence[str],
    refs: Streams,
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """Per-segment scores only (what ``sacrebleu -sl`` prints), one column per metric.

    The fastest route to segment scores: no corpus aggregation. Values equal
    ``sacrebleu -sl`` exactly.
    """
    opts = as_options(options)
    hyps = [clean(h) for h in hyps]
    refs = clean_streams(refs)
    tasks = [(hyps[s], [r[s] for r in refs], opts) for s in slices(len(hyps), executor)]
    parts = run_in(executor, scores_job, tasks)
    return pd.DataFrame({name: [x for part in parts for x in part[name]] for name in opts.metrics})


def _streams(segments: pd.DataFrame, columns: Sequence[str]) -> list[list[str | None]]:
    return [list(segments[c].astype(str)) for c in columns]


def score_segments(
    segments: pd.DataFrame,
    options: Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    corpus: bool = True,
    executor: Executor | None = None,
    origins: Mapping[str, str] | None = None,
) -> ScoreResult:
    """``tqaudit score`` on a segments table: corpus scores, and segment rows when asked.

    The segment rows carry ``segment_id`` and one column per metric. ``corpus=False``
    with ``sentence_level=True`` is ``sacrebleu -sl``: segment scores only, by the fastest
    route (:func:`segment_scores`).
    """
    opts = parse_options(options)
    columns = reference_columns(segments)
    if not columns:
        raise InputError("no reference text to score against (give --ref or a 'reference' column)")
    check_references(segments, columns, origins)
    hyps = segments["target"].astype(str).tolist()
    if sentence_level and not corpus:
        rows = segment_scores(hyps, _streams(segments, columns), opts, executor=executor)
        rows.insert(0, "segment_id", segments["segment_id"].to_numpy())
        return ScoreResult({}, rows)
    result = score_texts(
        hyps, _streams(segments, columns), opts, sentence_level=sentence_level, executor=executor
    )
    if result.segments is not None:
        result.segments.insert(0, "segment_id", segments["segment_id"].to_numpy())
    return result


def score_file(
    hyp: str,
    refs: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    corpus: bool = True,
    executor: Executor | None = None,
    fmt: str | None = None,
) -> ScoreResult:
    """Read ``hyp`` (plain text or a table) with line-aligned ``refs`` files and score it.

    A byte-order mark is kept as text, as sacrebleu's command line keeps it, so that the
    numbers stay equal to sacrebleu's on such files (the audit reader drops it).
    """
    from tqaudit.io.readers import read_segments

    parse_options(options)  # a bad option is reported before any file is read
    segments = read_segments(hyp, fmt=fmt, refs=refs, keep_bom=True)
    origins = {("reference" if i == 0 else f"reference_{i + 1}"): str(r) for i, r in enumerate(refs)}
    return score_segments(
        segments,
        options,
        sentence_level=sentence_level,
        corpus=corpus,
        executor=executor,
        origins=origins,
    )


__all__ = [
    "ScoreResult",
    "score_file",
    "score_segments",
    "score_texts",
    "segment_scores",
]
