"""Language identification: verdicts, no-verdict cases, script fallback, cache, determinism."""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys

import pandas as pd
import pytest

from tqaudit import langid
from tqaudit.errors import ConfigError

RU = "Президент подписал указ о переносе выборов на следующую осень."
EN = "The president signed a decree moving the election to next autumn."
DE = "Der Präsident hat ein Dekret unterzeichnet, das die Wahl verschiebt."
UK = "Президент підписав указ про перенесення виборів на наступну осінь."
CS = "Prezident podepsal dekret, kterým se volby odkládají na příští podzim."
JA = "大統領は選挙を来年の秋に延期する法令に署名した。"
ZH = "总统签署了一项将选举推迟到明年秋天的法令。"
KO = "대통령은 선거를 내년 가을로 연기하는 법령에 서명했다."
TH = "ประธานาธิบดีลงนามในกฤษฎีกาเลื่อนการเลือกตั้ง"
KK = "Президент сайлауды келесі күзге ауыстыру туралы жарлыққа қол қойды."


def frame(targets, sources=None, tgt_lang="", src_lang=""):
    n = len(targets)
    return pd.DataFrame(
        {
            "segment_id": [str(i + 1) for i in range(n)],
            "doc_id": [""] * n,
            "source": sources if sources is not None else [""] * n,
            "target": targets,
            "reference": [""] * n,
            "src_lang": [src_lang] * n,
            "tgt_lang": [tgt_lang] * n,
        }
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (RU, "ru"),
        (EN, "en"),
        (DE, "de"),
        (UK, "uk"),
        (CS, "cs"),
        (JA, "ja"),
        (ZH, "zh"),
        (KO, "ko"),
        (TH, "th"),
    ],
)
def test_identifies_sentences(text, lang):
    verdict = langid.identify(text)
    assert verdict.lang == lang
    assert verdict.conf > 0.8


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Almaty",  # too short
        "Kassym-Jomart Tokayev, Astana",  # names only
        "12:30 (GMT+6) — 2024-01-01, №45/7",  # digits and punctuation
        "https://example.com/news/2024/01/01/item",  # a URL is not language
    ],
)
def test_no_verdict_when_text_cannot_be_judged(text):
    verdict = langid.identify(text)
    assert verdict.lang == ""
    assert math.isnan(verdict.conf)


def test_thresholds_are_options():
    short = "Thank you very much"  # 16 letters
    assert langid.identify(short, langid.Settings(min_letters=20)).lang == ""
    loose = langid.Settings.from_options({"min_letters": 5})
    assert langid.identify(short, loose).lang == "en"


def test_short_text_is_why_min_letters_exists():
    # langdetect calls this Welsh with certainty; the default threshold keeps it silent.
    assert langid.identify("Good news", langid.Settings(min_letters=1)).lang == "cy"
    assert langid.identify("Good news").lang == ""


def test_script_decides_without_model():
    langid.cache_clear()
    before = sum(langid.MODEL_CALLS.values())
    assert [langid.identify(t).lang for t in (JA, ZH, KO, TH)] == ["ja", "zh", "ko", "th"]
    assert sum(langid.MODEL_CALLS.values()) == before


def test_short_cjk_still_judged():
    # Six Han characters are a full sentence; they weigh as more letters than six Latin ones.
    assert langid.identify("我们今天很忙").lang == "zh"


def test_annotate_adds_columns_and_keeps_input():
    segs = frame([EN, RU, "OK"], sources=[RU, EN, "OK"])
    out = langid.annotate(segs)
    assert list(out["target_lang"]) == ["en", "ru", ""]
    assert list(out["source_lang"]) == ["ru", "en", ""]
    assert out["target_lang_conf"].dtype == "float64"
    assert math.isnan(out["target_lang_conf"].iloc[2])
    assert "target_lang" not in segs.columns


def test_annotate_without_sources_adds_no_source_columns():
    out = langid.annotate(frame([EN]))
    assert "source_lang" not in out.columns
    assert list(out["target_lang"]) == ["en"]


def test_cache_detects_each_text_once():
    langid.cache_clear()
    before = langid.MODEL_CALLS["langdetect"]
    langid.annotate(frame([EN, DE, EN, EN, DE], sources=[DE, EN, DE, DE, EN]))
    assert langid.MODEL_CALLS["langdetect"] - before == 2
    langid.annotate(frame([EN, DE]))
    assert langid.MODEL_CALLS["langdetect"] - before == 2


