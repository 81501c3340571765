"""chrF statistics and sentence scores counted by sorting equal sacrebleu's, on every path:
options, several and missing references, blocks, and segments too varied for an exact key."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF

from tests.test_fastbleu import HYPS, REF_A, REF_B
from tqaudit.scoring import charstats, ngrams
from tqaudit.scoring.fastbleu import bleu_statistics

LABELLED = Path(__file__).parent / "labelled"


def _labelled() -> tuple[list[str], list[str]]:
    """The labelled set's targets and sources: ten language pairs, six scripts, real text."""
    hyps: list[str] = []
    refs: list[str] = []
    for path in sorted(LABELLED.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                hyps.append(row["target"])
                refs.append(row["source"])
    return hyps, refs


def _sacrebleu(metric: Any, hyps: list[str], refs: list[list[Any]]) -> list[list[int]]:
    return [
        metric._extract_corpus_statistics(hyps[i : i + 1], [r[i : i + 1] for r in refs])[0]
        for i in range(len(hyps))
    ]


# Texts the sorting must get right: separators Python splits on, characters beyond the BMP,
# a lone surrogate (a JSON escape can make one), repeats, and lines without any n-gram.
EXTRA_HYPS = ["ab\x1ccd ef", "🙂🙂 ok 🙂", "a\ud800b", "aaaaaaa", "", "x", "same same"]
EXTRA_REFS = ["abcd ef", "🙂 ok", "a\ud800b c", "aaa", "abc", "", "same same"]

OPTIONS = [
    {},
    {"lowercase": True},
    {"whitespace": True},
    {"char_order": 4},
    {"char_order": 8, "beta": 1},
    {"eps_smoothing": True},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_statistics_and_scores_equal_sacrebleu_with_one_reference(options: dict[str, Any]) -> None:
    hyps, refs = _labelled()
    hyps, refs = [*HYPS, *EXTRA_HYPS, *hyps], [*REF_A, *EXTRA_REFS, *refs]
    metric = CHRF(**options)
    expected = _sacrebleu(metric, hyps, [refs])
    stats = charstats.chrf_statistics(metric, hyps, [refs])
    assert stats == expected
    sentence = CHRF(**options)
    scores = charstats.f_scores(np.array(stats), metric.beta, metric.char_order, metric.eps_smoothing)
    assert scores.tolist() == [sentence._compute_score_from_stats(s).score for s in expected]
    assert 0 < sum(s == 100.0 for s in scores) < len(scores)  # exact, partial and no matches


@pytest.mark.parametrize("options", [{}, {"lowercase": True}, {"eps_smoothing": True}])
def test_several_references_pick_sacrebleus_best(options: dict[str, Any]) -> None:
    refs_c = [None if i % 3 else ref for i, ref in enumerate(REF_B)]
    refs: list[list[Any]] = [REF_A, REF_B, refs_c]
    metric = CHRF(**options)
    assert charstats.chrf_statistics(metric, HYPS, refs) == _sacrebleu(metric, HYPS, refs)
    picked_second = [
        i
        for i, row in enumerate(_sacrebleu(metric, HYPS, [REF_B]))
        if REF_B[i] is not None and row != _sacrebleu(metric, HYPS[i : i + 1], [REF_A[i : i + 1]])[0]
    ]
    assert picked_second  # the references differ, so the choice is tested


def test_blocks_and_segments_too_varied_for_a_key() -> None:
    """Over two blocks of segments, with one pair of 2,000 distinct characters (no exact
    64-bit key for six orders): that one is counted by sacrebleu, the rest by sorting."""
    rng = random.Random(7)
    han = [chr(0x4E00 + i) for i in range(2000)]
    wide_hyp = "".join(rng.sample(han, len(han)))
    wide_ref = wide_hyp[1000:] + wide_hyp[:1000]
    hyps, refs = _labelled()
    wide = 600  # in the second block
    hyps = [*(hyps * 4)[:wide], wide_hyp, *(hyps * 4)[: 2 * ngrams._BLOCK - wide + 40]]
    refs = [*(refs * 4)[:wide], wide_ref, *(refs * 4)[: 2 * ngrams._BLOCK - wide + 40]]
    assert len(hyps) > 2 * ngrams._BLOCK
    metric = CHRF()
    counted, slow = ngrams.matches(charstats._symbols(hyps, metric), charstats._symbols(refs, metric), 6)
    assert slow == [wide]
    assert not counted[wide].any() and counted[wide + 1].any()  # left for the caller to count
    assert charstats.chrf_statistics(metric, hyps, [refs]) == _sacrebleu(metric, hyps, [refs])


def test_chrf_plus_plus_is_not_counted_here() -> None:
    assert charstats.applies(CHRF())
    assert not charstats.applies(CHRF(word_order=2))
    assert not charstats.applies(BLEU())


def test_bleu_word_ids_of_both_sides_never_collide() -> None:
    """A reference word must never get the id of a different hypothesis word (an earlier
    numbering restarted for the reference side and matched `b` against `e` here)."""
    hyps, refs = ["a a a a b", "b e c"], [["c d e x", "x y"]]
    assert bleu_statistics(BLEU(), hyps, refs) == _sacrebleu(BLEU(), hyps, refs)


def test_bleu_statistics_over_blocks_equal_sacrebleu() -> None:
    hyps, refs = _labelled()
    hyps, refs = (hyps * 3)[:1100], (refs[1:] + refs[:1] + refs * 2)[:1100]
    for options in ({}, {"tokenize": "intl"}, {"lowercase": True}):
        metric = BLEU(**options)
        assert bleu_statistics(metric, hyps, [refs]) == _sacrebleu(metric, hyps, [refs])
