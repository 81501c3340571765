"""Scores equal sacrebleu's API on text written here; options, references and gates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

import tqaudit
from tqaudit import scoring
from tqaudit.errors import ConfigError, InputError
from tqaudit.executor import Executor
from tqaudit.gate import score_failures
from tqaudit.segments import build_segments

HYPS = [
    "The cat sat on the mat.",
    "A quick brown fox jumps over the lazy dog",
    "Kiev is the capital of Ukraine.",
    "Subscribe to our channel",
    "",
    "It rained all day long in the city.   ",
]
REFS = [
    "The cat was sitting on the mat.",
    "The quick brown fox jumped over the lazy dog.",
    "Kyiv is the capital of Ukraine.",
    "The minister resigned on Tuesday.",
    "Nothing was said.",
    "It rained the whole day in the city.",
]
REFS2 = [
    "A cat sat on the mat.",
    "A fast brown fox leaps over a lazy dog.",
    "Kyiv is Ukraine's capital.",
    "On Tuesday the minister stepped down.",
    "No comment.",
    "It was raining in the city all day.",
]
EPS = 1e-9


def _sacrebleu_corpus(refs: list[list[str]], **kw: object) -> dict[str, float]:
    return {
        "BLEU": BLEU(**kw.get("bleu", {})).corpus_score(HYPS, refs).score,  # type: ignore[arg-type]
        "CHRF": CHRF(**kw.get("chrf", {})).corpus_score(HYPS, refs).score,  # type: ignore[arg-type]
        "TER": TER(**kw.get("ter", {})).corpus_score(HYPS, refs).score,  # type: ignore[arg-type]
    }


@pytest.mark.parametrize("refs", [[REFS], [REFS, REFS2]], ids=["one-ref", "two-refs"])
def test_corpus_scores_equal_sacrebleu(refs: list[list[str]]) -> None:
    result = scoring.score_texts(HYPS, refs)
    expected = _sacrebleu_corpus(refs)
    for key, value in expected.items():
        assert result.corpus[key].score == pytest.approx(value, abs=EPS)
    assert result.corpus["BLEU"].signature == (
        f"nrefs:{len(refs)}|case:mixed|eff:no|tok:13a|smooth:exp|version:{sacrebleu.__version__}"
    )
    assert result.corpus["CHRF"].formatted.startswith(f"chrF2|nrefs:{len(refs)}|")


def test_known_values_on_a_constructed_pair() -> None:
    result = scoring.score_texts(["the cat sat on the mat"], [["the cat sat on the mat"]])
    assert result.corpus["BLEU"].score == pytest.approx(100.0)
    assert result.corpus["CHRF"].score == pytest.approx(100.0)
    assert result.corpus["TER"].score == pytest.approx(0.0)
    worse = scoring.score_texts(["dog barks loudly"], [["the cat sat on the mat"]])
    assert worse.corpus["BLEU"].score == pytest.approx(0.0)
    assert worse.corpus["TER"].score == pytest.approx(100.0)


@pytest.mark.parametrize("refs", [[REFS], [REFS, REFS2]], ids=["one-ref", "two-refs"])
def test_sentence_scores_equal_sacrebleu_sentence_score(refs: list[list[str]]) -> None:
    result = scoring.score_texts(HYPS, refs, sentence_level=True)
    assert result.segments is not None
    bleu, chrf, ter = BLEU(effective_order=True), CHRF(), TER()
    for i, hyp in enumerate(HYPS):
        seg_refs = [r[i] for r in refs]
        assert result.segments["bleu"][i] == bleu.sentence_score(hyp.rstrip(), seg_refs).score
        assert result.segments["chrf"][i] == chrf.sentence_score(hyp.rstrip(), seg_refs).score
        assert result.segments["ter"][i] == ter.sentence_score(hyp.rstrip(), seg_refs).score


def test_segment_scores_fast_path_equals_statistics_path() -> None:
    hyps = [*HYPS, "ab\x1ccd ef", "x"]
    refs = [[*REFS, "abcd ef", "x"]]
    fast = scoring.segment_scores(hyps, refs, {"metrics": "chrf"})
    slow = scoring.score_texts(hyps, refs, {"metrics": "chrf"}, sentence_level=True).segments
    assert slow is not None
    assert list(fast["chrf"]) == list(slow["chrf"])
    # the separator character is whitespace to Python: sacrebleu gives 100 here
    assert fast["chrf"].iloc[-2] == pytest.approx(100.0)


@pytest.mark.parametrize("refs", [[REFS], [REFS, REFS2]], ids=["one-ref", "two-refs"])
def test_statistics_counted_in_blocks_equal_sacrebleu(
    monkeypatch: pytest.MonkeyPatch, refs: list[list[str]]
) -> None:
    # blocks of 4 segments: the six are counted as 4 + 2, on both the -sl and the corpus routes
    monkeypatch.setattr("tqaudit.scoring.stats._BLOCK", 4)
    fast = scoring.segment_scores(HYPS, refs, {"metrics": "bleu,chrf"})
    bleu, chrf = BLEU(effective_order=True), CHRF()
    for i, hyp in enumerate(HYPS):
        seg_refs = [r[i] for r in refs]
        assert fast["bleu"][i] == bleu.sentence_score(hyp.rstrip(), seg_refs).score
        assert fast["chrf"][i] == chrf.sentence_score(hyp.rstrip(), seg_refs).score
    result = scoring.score_texts(HYPS, refs, {"metrics": "bleu,chrf"}, sentence_level=True)
    assert result.segments is not None and list(result.segments["chrf"]) == list(fast["chrf"])
    assert result.corpus["BLEU"].score == pytest.approx(_sacrebleu_corpus(refs)["BLEU"], abs=EPS)
    assert result.corpus["CHRF"].score == pytest.approx(_sacrebleu_corpus(refs)["CHRF"], abs=EPS)


def test_options_are_forwarded_to_sacrebleu() -> None:
    opts = {"chrf_word_order": 2, "lowercase": True, "ter_case_sensitive": True}
    result = scoring.score_texts(HYPS, [REFS], opts)
    assert result.corpus["CHRF"].name == "chrF2++"
    assert result.corpus["CHRF"].score == pytest.approx(
        CHRF(word_order=2).corpus_score(HYPS, [REFS]).score, abs=EPS
    )
    assert "case:lc" in result.corpus["BLEU"].signature
    assert result.corpus["BLEU"].score == pytest.approx(
        BLEU(lowercase=True).corpus_score(HYPS, [REFS]).score, abs=EPS
    )
    assert "|case:mixed|" in result.corpus["TER"].signature  # TER is lowercased by default


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"chrf_wordorder": 2}, "did you mean 'chrf_word_order'"),
        ({"colour": "red"}, "unknown scoring option 'colour'"),
        ({"metrics": "bleu,comet"}, "unknown metric 'comet'"),
        ({"tokenize": "nope"}, "invalid bleu options"),
        ({"smooth_method": "nope"}, "Unknown smooth_method 'nope'"),
    ],
)
def test_bad_options_raise_config_error(options: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        scoring.parse_options(options)


def test_audit_keeps_scores_beside_the_segments_with_corpus_scores() -> None:
    table = build_segments(HYPS, references=[REFS, REFS2])
    result = tqaudit.audit(
        table, tqaudit.Config(select=("MK001",), scoring={"metrics": ["bleu", "chrf", "ter"]})
    )
    assert result.scores is not None and list(result.scores.columns) == ["bleu", "chrf", "ter"]
    assert "bleu" not in result.segments.columns  # beside the segments, never in them
    assert set(result.corpus_scores) == {"BLEU", "CHRF", "TER"}
    corpus = result.corpus_scores
    assert corpus["BLEU"].signature.startswith("nrefs:2|")
    assert corpus["BLEU"].sentence_signature.startswith("nrefs:2|case:mixed|eff:yes")
    one_shot = scoring.score_texts(HYPS, [REFS, REFS2], {"metrics": "bleu,chrf,ter"}, sentence_level=True)
    assert corpus == one_shot.corpus
    assert one_shot.segments is not None
    pd.testing.assert_frame_equal(result.scores, one_shot.segments, check_dtype=False)


def test_audit_without_references_scores_nothing() -> None:
    result = tqaudit.audit(build_segments(HYPS), tqaudit.Config(select=("MK001",)))
    assert result.scores is None and result.corpus_scores == {}


def test_empty_reference_is_an_input_error() -> None:
    refs = list(REFS)
    refs[2] = "   "
    table = build_segments(HYPS, references=[refs])
    with pytest.raises(InputError, match="segment '3': empty reference"):
        tqaudit.audit(table)


def test_empty_reference_line_in_a_file_names_file_and_line(tmp_path: Path) -> None:
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("a\nb\nc\n", encoding="utf-8")
    ref.write_text("a\n\nc\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ref\.txt:2: empty reference line"):
        scoring.score_file(str(hyp), [str(ref)])


def test_line_count_mismatch_is_an_input_error(tmp_path: Path) -> None:
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("a\nb\nc\n", encoding="utf-8")
    ref.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(InputError, match="lines"):
        scoring.score_file(str(hyp), [str(ref)])


def test_parallel_jobs_keep_order_and_values() -> None:
    hyps = HYPS * 60
    refs = [REFS * 60]
    opts = {"metrics": "bleu,chrf,ter"}
    one = scoring.segment_scores(hyps, refs, opts)
    r1 = scoring.score_texts(hyps, refs, opts, sentence_level=True)
    with Executor(2) as ex:
        two = scoring.segment_scores(hyps, refs, opts, executor=ex)
        r2 = scoring.score_texts(hyps, refs, opts, sentence_level=True, executor=ex)
    assert one.equals(two)
    assert r1.corpus == r2.corpus
    assert r1.segments is not None and r2.segments is not None
    assert r1.segments.equals(r2.segments)


CORPUS = {
    key: scoring.CorpusScore(key=key, name=name, score=value, signature="", formatted="")
    for key, name, value in (("BLEU", "BLEU", 30.0), ("CHRF", "chrF2", 55.0), ("TER", "TER", 60.0))
}


def test_score_gate_passes_when_every_threshold_holds() -> None:
    assert score_failures(CORPUS, 25.0, 50.0, 65.0) == []
    assert score_failures(CORPUS, None, None, None) == []


def test_score_gate_reports_each_failed_threshold() -> None:
    failures = score_failures(CORPUS, 35.0, 60.0, 50.0)
    assert len(failures) == 3
    assert "BLEU 30.00 is below --min-bleu 35" in failures[0]
    assert "chrF2 55.00 is below --min-chrf 60" in failures[1]
    assert "TER 60.00 is above --max-ter 50" in failures[2]


def test_score_gate_fails_a_threshold_whose_metric_is_missing() -> None:
    assert score_failures({}, 10.0, None, None) == [
        "--min-bleu 10 set, but BLEU was not computed (no references?)"
    ]