def test_jobs_gives_same_result_in_same_order():
    texts = [EN, RU, DE, UK, CS, JA, "Kassym-Jomart Tokayev", EN]
    langid.cache_clear()
    one = langid.annotate(frame(texts), jobs=1)
    langid.cache_clear()
    two = langid.annotate(frame(texts), jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert list(two["target_lang"]) == ["en", "ru", "de", "uk", "cs", "ja", "", "en"]


_CHILD = """
import json, sys
from tqaudit import langid
texts = json.loads(sys.stdin.read())
settings = langid.Settings(min_letters=1)
print(json.dumps([list(langid.identify(t, settings)) for t in texts]))
"""


def test_same_verdicts_in_every_process():
    # Short, ambiguous texts are where an unseeded langdetect flips between runs.
    texts = ["Hello world", "We are open", "Es ist gut so", "See you soon", CS, UK]
    results = []
    for hashseed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        results.append(done.stdout)
    assert results[0] == results[1] == results[2]
    langid.cache_clear()
    here = [list(langid.identify(t, langid.Settings(min_letters=1))) for t in reversed(texts)]
    assert json.loads(results[0]) == here[::-1]  # and in this process, in another order


def test_unsupported_language_falls_back_to_script_and_warns_once(caplog):
    langid._WARNED.clear()
    segs = frame([KK, KK + " Тағы бір сөйлем.", EN], tgt_lang="kk")
    with caplog.at_level(logging.WARNING, logger="tqaudit"):
        out = langid.annotate(segs)
        langid.annotate(segs)
    # Kazakh in Cyrillic cannot be told from Russian by langdetect: no verdict, no false alarm.
    assert list(out["target_lang"]) == ["", "", "en"]
    warnings = [r for r in caplog.records if "'kk'" in r.getMessage()]
    assert len(warnings) == 1
    assert "Cyrillic" in warnings[0].getMessage()


def test_declared_codes_are_normalised():
    assert langid.base_language("pt-BR") == "pt"
    assert langid.base_language("zh_TW") == "zh"
    assert langid.base_language("nb") == "no"
    assert langid.base_language("iw") == "he"


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"min_chars": 3}, "unknown langid option 'min_chars'"),
        ({"backend": "cld9"}, "unknown langid backend 'cld9'"),
        ({"min_letters": "ten"}, "must be int"),
        ({"max_name_ratio": 1.5}, "between 0 and 1"),
        ({"declared_prior": 1}, "below 1"),
    ],
)
def test_bad_options_raise_config_error(options, fragment):
    with pytest.raises(ConfigError, match=fragment):
        langid.annotate(frame([EN]), options)


def test_kebab_case_option_keys_accepted():
    settings = langid.Settings.from_options({"min-letters": 3})
    assert settings.min_letters == 3


def test_scripts():
    assert langid.script_of("Ж") == "CYRILLIC"
    assert langid.script_of("ｱ") == "KANA"
    assert langid.script_of("Ａ") == "LATIN"
    assert langid.script_of("7") == ""
    assert langid.dominant_script("Москва is big") == "CYRILLIC"
    assert langid.language_script("kk") == "CYRILLIC"
    assert langid.decisive_scripts()["THAI"] == "th"
    assert "CYRILLIC" not in langid.decisive_scripts()


def test_words_copied_from_source_are_no_evidence():
    settings = langid.Settings()
    target = "Buses will also go to Světlá nad Sázavou, Blatno u Jesenice and Staré Splavy."
    source = "Autobusy pojedou také do Světlé nad Sázavou, Blatna u Jesenice a Starých Splav."
    own = langid.own_words(target, source, settings)
    assert "Sázavou" not in own and "Buses will also go" in own
    # A target copied from its source keeps its full text, so it is still seen as Czech.
    assert langid.own_words(source, source, settings) == source
    out = langid.annotate(frame([target, source], sources=[source, source], tgt_lang="en"))
    assert list(out["target_lang"]) == ["en", "cs"]


def test_han_only_text_gets_no_verdict_when_japanese_is_declared():
    kanji_title = "東京都知事選挙結果速報"
    assert langid.identify(kanji_title).lang == "zh"
    out = langid.annotate(frame([kanji_title, JA], tgt_lang="ja"))
    assert list(out["target_lang"]) == ["", "ja"]


def test_declared_prior_settles_doubtful_short_sentences():
    text = "Natural fabric does not accumulate static electricity."
    settings = langid.Settings(backend="py3langid")
    assert langid.identify(text, settings, "en").lang == "en"
    # The prior does not overrule clear evidence.
    assert langid.identify(DE, settings, "en").lang == "de"


