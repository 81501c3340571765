"""Corpus scores from summed sufficient statistics, chunk by chunk.

A chunk of segments gives its sentence scores and, per metric, its statistics summed over
its segments (:func:`score_chunk`). Chunk sums add up (:func:`merge_sums`) and the total
gives the corpus score with its signature (:func:`corpus_scores`), exactly as sacrebleu's
``_aggregate_and_compute`` does on all the per-segment statistics at once.

Exactness: sums are taken with sacrebleu's own ``sum_of_lists``. BLEU, chrF and chrF++
statistics and TER's edit counts are integers, so chunked sums are bit-identical whatever
the chunking. TER's second statistic is the mean reference length, a float; it is exact
(and so are its sums) when every segment has 1, 2 or 4 references. With 3 references per
segment the mean is rounded, and a different chunking can move the corpus TER by a few
units in the last place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.scoring.options import METRIC_CLASSES, ScoringOptions, as_options, make_metric
from tqaudit.scoring.stats import (
    Streams,
    clean,
    clean_streams,
    extract,
    nrefs_of,
    ref_counts,
    sentence_scores,
)

Stat = float | int


@dataclass(frozen=True)
class CorpusScore:
    """One metric's corpus score as sacrebleu reports it.

    ``key`` is sacrebleu's metric key (``BLEU``, ``CHRF``, ``TER``), ``name`` the score's own
    name (``chrF2++``), ``formatted`` sacrebleu's score line; ``sentence_signature`` is the
    signature of the sentence scores, when they were computed (BLEU's says ``eff:yes``).
    """

    key: str
    name: str
    score: float
    signature: str
    formatted: str
    sentence_signature: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON entry: ``name``, ``score``, ``signature``, ``formatted`` [, ``sentence_signature``]."""
        entry: dict[str, Any] = {
            "name": self.name,
            "score": self.score,
            "signature": self.signature,
            "formatted": self.formatted,
        }
        if self.sentence_signature is not None:
            entry["sentence_signature"] = self.sentence_signature
        return entry


@dataclass(frozen=True)
class CorpusSums:
    """Statistics summed over some segments: what a corpus score needs.

    ``ref_counts`` holds the distinct per-segment reference counts, from which sacrebleu's
    ``num_refs`` (and so the signature's ``nrefs``) follows.
    """

    sums: dict[str, list[Stat]] = field(default_factory=dict)
    ref_counts: frozenset[int] = frozenset()
    size: int = 0

    @property
    def num_refs(self) -> int:
        """sacrebleu's ``num_refs``: the count per segment, or -1 when it varies."""
        return nrefs_of(self.ref_counts)


@dataclass(frozen=True, eq=False)
class ChunkScores(CorpusSums):
    """One chunk's sentence scores (``segments``, index 0..n-1, a column per metric) and sums."""

    segments: pd.DataFrame = field(default_factory=pd.DataFrame)


def _sum(rows: Sequence[list[Stat]]) -> list[Stat]:
    """sacrebleu's ``sum_of_lists`` (the one ``_aggregate_and_compute`` uses), on a copy."""
    from sacrebleu.utils import sum_of_lists

    return list(sum_of_lists(rows))


def score_chunk(
    hyps: Sequence[str],
    ref_streams: Streams,
    options: ScoringOptions | Mapping[str, Any] | None = None,
) -> ChunkScores:
    """Sentence scores and summed statistics of one chunk of segments.

    Lines are ``rstrip()``-ed as sacrebleu's command line does; a ``None`` reference means
    "no reference here". A pure function of its arguments: it runs in any worker.
    """
    opts = as_options(options)
    hyps = [clean(h) for h in hyps]
    refs = clean_streams(ref_streams)
    if not refs or any(len(r) != len(hyps) for r in refs):
        counts = ", ".join(str(len(r)) for r in refs) or "none"
        raise InputError(f"{len(hyps)} hypotheses but reference counts {counts}")
    columns: dict[str, list[float]] = {}
    sums: dict[str, list[Stat]] = {}
    for name in opts.metrics:
        stats = extract(make_metric(name, opts.for_metric(name)), hyps, refs)
        columns[name] = sentence_scores(name, opts, stats)
        if stats:
            sums[name] = _sum(stats)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(hyps)), columns=list(opts.metrics), dtype=float)
    return ChunkScores(sums=sums, ref_counts=ref_counts(refs), size=len(hyps), segments=frame)


def merge_sums(parts: Iterable[CorpusSums]) -> CorpusSums:
    """Chunk sums (or earlier merges) added up, in order; empty parts are skipped.

    ``merge_sums([merge_sums(a), b]) == merge_sums([*a, b])``: a running total works.
    """
    todo = [p for p in parts if p.size]
    if not todo:
        return CorpusSums()
    names = list(todo[0].sums)
    for part in todo[1:]:
        if list(part.sums) != names:
            raise ValueError(f"chunks scored with different metrics: {names} and {list(part.sums)}")
    return CorpusSums(
        sums={n: _sum([p.sums[n] for p in todo]) for n in names},
        ref_counts=frozenset().union(*(p.ref_counts for p in todo)),
        size=sum(p.size for p in todo),
    )


def corpus_scores(
    merged: CorpusSums,
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    sentence_signature: bool = True,
) -> dict[str, CorpusScore]:
    """Corpus score and signature of every metric of ``options`` from summed statistics.

    Keyed by sacrebleu's metric key (``BLEU``, ``CHRF``, ``TER``). ``sentence_signature``
    adds the signature of the sentence scores to each entry.
    """
    opts = as_options(options)
    if not merged.size:
        raise InputError("nothing to score: no segments")
    out: dict[str, CorpusScore] = {}
    for name in opts.metrics:
        if name not in merged.sums:
            raise ValueError(f"no statistics for metric {name!r} (scored: {', '.join(merged.sums)})")
        metric = make_metric(name, opts.for_metric(name))
        metric.num_refs = merged.num_refs
        score = metric._compute_score_from_stats(list(merged.sums[name]))
        signature = metric.get_signature().format()
        sent_sig = None
        if sentence_signature:
            sent = make_metric(name, opts.for_metric(name), sentence=True)
            sent.num_refs = merged.num_refs
            sent_sig = sent.get_signature().format()
        key = METRIC_CLASSES[name]
        out[key] = CorpusScore(
            key=key,
            name=score.name,
            score=float(score.score),
            signature=signature,
            formatted=score.format(width=1, signature=signature),
            sentence_signature=sent_sig,
        )
    return out
