"""Corpus scores from chunk sums equal the one-shot scores (and sacrebleu's) exactly."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pandas as pd
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from tqaudit import scoring
from tqaudit.errors import InputError
from tqaudit.executor import Executor
from tqaudit.scoring import api as scoring_api

WORDS = ["the", "a", "minister", "said", "on", "Tuesday", "that", "government", "would", "cut", "taxes"]


def _corpus(n: int = 41, seed: int = 3) -> tuple[list[str], list[str], list[str]]:
    """Hypotheses and two reference streams, with a trailing space and an empty hypothesis."""
    rng = random.Random(seed)

    def line() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))) + rng.choice([".", "", " ."])

    hyps = [line() for _ in range(n)]
    hyps[5], hyps[7] = "", hyps[7] + "   "
    return hyps, [line() for _ in range(n)], [line() for _ in range(n)]


HYPS, REF1, REF2 = _corpus()
# A second stream with holes: sacrebleu's variable number of references (nrefs:var).
REF2_HOLES: list[str | None] = [None if i % 3 == 0 else r for i, r in enumerate(REF2)]
SPLITS = [slice(0, 3), slice(3, 7), slice(7, None)]
OPTIONS = {
    "bleu": {"metrics": "bleu"},
    "chrf": {"metrics": "chrf"},
    "chrf++": {"metrics": "chrf", "chrf_word_order": 2},
    "ter": {"metrics": "ter"},
}
SACREBLEU = {
    "bleu": lambda: BLEU(),
    "chrf": lambda: CHRF(),
    "chrf++": lambda: CHRF(word_order=2),
    "ter": lambda: TER(),
}
STREAMS = {"one-ref": [REF1], "two-refs": [REF1, REF2], "missing-ref": [REF1, REF2_HOLES]}


def _chunked(refs: list[list[str | None]], options: dict[str, object]) -> scoring.CorpusSums:
    parts = [scoring.score_chunk(HYPS[s], [r[s] for r in refs], options) for s in SPLITS]
    return scoring.merge_sums(parts)


@pytest.mark.parametrize("metric", list(OPTIONS))
@pytest.mark.parametrize("streams", list(STREAMS))
def test_chunk_sums_give_the_one_shot_corpus_score_exactly(metric: str, streams: str) -> None:
    refs = STREAMS[streams]
    options = OPTIONS[metric]
    chunked = scoring.corpus_scores(_chunked(refs, options), options)
    one = scoring.corpus_scores(scoring.merge_sums([scoring.score_chunk(HYPS, refs, options)]), options)
    assert chunked == one  # every field: score bit for bit, name, signatures, formatted line

    sb = SACREBLEU[metric]()
    expected = sb.corpus_score([h.rstrip() for h in HYPS], refs)
    (entry,) = chunked.values()
    assert entry.score == expected.score
    assert entry.name == expected.name
    assert entry.signature == sb.get_signature().format()
    nrefs = "var" if streams == "missing-ref" else len(refs)
    assert entry.signature.startswith(f"nrefs:{nrefs}|")


@pytest.mark.parametrize("streams", list(STREAMS))
def test_all_metrics_at_once_and_through_score_texts(streams: str) -> None:
    refs = STREAMS[streams]
    options = {"metrics": "bleu,chrf,ter", "chrf_word_order": 2}
    merged = _chunked(refs, options)
    assert merged.size == len(HYPS)
    chunked = scoring.corpus_scores(merged, options, sentence_signature=False)
    assert chunked == scoring.score_texts(HYPS, refs, options).corpus


def test_segments_are_the_sentence_scores_in_order() -> None:
    refs = [REF1, REF2_HOLES]
    options = {"metrics": "bleu,chrf,ter"}
    parts = [scoring.score_chunk(HYPS[s], [r[s] for r in refs], options) for s in SPLITS]
    for part, s in zip(parts, SPLITS, strict=True):
        assert list(part.segments.index) == list(range(len(HYPS[s])))
        assert list(part.segments.columns) == ["bleu", "chrf", "ter"]
    joined = pd.concat([p.segments for p in parts], ignore_index=True)
    whole = scoring.score_texts(HYPS, refs, options, sentence_level=True).segments
    assert whole is not None and joined.equals(whole)
    bleu = BLEU(effective_order=True)
    for i, hyp in enumerate(HYPS):
        seg_refs = [r[i] for r in refs if r[i] is not None]
        assert joined["bleu"][i] == bleu.sentence_score(hyp.rstrip(), seg_refs).score


def test_merging_is_a_running_total_and_skips_empty_chunks() -> None:
    refs = [REF1, REF2]
    options = {"metrics": "bleu,chrf,ter"}
    parts = [scoring.score_chunk(HYPS[s], [r[s] for r in refs], options) for s in SPLITS]
    empty = scoring.score_chunk([], [[], []], options)
    assert empty.size == 0 and empty.sums == {}
    running = scoring.merge_sums([])
    for part in [parts[0], empty, parts[1], parts[2]]:
        running = scoring.merge_sums([running, part])
    assert running == scoring.merge_sums(parts)
    assert running.ref_counts == frozenset({2}) and running.num_refs == 2


def test_parallel_score_texts_equals_in_process() -> None:
    hyps, refs = HYPS * 6, [REF1 * 6, REF2_HOLES * 6]
    options = {"metrics": "bleu,chrf,ter"}
    one = scoring.score_texts(hyps, refs, options, sentence_level=True)
    with Executor(2) as ex:
        two = scoring.score_texts(hyps, refs, options, sentence_level=True, executor=ex)
    assert one.corpus == two.corpus
    assert one.segments is not None and two.segments is not None and one.segments.equals(two.segments)


def test_chunk_scores_pickle() -> None:
    part = scoring.score_chunk(HYPS[:7], [REF1[:7], REF2_HOLES[:7]], {"metrics": "bleu,chrf,ter"})
    back = pickle.loads(pickle.dumps(part))
    assert back.segments.equals(part.segments)
    assert back.sums == part.sums and back.ref_counts == part.ref_counts == frozenset({1, 2})
    assert back.size == 7
    merged = scoring.merge_sums([part])
    assert pickle.loads(pickle.dumps(merged)) == merged


def test_corpus_score_to_dict_shape() -> None:
    refs = [REF1]
    with_sent = scoring.score_texts(HYPS, refs, {"metrics": "bleu"}, sentence_level=True).corpus["BLEU"]
    assert isinstance(with_sent, scoring.CorpusScore) and with_sent.key == "BLEU"
    entry = with_sent.to_dict()
    assert list(entry) == ["name", "score", "signature", "formatted", "sentence_signature"]
    assert entry["name"] == "BLEU" and isinstance(entry["score"], float)
    assert entry["formatted"].startswith(f"BLEU|{entry['signature']} = ")
    assert "|eff:yes|" in entry["sentence_signature"]
    plain = scoring.score_texts(HYPS, refs, {"metrics": "bleu"}).corpus["BLEU"]
    assert plain.sentence_signature is None
    assert list(plain.to_dict()) == ["name", "score", "signature", "formatted"]
    with pytest.raises(AttributeError):
        plain.score = 1.0  # type: ignore[misc]


def test_corpus_scores_needs_segments_and_the_metric() -> None:
    with pytest.raises(InputError, match="nothing to score"):
        scoring.corpus_scores(scoring.merge_sums([]), {"metrics": "bleu"})
    merged = _chunked([REF1], {"metrics": "bleu"})
    with pytest.raises(ValueError, match="no statistics for metric 'ter'"):
        scoring.corpus_scores(merged, {"metrics": "bleu,ter"})


# --- score_file reads and scores a file chunk by chunk -------------------------------------


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("sentence_level,corpus", [(True, True), (False, True), (True, False)])
def test_score_file_in_chunks_equals_scoring_the_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sentence_level: bool, corpus: bool
) -> None:
    """Chunks of 4 rows over 41 lines (the last chunk shorter): the corpus scores and the
    segment rows (ids included) equal the one-table scores and sacrebleu's."""
    hyp = _write_lines(tmp_path / "hyp.txt", [h.rstrip() or "x" for h in HYPS])
    ref1, ref2 = _write_lines(tmp_path / "r1.txt", REF1), _write_lines(tmp_path / "r2.txt", REF2)
    options = {"metrics": "bleu,chrf,ter"}
    whole = scoring.score_file(
        str(hyp), [str(ref1), str(ref2)], options, sentence_level=sentence_level, corpus=corpus
    )
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 4)
    chunked = scoring.score_file(
        str(hyp), [str(ref1), str(ref2)], options, sentence_level=sentence_level, corpus=corpus
    )
    assert chunked.corpus == whole.corpus
    if corpus:
        hyps = hyp.read_text(encoding="utf-8").splitlines()
        assert chunked.corpus["BLEU"].score == BLEU().corpus_score(hyps, [REF1, REF2]).score
    if sentence_level:
        assert chunked.segments is not None and whole.segments is not None
        assert len(chunked.segments) == len(HYPS)
        pd.testing.assert_frame_equal(chunked.segments, whole.segments)
        assert list(chunked.segments["segment_id"])[-1] == str(len(HYPS))
    else:
        assert chunked.segments is None


