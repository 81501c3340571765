"""Reference-based scores with sacrebleu: corpus scores with signatures, segment scores, gates.

Everything here wraps sacrebleu's own metric classes (BLEU, chrF/chrF++, TER): their
options, signatures and formulas. Per-segment sufficient statistics are extracted once per
metric (BLEU's and chrF's n-grams counted faster than sacrebleu counts them, into the same
integers) and then aggregated twice: summed for the corpus score, and one by one for the
segment scores. The numbers therefore equal ``sacrebleu REF -i HYP -m bleu chrf ter`` (corpus) and
``sacrebleu -sl`` (segments) on the same text and options, including sacrebleu's command-line
habits that its API leaves to the caller: every line is ``rstrip()``-ed, and sentence BLEU
uses ``effective_order=True``.

Modules:

* :mod:`~tqaudit.scoring.options`: options, routed to sacrebleu's constructor arguments;
* :mod:`~tqaudit.scoring.stats`: per-segment statistics, equal to sacrebleu's extraction;
* :mod:`~tqaudit.scoring.fastbleu`, :mod:`~tqaudit.scoring.charstats`: BLEU and chrF
  statistics counted for many segments at once (:mod:`~tqaudit.scoring.ngrams`), the same
  integers as sacrebleu's;
* :mod:`~tqaudit.scoring.corpus`: :class:`CorpusScore`, and the chunked API
  (:func:`score_chunk` -> :func:`merge_sums` -> :func:`corpus_scores`): corpus scores from
  chunk sums equal the one-shot scores;
* :mod:`~tqaudit.scoring.api`: texts, tables and files (``tqaudit score``);

Nothing here starts processes: parallel work goes through an
:class:`~tqaudit.executor.Executor` the caller owns.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqaudit.scoring.api import (
        FILE_CHUNK,
        ReferenceCheck,
        ScoreResult,
        score_file,
        score_segments,
        score_texts,
        segment_scores,
    )
    from tqaudit.scoring.corpus import (
        ChunkScores,
        CorpusScore,
        CorpusSums,
        corpus_scores,
        merge_sums,
        score_chunk,
    )
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
    from tqaudit.scoring.stats import check_references, clean, num_refs, segment_statistics, sentence_scores

# Where each name of the package lives. Imported on first use: a score worker process
# imports the statistics modules alone, not the tables (pandas) the API builds. The names
# are also written in the TYPE_CHECKING imports above and in ``__all__`` (static tools read
# those) and in ``api.__all__``: tests/test_imports.py checks that the lists agree.
_HOME = {
    **dict.fromkeys(
        (
            "FILE_CHUNK",
            "ReferenceCheck",
            "ScoreResult",
            "score_file",
            "score_segments",
            "score_texts",
            "segment_scores",
        ),
        "api",
    ),
    **dict.fromkeys(
        ("ChunkScores", "CorpusScore", "CorpusSums", "corpus_scores", "merge_sums", "score_chunk"), "corpus"
    ),
    **dict.fromkeys(
        (
            "BLEU_ALIASES",
            "DEFAULT_METRICS",
            "METRIC_CLASSES",
            "ScoringOptions",
            "as_options",
            "make_metric",
            "parse_metrics",
            "parse_options",
        ),
        "options",
    ),
    **dict.fromkeys(
        ("check_references", "clean", "num_refs", "segment_statistics", "sentence_scores"), "stats"
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'tqaudit.scoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tqaudit.scoring.{_HOME[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BLEU_ALIASES",
    "DEFAULT_METRICS",
    "FILE_CHUNK",
    "METRIC_CLASSES",
    "ChunkScores",
    "CorpusScore",
    "CorpusSums",
    "ReferenceCheck",
    "ScoreResult",
    "ScoringOptions",
    "as_options",
    "check_references",
    "clean",
    "corpus_scores",
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
