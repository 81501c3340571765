"""chrF statistics equal to sacrebleu's, for many segments at once.

sacrebleu's chrF builds one ``Counter`` of character n-grams per order and side and matches
them in a Python loop. Here every line is preprocessed as sacrebleu does (``lower()`` when
asked, then whitespace removed by Python's own ``split()``), its characters become code
points, and :mod:`~tqaudit.scoring.ngrams` counts the matches of every segment by sorting.
The totals follow ``CHRF._get_match_statistics``, including its rule that a hypothesis
count is 0 when the reference has no n-gram of that order. Several references: the
statistics of the reference with the best sentence F-score, the first one on a tie, as
sacrebleu picks it. chrF++ (word n-grams) is sacrebleu's own extraction (see
:func:`applies`); so is a segment without any reference or with too many distinct
characters for an exact key.

Sentence scores from the statistics (:func:`f_scores`) repeat ``CHRF._compute_f_score``'s
float operations in the same order, element by element, so they are bit-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tqaudit.scoring.ngrams import Symbols, matches

_EPS = 1e-16  # sacrebleu's chrF epsilon


def applies(metric: Any) -> bool:
    """Whether these statistics are sacrebleu's for ``metric``: chrF without word n-grams."""
    return type(metric).__name__ == "CHRF" and metric.word_order == 0


def _symbols(lines: Sequence[str], metric: Any) -> Symbols:
    """The lines as sacrebleu's chrF reads them, as code points."""
    if metric.lowercase:
        lines = [line.lower() for line in lines]
    if not metric.whitespace:
        lines = ["".join(line.split()) for line in lines]
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    points = np.frombuffer("".join(lines).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return Symbols(points.astype(np.int64), lengths)


def _against(hyp: Symbols, ref: Symbols, order: int, slow: list[int]) -> np.ndarray:
    """Statistics ``[hyp, ref, match] * order`` of every segment against one reference each."""
    counted, uncounted = matches(hyp, ref, order)
    slow.extend(uncounted)
    ref_totals = ref.totals(order)
    stats = np.zeros((len(hyp), 3 * order), dtype=np.int64)
    stats[:, 0::3] = np.where(ref_totals > 0, hyp.totals(order), 0)
    stats[:, 1::3] = ref_totals
    stats[:, 2::3] = counted
    return stats


def f_scores(stats: np.ndarray, beta: float, order: int, eps_smoothing: bool) -> np.ndarray:
    """``CHRF._compute_f_score`` of every row of ``stats``, with the same float operations."""
    stats = np.asarray(stats, dtype=np.int64).reshape(-1, 3 * order)
    factor = beta**2
    score = np.zeros(len(stats))
    avg_prec = np.zeros(len(stats))
    avg_rec = np.zeros(len(stats))
    effective = np.zeros(len(stats), dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(order):
            n_hyp, n_ref, n_match = stats[:, 3 * i], stats[:, 3 * i + 1], stats[:, 3 * i + 2]
            prec = np.where(n_hyp > 0, n_match / n_hyp, _EPS)
            rec = np.where(n_ref > 0, n_match / n_ref, _EPS)
            denom = factor * prec + rec
            score += np.where(denom > 0, (1 + factor) * prec * rec / denom, _EPS)
            both = (n_hyp > 0) & (n_ref > 0)
            avg_prec = np.where(both, avg_prec + prec, avg_prec)
            avg_rec = np.where(both, avg_rec + rec, avg_rec)
            effective += both
        if eps_smoothing:
            return 100 * score / order
        avg_prec = np.where(effective > 0, avg_prec / effective, 0.0)
        avg_rec = np.where(effective > 0, avg_rec / effective, 0.0)
        total = (1 + factor) * avg_prec * avg_rec
        total = total / (factor * avg_prec + avg_rec)
        return np.where(avg_prec + avg_rec != 0, 100 * total, 0.0)


def chrf_statistics(
    metric: Any, hyps: Sequence[str], refs: Sequence[Sequence[str | None]]
) -> list[list[int]]:
    """What ``metric._extract_corpus_statistics(hyps, refs)`` gives for a chrF metric without
    word n-grams (see :func:`applies`): per segment ``[hyp, ref, match]`` for each order."""
    order = metric.char_order
    hyp = _symbols(hyps, metric)
    slow: list[int] = []
    best = np.zeros((len(hyps), 3 * order), dtype=np.int64)
    best_f = np.full(len(hyps), -np.inf)
    for stream in refs:
        stats = _against(hyp, _symbols([r or "" for r in stream], metric), order, slow)
        if len(refs) == 1:
            best = stats
            break
        present = np.fromiter((r is not None for r in stream), dtype=bool, count=len(hyps))
        f = np.where(present, f_scores(stats, metric.beta, order, metric.eps_smoothing), -np.inf)
        better = f > best_f
        best = np.where(better[:, None], stats, best)
        best_f = np.where(better, f, best_f)
    rows: list[list[int]] = best.tolist()
    # sacrebleu's own extraction where no exact key fits or no reference is present
    for i in sorted(set(slow) | {i for i in range(len(hyps)) if all(s[i] is None for s in refs)}):
        rows[i] = metric._extract_corpus_statistics([hyps[i]], [[s[i]] for s in refs])[0]
    return rows
