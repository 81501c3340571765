"""Reference-based scores with sacrebleu: corpus scores with signatures, segment scores, gates.

Everything here wraps sacrebleu's own metric classes (BLEU, chrF/chrF++, TER) and never
reimplements them. Per-segment sufficient statistics are extracted once per metric and then
aggregated twice: summed for the corpus score, and one by one for the segment scores. The
numbers therefore equal ``sacrebleu REF -i HYP -m bleu chrf ter`` (corpus) and
``sacrebleu -sl`` (segments) on the same text and options, including sacrebleu's command-line
habits that its API leaves to the caller: every line is ``rstrip()``-ed, and sentence BLEU
uses ``effective_order=True``.

Modules:

* :mod:`~tqaudit.scoring.options`: options, routed to sacrebleu's constructor arguments;
* :mod:`~tqaudit.scoring.stats`: per-segment statistics by sacrebleu's own extraction;
* :mod:`~tqaudit.scoring.fast`: sentence chrF through fastchrf, where that is exact;
* :mod:`~tqaudit.scoring.corpus`: :class:`CorpusScore`, and the chunked API
  (:func:`score_chunk` -> :func:`merge_sums` -> :func:`corpus_scores`): corpus scores from
  chunk sums equal the one-shot scores;
* :mod:`~tqaudit.scoring.api`: texts, tables and files (``tqaudit score``);

Nothing here starts processes: parallel work goes through an
:class:`~tqaudit.executor.Executor` the caller owns.
"""

from __future__ import annotations

from tqaudit.scoring.api import ScoreResult, score_file, score_segments, score_texts, segment_scores
from tqaudit.scoring.corpus import (
    ChunkScores,
    CorpusScore,
    CorpusSums,
    corpus_scores,
    merge_sums,
    score_chunk,
    sentence_scores,
)
from tqaudit.scoring.fast import FASTCHRF_UNSAFE, chrf_fast, fast_chrf_ok
from tqaudit.scoring.options import (
    BLEU_ALIASES,
    DEFAULT_METRICS,
    METRIC_CLASSES,
    ScoringOptions,
    as_options,
    make_metric,
    parse_metrics,
    parse_options,
)
from tqaudit.scoring.stats import check_references, clean, num_refs, segment_statistics

__all__ = [
    "BLEU_ALIASES",
    "DEFAULT_METRICS",
    "FASTCHRF_UNSAFE",
    "METRIC_CLASSES",
    "ChunkScores",
    "CorpusScore",
    "CorpusSums",
    "ScoreResult",
    "ScoringOptions",
    "as_options",
    "check_references",
    "chrf_fast",
    "clean",
    "corpus_scores",
    "fast_chrf_ok",
    "make_metric",
    "merge_sums",
    "num_refs",
    "parse_metrics",
    "parse_options",
    "score_chunk",
    "score_file",
    "score_segments",
    "score_texts",
    "segment_scores",
    "segment_statistics",
    "sentence_scores",
]
