"""Scoring texts, segment tables and files: the library calls behind ``tqaudit score``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.executor import Executor, run_in
from tqaudit.scoring.corpus import (
    ChunkScores,
    CorpusScore,
    CorpusSums,
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

# Rows of a file scored at a time by :func:`score_file`: the texts of one chunk are in
# memory, never the whole file (what stays is each segment's scores and the summed
# statistics). Large enough that a chunk's split over the workers of ``--jobs`` pays.
FILE_CHUNK = 50_000


@dataclass
class ReferenceCheck:
    """Refuses empty reference text across the chunks of one input as
    :func:`~tqaudit.scoring.stats.check_references` does within one table: the reference
    columns with text are the same in every chunk (a column blank in a chunk, or missing
    from it, is empty there). ``origins`` maps a reference column to its file, so that a
    message names the file's line."""

    origins: Mapping[str, str] | None = None
    columns: list[str] | None = None  # the first chunk's reference columns with text
    first_id: str = ""  # the input's first segment id
    done: int = 0

    def add(self, frame: pd.DataFrame) -> list[str]:
        """Check the next chunk; its reference columns with text."""
        columns = reference_columns(frame)
        check_references(frame, columns, self.origins, self.done)
        self.done += len(frame)
        if not len(frame):
            return columns
        if self.columns is None:
            self.columns, self.first_id = columns, str(frame["segment_id"].iat[0])
        elif columns != self.columns:
            column = sorted(set(columns) ^ set(self.columns))[0]
            # blank here, or in every chunk before this one
            sid = self.first_id if column in columns else str(frame["segment_id"].iat[0])
            raise InputError(f"segment {sid!r}: empty reference in column {column!r}")
        return columns


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


def _table_scores(
    segments: pd.DataFrame,
    columns: Sequence[str],
    opts: ScoringOptions,
    *,
    sentence_level: bool,
    corpus: bool,
    executor: Executor | None,
) -> tuple[pd.DataFrame | None, CorpusSums | None]:
    """The segment rows of a table (``segment_id`` and a column per metric) when
    ``sentence_level``, and its summed statistics when ``corpus``; segment rows alone by
    the fastest route (``sacrebleu -sl``'s)."""
    hyps = segments["target"].astype(str).tolist()
    streams = _streams(segments, columns)
    rows: pd.DataFrame | None = None
    sums: CorpusSums | None = None
    if corpus:
        parts = _score_chunks(hyps, streams, opts, executor)
        sums = merge_sums(parts)
        if sentence_level:
            rows = _concat(parts)
    elif sentence_level:
        rows = segment_scores(hyps, streams, opts, executor=executor)
    if rows is not None:
        rows.insert(0, "segment_id", segments["segment_id"].to_numpy())
    return rows, sums


def _scored(
    tables: Iterable[pd.DataFrame],
    opts: ScoringOptions,
    *,
    sentence_level: bool,
    corpus: bool,
    executor: Executor | None,
    origins: Mapping[str, str] | None,
) -> ScoreResult:
    """Scores of the tables of one input, one after the other: the corpus scores from
    their summed statistics (equal to one pass over the whole input), the segment rows
    kept only when asked."""
    check = ReferenceCheck(origins)
    rows: list[pd.DataFrame] = []
    sums: list[CorpusSums] = []
    for table in tables:
        columns = check.add(table)
        if not columns:
            raise InputError("no reference text to score against (give --ref or a 'reference' column)")
        part, summed = _table_scores(
            table, columns, opts, sentence_level=sentence_level, corpus=corpus, executor=executor
        )
        if part is not None:
            rows.append(part)
        if summed is not None:
            sums.append(summed)
    if not check.done:
        raise InputError("nothing to score: no segments")
    scores = corpus_scores(merge_sums(sums), opts, sentence_signature=sentence_level) if corpus else {}
    segments = None
    if sentence_level:
        segments = pd.concat(rows, ignore_index=True) if len(rows) > 1 else rows[0]
    return ScoreResult(scores, segments)


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
    return _scored(
        [segments], opts, sentence_level=sentence_level, corpus=corpus, executor=executor, origins=origins
    )


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

    The file is read and scored :data:`FILE_CHUNK` rows at a time (plain text, TSV, CSV,
    JSON Lines and Parquet stream; other formats are read whole), so the memory holds
    one chunk's texts and every segment's scores, never the whole file. A byte-order mark
    is kept as text, as sacrebleu's command line keeps it, so that the numbers stay equal
    to sacrebleu's on such files (the audit reader drops it).
    """
    from tqaudit.io.readers import read_chunks

    opts = parse_options(options)  # a bad option is reported before any file is read
    origins = {("reference" if i == 0 else f"reference_{i + 1}"): str(r) for i, r in enumerate(refs)}
    tables = read_chunks(hyp, size=FILE_CHUNK, fmt=fmt, refs=refs, keep_bom=True)
    return _scored(
        tables, opts, sentence_level=sentence_level, corpus=corpus, executor=executor, origins=origins
    )


__all__ = [
    "FILE_CHUNK",
    "ReferenceCheck",
    "ScoreResult",
    "score_file",
    "score_segments",
    "score_texts",
    "segment_scores",
]