def test_score_file_names_the_line_of_an_empty_reference_in_a_later_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 4)
    hyp = _write_lines(tmp_path / "hyp.txt", ["a"] * 10)
    ref = _write_lines(tmp_path / "ref.txt", ["a"] * 6 + [" "] + ["a"] * 3)
    with pytest.raises(InputError, match=r"ref\.txt:7: empty reference line"):
        scoring.score_file(str(hyp), [str(ref)])


def test_score_file_refuses_a_reference_column_blank_in_one_chunk_and_filled_in_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table's second reference column has text in the first chunk only: an error, as
    for the whole table (not a corpus score over a varying number of references)."""
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 3)
    rows = ["segment_id\ttarget\treference\treference_2"]
    rows += [f"s{i}\ta b\ta b\t{'a c' if i < 3 else ''}" for i in range(6)]
    table = _write_lines(tmp_path / "t.tsv", rows)
    with pytest.raises(InputError, match=r"segment 's3': empty reference in column 'reference_2'"):
        scoring.score_file(str(table))
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 100)
    with pytest.raises(InputError, match=r"empty reference in column 'reference_2'"):
        scoring.score_file(str(table))


def test_score_file_refuses_a_reference_key_missing_from_a_later_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON Lines whose later records have no `reference` key: those chunks have no such
    column at all, an empty reference as for the whole file, not a corpus of the first rows."""
    import json

    records = [{"segment_id": f"s{i}", "target": "a b", "reference": "a b"} for i in range(3)]
    records += [{"segment_id": f"s{i}", "target": "a b"} for i in range(3, 6)]
    table = _write_lines(tmp_path / "t.jsonl", [json.dumps(r) for r in records])
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 3)
    with pytest.raises(InputError, match=r"segment 's3': empty reference in column 'reference'"):
        scoring.score_file(str(table))
    monkeypatch.setattr(scoring_api, "FILE_CHUNK", 100)
    with pytest.raises(InputError, match=r"empty reference"):
        scoring.score_file(str(table))
