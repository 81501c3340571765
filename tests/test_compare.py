"""Compare on a constructed pair where the candidate is clearly worse; sacrebleu agreement."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest, Result

from tqaudit import compare

WORDS = [
    *("the", "a", "minister", "said", "on", "tuesday", "that"),
    *("government", "would", "cut", "taxes", "next", "year", "city"),
]


def _corpus(n: int = 120) -> tuple[list[str], list[str], list[str]]:
    """References, a good system (references with one word changed) and a bad one."""
    rng = random.Random(7)
    refs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + "." for _ in range(n)]
    good = [r.replace("the", "a", 1) for r in refs]
    bad = [
        " ".join(reversed(r.rstrip(".").split())) + "." if i % 2 else "no output" for i, r in enumerate(refs)
    ]
    return refs, good, bad


def test_clearly_worse_candidate_is_a_significant_drop() -> None:
    refs, good, bad = _corpus()
    result = compare.compare_texts(good, {"bad": bad}, [refs], {"metrics": "bleu,chrf"}, resamples=200)
    table = result.table.set_index("metric")
    for metric in ("bleu", "chrf"):
        row = table.loc[metric]
        assert row["delta"] < -20
        assert row["delta_ci_low"] <= row["delta"] <= row["delta_ci_high"] < 0
        assert row["p_value"] < 0.05
        assert bool(row["significant"])
    assert len(result.drops(5.0)) == 2
    # a drop smaller than max_drop passes even though it is significant
    assert result.drops(1000.0) == []


def test_scores_and_p_values_equal_sacrebleu_paired_test() -> None:
    refs, good, bad = _corpus()
    result = compare.compare_texts(good, {"bad": bad}, [refs], {"metrics": "bleu,chrf"}, resamples=200)
    systems: list[tuple[str, Sequence[str]]] = [("baseline", good), ("bad", bad)]
    _, scores = PairedTest(systems, {"BLEU": BLEU(), "CHRF": CHRF()}, [refs], "bs", 200)()
    bleu, chrf = scores["BLEU"][1], scores["chrF2"][1]
    assert isinstance(bleu, Result) and isinstance(chrf, Result)
    table = result.table.set_index("metric")
    assert table.loc["bleu", "score"] == bleu.score
    assert table.loc["bleu", "p_value"] == bleu.p_value
    assert table.loc["chrf", "mean"] == pytest.approx(chrf.mean)
    assert "bs:200|seed:12345" in table.loc["bleu", "signature"]


def test_identical_systems_do_not_fail_the_gate() -> None:
    refs, good, _ = _corpus()
    result = compare.compare_texts(good, {"same": list(good)}, [refs], {"metrics": "chrf"}, resamples=100)
    row = result.table.iloc[0]
    assert row["delta"] == 0
    # sacrebleu's bootstrap gives identical systems p = 1/(n+1) (every resampled
    # difference is 0); the gate still passes because there is no drop at all.
    assert row["p_value"] == pytest.approx(1 / 101)
    assert result.drops(0.0) == []


def test_ter_drop_is_an_increase() -> None:
    refs, good, bad = _corpus(40)
    result = compare.compare_texts(good, {"bad": bad}, [refs], {"metrics": "ter"}, resamples=100)
    assert result.table.iloc[0]["delta"] > 0  # TER rose: quality fell
    assert result.drops(5.0) and "ter dropped" in result.drops(5.0)[0]


def test_segments_worst_first_and_most_changed() -> None:
    refs, good, bad = _corpus(30)
    result = compare.compare_texts(
        good, {"bad": bad, "good2": good}, [refs], {"metrics": "chrf"}, resamples=50
    )
    segs = result.segments[result.segments["candidate"] == "bad"]
    assert list(segs["chrf_delta"]) == sorted(segs["chrf_delta"])
    degraded, improved = compare.most_changed(result.segments, "chrf", 3)
    assert len(degraded[degraded["candidate"] == "bad"]) == 3
    assert (degraded["chrf_delta"] < 0).all()
    assert improved[improved["candidate"] == "good2"].empty  # identical: nothing improved


def test_approximate_randomisation_on_request() -> None:
    refs, good, bad = _corpus(40)
    result = compare.compare_texts(good, {"bad": bad}, [refs], {"metrics": "bleu"}, test="ar", resamples=500)
    assert result.test == "ar"
    assert "ar:500" in result.table.iloc[0]["signature"]
    assert result.table.iloc[0]["p_value"] < 0.05
