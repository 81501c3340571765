"""The engine and library API: selection, severities, options, parallel runs, crash context."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

import tqaudit
from tqaudit.chunk import Chunk
from tqaudit.config import Config
from tqaudit.engine import run_rules
from tqaudit.errors import ConfigError, RuleError
from tqaudit.findings import excerpt
from tqaudit.rules import FINDING_COLUMNS, RULES, Hit, Rule, load_rules, select_rules
from tqaudit.segments import build_segments, normalize


def test_library_audit_on_a_dataframe() -> None:
    frame = pd.DataFrame({"target": ["Alma-Ata & mdash; ok", "fine"], "tgt_lang": ["en", "en"]})
    result = tqaudit.audit(frame)
    assert list(result.findings.columns) == list(FINDING_COLUMNS)
    assert result.findings["rule"].tolist() == ["TL001", "MK001"]
    assert result.findings["segment_id"].tolist() == ["1", "1"]
    assert not result.passed
    assert result.summary["totals"]["segments_with_findings"] == 1


def test_select_ignore_prefixes() -> None:
    load_rules()
    assert select_rules(["MK"]) == sorted(c for c in RULES if c.startswith("MK"))
    assert select_rules(["MK00"])[:2] == ["MK001", "MK002"]
    assert select_rules(["ALL"], ["MK", "PU", "WS"]) == sorted(
        c for c in RULES if not c.startswith(("MK", "PU", "WS")) and not RULES[c].preview
    )
    assert select_rules(["TL001"], [], ["BP"]) == ["BP001", "BP002", "TL001"]
    with pytest.raises(ConfigError, match="did you mean 'TL001'"):
        select_rules(["TL01"])


def test_severity_override_and_rule_options() -> None:
    frame = pd.DataFrame({"target": ["loop, loop, loop."]})
    cfg = Config(select=("RP002",), severity={"RP002": "info"}, rule_options={"RP002": {"min_repeats": 3}})
    findings = tqaudit.audit(frame, cfg).findings
    assert findings["severity"].tolist() == ["info"]
    assert tqaudit.audit(frame, Config(select=("RP002",))).findings.empty


def test_unknown_rule_option_is_refused() -> None:
    with pytest.raises(ConfigError, match="unknown option 'min_repeat' for rule RP002"):
        tqaudit.audit(pd.DataFrame({"target": ["x"]}), Config(rule_options={"RP002": {"min_repeat": 3}}))


def test_wrong_option_type_is_refused() -> None:
    with pytest.raises(ConfigError, match="must be int"):
        tqaudit.audit(pd.DataFrame({"target": ["x"]}), Config(rule_options={"RP002": {"min_repeats": "3"}}))


def test_parallel_run_equals_serial(sample_feed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tqaudit.engine as engine

    monkeypatch.setattr(engine, "CHUNK_SIZE", 3)
    serial = tqaudit.audit(sample_feed).findings
    parallel = tqaudit.audit(sample_feed, Config(jobs=2)).findings
    pd.testing.assert_frame_equal(serial, parallel)
    assert len(serial) > 5


class _Crashing(Rule):
    code = "ZZ999"
    name = "crashing"
    category = "markup"

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        raise ValueError("boom")


def test_a_crashing_rule_is_reported_with_its_code_and_segment() -> None:
    frame = tqaudit.segments.build_segments(["a", "b"], segment_id=["s1", "s2"])
    with pytest.raises(
        RuleError, match=r"rule ZZ999 crashed on the chunk starting at segment 's1': ValueError: boom"
    ):
        run_rules(frame, [_Crashing()], Config())


def test_language_restricted_rules_skip_other_targets() -> None:
    # TL001 has packs for en, de, fr and es targets, none for Japanese
    frame = pd.DataFrame({"target": ["Alma-Ata", "Alma-Ata", "Alma-Ata"], "tgt_lang": ["en", "ja", "de"]})
    findings = tqaudit.audit(frame, Config(select=("TL001",))).findings
    assert findings["segment_id"].tolist() == ["1", "3"]


def test_excerpt_keeps_spaces_and_marks_cuts() -> None:
    text = "x" * 50 + "every  five" + "y" * 50
    snippet = excerpt(text, 55, 57)
    assert "every  five" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert excerpt("one\nline", -1, -1) == "one line"


def test_corpus_rule_sees_every_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    import tqaudit.engine as engine

    monkeypatch.setattr(engine, "CHUNK_SIZE", 2)
    src = "Подписывайтесь на наш канал в Telegram"
    frame = pd.DataFrame(
        {
            "source": [src, "Другое предложение здесь и сейчас", src, src, src],
            "target": [
                "Subscribe to our channel",
                "Other",
                "Follow our channel",
                "Subscribe to our channel",
                "x",
            ],
        }
    )
    findings = tqaudit.audit(frame, Config(select=("CN001",))).findings
    # one finding for the group, on the rarest translation seen last, naming the others
    assert findings["segment_id"].tolist() == ["5"]
    assert findings["suggestion"].tolist() == ["Subscribe to our channel"]
    assert findings["message"].iloc[0].endswith("(see segments 1, 3, 4)")


def test_consistency_is_per_document() -> None:
    src = "Подписывайтесь на наш канал в Telegram"
    frame = pd.DataFrame({"doc_id": ["a", "b"], "source": [src, src], "target": ["Subscribe", "Follow us"]})
    assert tqaudit.audit(frame, Config(select=("CN001",))).findings.empty


def test_preview_rules_need_their_exact_code() -> None:
    load_rules()
    assert RULES["PU002"].preview
    assert "PU002" not in select_rules(["ALL"])
    assert "PU002" not in select_rules(["PU"])
    assert "PU002" in select_rules(["PU002"])
    assert "PU002" in select_rules(["ALL"], [], ["PU002"])


def test_length_outlier_judges_one_segment_without_a_corpus() -> None:
    src = [f"Протесты в городе номер {i} начались из-за роста цен на сжиженный газ." for i in range(60)]
    tgt = [f"Protests in city number {i} began over rising prices of liquefied gas." for i in range(60)]
    tgt[17] = "Protests began."
    frame = pd.DataFrame({"source": src, "target": tgt, "src_lang": "ru", "tgt_lang": "en"})
    findings = tqaudit.audit(frame, Config(select=("FD005",))).findings
    assert findings["segment_id"].tolist() == ["18"]
    assert "shorter than a translation of its source" in findings["message"].iloc[0]
    alone = tqaudit.audit(frame.iloc[[17]], Config(select=("FD005",))).findings
    assert len(alone) == 1  # the pair's ratio comes from the fidelity.length pack, not the input


def test_rules_read_the_annotations_they_declare() -> None:
    load_rules()
    # French declared English: the rule believes the verdict it is given, not its own eyes
    fr = "Le gouvernement a annoncé de nouvelles mesures pour soutenir les petites entreprises cet hiver."
    chunk = Chunk.from_frame(
        build_segments([fr], source=["Правительство объявило новые меры."], src_lang="ru", tgt_lang="en"),
        {"target_lang": ["en"], "target_lang_conf": [0.99], "source_lang": ["ru"]},
    )
    assert list(RULES["LG001"]().check(chunk)) == []
    # The rule trusts the annotation it is given rather than detecting again.
    chunk = dataclasses.replace(chunk, annotations={**chunk.annotations, "target_lang": ("fr",)})
    hits = list(RULES["LG001"]().check(chunk))
    assert len(hits) == 1 and "'fr'" in hits[0].message


def test_annotations_stay_beside_the_segments_and_run_only_when_declared() -> None:
    ru = "Правительство объявило о новых мерах поддержки малого бизнеса этой зимой."
    de = "Die Regierung hat neue Maßnahmen zur Unterstützung kleiner Unternehmen angekündigt."
    table = pd.DataFrame({"source": [ru], "target": [de], "reference": ["The government announced."]})
    result = tqaudit.audit(table, Config(select=("MK", "LG003")), src_lang="ru", tgt_lang="en")
    assert result.languages is None  # no selected rule reads a language verdict
    assert result.scores is not None and list(result.scores.columns) == ["bleu", "chrf"]  # TER: when asked
    assert list(result.segments.columns) == list(normalize(table).columns)
    gated = tqaudit.audit(table, Config(select=("MK",), max_ter=80.0), src_lang="ru", tgt_lang="en")
    assert gated.scores is not None and list(gated.scores.columns) == ["bleu", "chrf", "ter"]
    result = tqaudit.audit(table, Config(select=("LG001",)), src_lang="ru", tgt_lang="en")
    assert result.languages is not None and list(result.languages["target_lang"]) == ["de"]
    assert "target_lang" not in result.segments.columns
    assert list(result.findings["rule"]) == ["LG001"]
    assert "target_lang" in result.annotated_segments().columns


def test_run_signature_changes_with_options_and_severities() -> None:
    frame = pd.DataFrame({"target": ["loop, loop, loop."]})
    plain = tqaudit.audit(frame).signature
    assert tqaudit.audit(frame).signature == plain
    assert tqaudit.audit(frame, Config(rule_options={"RP002": {"min_repeats": 3}})).signature != plain
    assert tqaudit.audit(frame, Config(severity={"RP002": "info"})).signature != plain


def test_user_pack_for_another_target_language_fires(tmp_path: Path) -> None:
    pack = tmp_path / "transliteration.pl.toml"
    pack.write_text(
        '[pack]\ndescription = "Polish legacy names"\n\n[[entry]]\npattern = "Alma-Ata"\n'
        'suggestion = "Almaty"\nnote = "renamed 1993"\nsource = "test"\n',
        encoding="utf-8",
    )
    frame = pd.DataFrame({"target": ["Walki w Alma-Ata", "Battles in Alma-Ata"], "tgt_lang": ["pl", "en"]})
    findings = tqaudit.audit(frame, Config(select=("TL001",), packs=(pack,))).findings
    assert findings["segment_id"].tolist() == ["1", "2"]
    assert findings["suggestion"].tolist() == ["Almaty", "Almaty"]
    # without the user pack there is no Polish pack, so Polish targets are left alone
    findings = tqaudit.audit(frame, Config(select=("TL001",))).findings
    assert findings["segment_id"].tolist() == ["2"]


def test_patterns_see_one_segment_at_a_time() -> None:
    from tqaudit.chunk import finditer

    texts = ["first", "second one", "third"]
    starts = [(row, m.start()) for row, m in finditer(texts, re.compile(r"^\w+"))]
    assert starts == [(0, 0), (1, 0), (2, 0)]
    ends = [(row, m.group()) for row, m in finditer(texts, re.compile(r"(?<!\S)\w+$"))]
    assert ends == [(0, "first"), (1, "one"), (2, "third")]


class _EnglishOnly(Rule):
    code = "ZZ998"
    name = "english-only"
    category = "casing"
    languages = ("en",)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        return (Hit(row, 0, 1, f"seen {text}") for row, text in enumerate(chunk.targets))


def test_a_language_restricted_rule_sees_only_its_rows_and_maps_them_back() -> None:
    frame = build_segments(["a", "b", "c", "d"], segment_id=["s1", "s2", "s3", "s4"])
    frame["tgt_lang"] = ["de", "en", "", "en"]
    findings = run_rules(frame, [_EnglishOnly()], Config())
    # rows without a declared language are checked too; German is skipped
    assert findings["segment_id"].tolist() == ["s2", "s3", "s4"]
    assert findings["message"].tolist() == ["seen b", "seen c", "seen d"]
    assert findings["excerpt"].tolist() == ["b", "c", "d"]


def test_a_language_restricted_rule_reads_the_chunk_itself_when_every_row_applies() -> None:
    from tqaudit.engine import _rows_for, check

    chunk = Chunk.from_frame(build_segments(["a", "b", "c"], tgt_lang="en"))
    mixed = dataclasses.replace(chunk, tgt_langs=("en", "de", "en"))
    rule = _EnglishOnly()
    assert _rows_for(rule, chunk) is None
    assert _rows_for(rule, mixed) == [0, 2]
    rows = check([rule], chunk, Config())
    assert [(r["_pos"], r["message"]) for r in rows] == [(0, "seen a"), (1, "seen b"), (2, "seen c")]


def test_copied_source_identifies_only_the_copies() -> None:
    from tqaudit import langid

    ident = langid.identifier_for(langid.Settings())
    ident.cache_clear()
    # a copy in the target language's script (a copy in another script is LG003's, no model)
    copied = "Abonnieren Sie unseren Kanal auf Telegram und lesen Sie die Nachrichten zuerst."
    frame = pd.DataFrame(
        {
            "source": [copied, "Der Präsident hat ein Dekret unterzeichnet, das die Wahl verschiebt."],
            "target": [copied, "The president signed a decree postponing the election to next year."],
            "src_lang": "de",
            "tgt_lang": "en",
        }
    )
    result = tqaudit.audit(frame, Config(select=("LG005",)))
    assert result.languages is not None
    assert list(result.languages["target_lang"]) == ["de", ""]  # the translation was not identified
    assert list(result.languages["source_lang"]) == ["", ""]  # no selected rule reads source verdicts
    with_lg002 = tqaudit.audit(frame, Config(select=("LG002", "LG005")))
    assert with_lg002.languages is not None
    assert list(with_lg002.languages["target_lang"]) == ["de", "en"]
    # the sources' languages are declared (src_lang), so LG002 reads no source verdict ...
    assert list(with_lg002.languages["source_lang"]) == ["", ""]
    # ... until a source's language is not declared
    undeclared = tqaudit.audit(frame.assign(src_lang=["", "de"]), Config(select=("LG002", "LG005")))
    assert undeclared.languages is not None
    assert list(undeclared.languages["source_lang"]) == ["de", ""]
    # LG005 leaves a copy that LG002 reports to LG002, whichever rules run
    assert result.findings["rule"].tolist() == [] and with_lg002.findings["rule"].tolist() == ["LG002"]


def test_a_chunk_is_read_only() -> None:
    chunk = Chunk.from_frame(build_segments(["a"]), {"chrf": [12.0]})
    with pytest.raises(TypeError):
        chunk.annotations["chrf"] = (99.0,)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        chunk.targets = ("b",)  # type: ignore[misc]
    assert chunk.annotation("chrf") == (12.0,)


def test_every_rule_runs_on_chinese_and_japanese_targets() -> None:
    # wordfreq needs jieba/MeCab (not dependencies) for zh/ja/ko: LG007 crashed on an en->zh
    # target with a copied English word before the word-frequency lookups were guarded.
    frame = pd.DataFrame(
        {
            "source": ["The meeting was postponed because of the strike.", "See you in Seoul tomorrow."],
            "target": ["会议因strike推迟。", "明日ソウルでsee you。"],
            "src_lang": ["en", "en"],
            "tgt_lang": ["zh", "ja"],
        }
    )
    result = tqaudit.audit(frame, Config(fail_on="never", ignore=("LG001", "LG002")))
    assert set(result.findings["segment_id"]) <= {"1", "2"}


def test_progress_hears_every_chunk_in_order() -> None:
    import tqaudit
    from tqaudit import engine

    n = engine.CHUNK_SIZE * 2 + 7
    frame = pd.DataFrame({"target": [f"Segment number {i} & mdash; here." for i in range(n)]})
    calls: list[tuple[int, int]] = []
    result = tqaudit.audit(
        frame, tqaudit.Config(select=("MK001",)), progress=lambda d, t: calls.append((d, t))
    )
    assert calls == [(engine.CHUNK_SIZE, n), (2 * engine.CHUNK_SIZE, n), (n, n)]
    assert len(result.findings) == n


def test_fewer_collections_raises_the_young_threshold_and_restores_it() -> None:
    import gc

    import tqaudit.engine as engine

    before = gc.get_threshold()
    with pytest.raises(ValueError), engine.fewer_collections():
        assert gc.get_threshold() == (max(before[0], engine.GC_YOUNG_THRESHOLD), *before[1:])
        raise ValueError("a stage failed")
    assert gc.get_threshold() == before
