"""Which segments the language rules ask a verdict for: only those whose verdict could be flagged."""

from __future__ import annotations

import pandas as pd

import tqaudit
from tqaudit import langid
from tqaudit.chunk import Chunk
from tqaudit.config import Config
from tqaudit.rules import RULES, load_rules
from tqaudit.segments import build_segments

RU = "Правительство объявило о новых мерах поддержки малого бизнеса этой зимой."
DE = "Die Regierung hat neue Maßnahmen zur Unterstützung kleiner Unternehmen angekündigt."
# every word a frequent English word: LG001 believes the declaration whatever the model says
PLAIN_EN = "The government said on Monday that it would help small firms this winter."
# rare words: a model verdict could be believed against the declaration
RARE_EN = "Kleptocratic oligarchs bankrolled clandestine paramilitaries, prosecutors alleged."


def chunk_of(targets: list[str], sources: list[str], src_lang: str, tgt_lang: str) -> Chunk:
    return Chunk.from_frame(build_segments(targets, source=sources, src_lang=src_lang, tgt_lang=tgt_lang))


def rows(code: str, chunk: Chunk, name: str = "target_lang") -> list[int]:
    load_rules()
    found = RULES[code]().annotation_rows(chunk, name)
    assert found is not None
    return list(found)


def test_lg001_skips_targets_whose_words_are_all_words_of_the_declared_language() -> None:
    chunk = chunk_of([PLAIN_EN, RARE_EN, DE, "Yes, thanks."], [RU] * 4, "ru", "en")
    # the German target needs a verdict (LG001 flags it); the short one has too little evidence
    assert rows("LG001", chunk) == [1, 2]


def test_lg001_needs_no_verdict_without_a_declared_target_language() -> None:
    chunk = chunk_of([DE, RARE_EN], [RU, RU], "ru", "")
    assert rows("LG001", chunk) == []
    assert rows("LG002", chunk) == [0, 1]  # LG002 can still find the source language


def test_lg002_needs_no_verdict_when_the_source_language_writes_another_script() -> None:
    # ru -> en: a target mostly in Latin script cannot be Russian (one in Cyrillic is LG003's)
    assert rows("LG002", chunk_of([PLAIN_EN, DE], [RU, RU], "ru", "en")) == []
    # de -> en: the same targets may be German left untranslated; a short one is never flagged
    assert rows("LG002", chunk_of([PLAIN_EN, DE, "Ja, danke."], [DE] * 3, "de", "en")) == [0, 1]


def test_source_verdicts_only_for_undeclared_sources_of_rows_that_need_one() -> None:
    chunk = Chunk.from_frame(
        pd.DataFrame(
            {
                "source": [DE, DE, DE],
                "target": [RARE_EN, PLAIN_EN, RARE_EN],
                "src_lang": ["", "", "de"],
                "tgt_lang": ["en", "en", "en"],
            }
        )
    )
    assert rows("LG001", chunk) == [0, 2]
    assert rows("LG001", chunk, "source_lang") == [0]  # row 1 needs no verdict, row 2 is declared


def test_an_audit_of_a_clean_translation_calls_no_model_and_still_flags_a_wrong_language() -> None:
    ident = langid.identifier_for(langid.Settings())
    ident.cache_clear()
    before = sum(ident.model_calls.values())
    frame = pd.DataFrame({"source": [RU, RU], "target": [PLAIN_EN, DE], "src_lang": "ru", "tgt_lang": "en"})
    result = tqaudit.audit(frame, Config(select=("LG001", "LG002", "LG005")))
    assert result.languages is not None
    assert list(result.languages["target_lang"]) == ["", "de"]  # the clean row was not identified
    assert list(result.findings["rule"]) == ["LG001"]
    assert list(result.findings["segment_id"]) == ["2"]
    # the German target only: a first look, and a second with the declared language favoured
    assert sum(ident.model_calls.values()) - before == 2