def test_missing_backend_is_a_config_error(monkeypatch):
    class Missing:
        def __init__(self) -> None:
            raise ImportError("no module named 'nothing'")

    monkeypatch.setitem(langid.BACKENDS, "nothing", Missing)
    with pytest.raises(ConfigError, match=r"pip install 'tqaudit\[nothing\]'"):
        langid.annotate(frame([EN]), {"backend": "nothing"})


def test_every_option_is_documented():
    from dataclasses import fields

    assert {f.name for f in fields(langid.Settings)} == set(langid.OPTION_DOCS)


# --------------------------------------------------------------------------- fast paths


def _model_calls() -> int:
    return sum(langid.MODEL_CALLS.values())


def test_fast_detector_gives_langdetects_exact_probabilities():
    from langdetect.detector import Detector

    backend = langid.get_backend("langdetect")
    factory = backend._factory
    texts = [EN, DE, RU, UK, CS, "Good news", "Es ist gut so", "Закривати в банки неможна"]
    for text in texts:
        for prior in (None, ("en", 0.5), ("uk", 0.5)):
            ours, theirs = backend._detector(factory), Detector(factory)
            for d in (ours, theirs):
                if prior:
                    d.set_prior_map(langid._prior_map(factory.get_lang_list(), *prior))
                d.append(text)
            # Probabilities equal to the last bit, not approximately.
            assert [(p.lang, p.prob) for p in ours.get_probabilities()] == [
                (p.lang, p.prob) for p in theirs.get_probabilities()
            ]


EN_CLEAR = "They said that the new bridge would be open to traffic after the summer, and it was."
RU_CLEAR = "Он сказал, что это было очень важно для всех, кто был там в тот день."


@pytest.mark.parametrize(("text", "lang"), [(EN_CLEAR, "en"), (RU_CLEAR, "ru")])
def test_function_words_decide_the_declared_language_without_model(text, lang):
    langid.cache_clear()
    before = _model_calls()
    assert langid.identify(text, declared=lang) == langid.Verdict(lang, 1.0)
    assert _model_calls() == before
    # The model agrees: the fast path only saves the call.
    assert langid.identify(text).lang == lang
    assert _model_calls() == before + 1


@pytest.mark.parametrize(
    ("text", "declared", "why"),
    [
        (EN_CLEAR, "", "nothing declared"),
        (EN_CLEAR, "de", "no marker list for German, and the text is not German"),
        (EN_CLEAR.replace("bridge", "café"), "en", "a letter English does not write"),
        ("The Kremlin and the White House: Путин и Байден встретятся в Женеве", "en", "mixed scripts"),
        ("Le président a dit que the bridge would open après l'été prochain.", "en", "mixed French"),
        ("Bridge reopens after summer repairs downtown, officials said", "en", "one marker word"),
        ("Президент сказав, що це було дуже важливо для всіх, хто був там.", "ru", "Ukrainian letters"),
        (RU_CLEAR, "uk", "no marker list for Ukrainian"),
    ],
)
def test_function_words_defer_to_model_when_not_conclusive(text, declared, why):
    langid.cache_clear()
    before = _model_calls()
    langid.identify(text, declared=declared)
    assert _model_calls() > before, why


def test_function_words_leave_short_lines_to_the_model():
    # Clear English, but short: langdetect's verdict (Welsh) is kept, as LG001 ignores it anyway.
    text = "If you do well you can get a pro offer."
    assert not langid.by_function_words(text, "en", langid.Settings())
    assert langid.identify(text, declared="en").lang == "cy"


def test_function_words_need_a_share_of_the_words():
    # Three English marker words in a long line of German are no evidence it is English.
    text = "Die Regierung hat am Montag the new plan vorgestellt, den sie that week with Partnern besprach."
    assert not langid.by_function_words(text, "en", langid.Settings())
    assert langid.identify(text, declared="en").lang == "de"


def test_function_words_can_be_turned_off():
    langid.cache_clear()
    settings = langid.Settings.from_options({"function_words": 0})
    before = _model_calls()
    assert langid.identify(EN_CLEAR, settings, "en").lang == "en"
    assert _model_calls() == before + 1
    with pytest.raises(ConfigError, match="must be >= 0"):
        langid.Settings.from_options({"function_words": -1})


def test_annotate_uses_the_fast_path_on_declared_targets():
    langid.cache_clear()
    before = _model_calls()
    out = langid.annotate(frame([EN_CLEAR, DE], tgt_lang="en"))
    assert list(out["target_lang"]) == ["en", "de"]
    assert out["target_lang_conf"].iloc[0] == 1.0
    assert _model_calls() - before >= 1  # DE went to the model (twice: against the prior too)
    langid.cache_clear()
    before = _model_calls()
    langid.annotate(frame([EN_CLEAR], tgt_lang="en"))
    assert _model_calls() == before
