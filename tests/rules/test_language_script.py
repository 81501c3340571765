"""The script look-ups LG003, LG004 and LG006 share (tqaudit.rules.language_script), and
their long-text paths: counted per distinct character, equal to the letter scan."""

from __future__ import annotations

import random

import pandas as pd

import tqaudit
from tqaudit.packs import PackSet
from tqaudit.rules.language_script import (
    MASK,
    ScriptKnowledge,
    char_script,
    distinct_chars,
    mask_spans,
    masker,
    scripts_in,
    text_scripts,
)
from tqaudit.scripts import CJK, CJK_WEIGHT


def test_present_scripts_read_from_the_shared_character_sets_are_each_texts_own() -> None:
    """The distinct characters are made once per text and shared by the rules: what each
    asks gets the scripts of that text's letters alone (symbols of the pack left out),
    the same on the second asking as on the first, whatever was asked in between."""
    know = ScriptKnowledge.from_pack(PackSet.default().get("language.scripts"))
    texts = [
        "Привет, мир",
        "東京タワー is tall",
        "μ-meson and Ω",
        "plain ascii",
        "",
        "Ελληνικά και English",
        "Привет, мир",
        "中丨文 and µ",
        "丨",
    ]
    for _ in range(2):
        for text in texts:
            letters = {c for c in text if not (c.isascii() and not c.isalpha())} - know.not_letters
            expected = {char_script(c) for c in letters} - {""}
            if text.isascii():
                expected = {"LATIN"} if any(c.isalpha() for c in text) else set()
            assert know.present(text) == expected, text
            assert scripts_in(distinct_chars(text)) == {char_script(c) for c in set(text)} - {""}
            assert text_scripts(text) == {char_script(c) for c in set(text)} - {""}
    assert distinct_chars("abca") == frozenset("abc")


def test_text_cache_keeps_short_texts_and_computes_long_ones_each_time() -> None:
    """The per-text caches of the rules hold their texts: a long one is answered the same
    without being kept."""
    from tqaudit.rules.base import CACHED_CHARS, text_cache

    calls: list[str] = []

    @text_cache(8)
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    short, long = "Привет", "x" * (CACHED_CHARS + 1)
    assert [length(short), length(short), length(long), length(long)] == [6, 6, len(long), len(long)]
    assert calls == [short, long, long]
    text = "Привет, мир! Hello. " * 1_000
    assert distinct_chars(text) == frozenset(text)
    assert text_scripts(text) == {"CYRILLIC", "LATIN"}


def test_text_cache_keys_on_the_parameters_after_the_text() -> None:
    """A function of a text and parameters (FD010-FD012's candidates of a source in a
    language) is cached per text and parameters, and a long text is still not kept."""
    from tqaudit.rules.base import CACHED_CHARS, text_cache

    calls: list[tuple[str, str]] = []

    @text_cache(8)
    def tagged(text: str, tag: str) -> str:
        calls.append((text, tag))
        return f"{tag}:{len(text)}"

    long = "x" * (CACHED_CHARS + 1)
    asked = [("ab", "de"), ("ab", "cs"), ("ab", "de"), (long, "de"), (long, "de")]
    assert [tagged(text, tag) for text, tag in asked] == ["de:2", "cs:2", "de:2", *[f"de:{len(long)}"] * 2]
    assert calls == [("ab", "de"), ("ab", "cs"), (long, "de"), (long, "de")]


def _letter_counts(know: ScriptKnowledge, text: str) -> dict[str, int]:
    """The letters outside masked spans, one by one, per script (Han, kana, hangul weigh 3)."""
    counts: dict[str, int] = {}
    for _, script in know.letters(text, masker(text)):
        counts[script] = counts.get(script, 0) + (CJK_WEIGHT if script in CJK else 1)
    return counts


def test_weighted_outside_masked_spans_is_the_letter_by_letter_count() -> None:
    know = ScriptKnowledge.from_pack(PackSet.default().get("language.scripts"))
    pieces = [
        "Москва",
        "Пaриж",
        "東京",
        "ひらがな",
        "한국",
        "Αθήνα",
        "sushi",
        " ",
        ", ",
        "12",
        "—",
        "https://пример.рф/путь",
        "@handle",
        "user@mail.ru",
        "www.site.com",
        "r/python",
        "\u00a0",
    ]
    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert know.weighted(text, unmasked=True) == _letter_counts(know, text), text
        assert list(know.weighted(text, unmasked=True)) == list(_letter_counts(know, text)), text


def test_mask_spans_skip_only_texts_without_a_span() -> None:
    """The tests in C that set texts aside never set aside a text the pattern matches: on
    random texts of the characters each alternative turns on, and on the pieces above."""
    rng = random.Random(5)
    alphabet = "a@. x-é中#1/:whrAЖ_"
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert mask_spans(text) == [m.span() for m in MASK.finditer(text)], text
    for text in ("https://пример.рф/путь", "r/python", "www.Ёлка", "mapy.cz", "#TAG#", "a@b.c", "Пример.Рф"):
        assert mask_spans(text) == [m.span() for m in MASK.finditer(text)], text


def test_a_long_mixed_text_gives_the_findings_of_its_short_copy() -> None:
    """LG004 and LG006 judge each distinct word once per text: a text repeated gives its
    findings once per copy, at the copy's offsets."""
    short = "Мoсква и Пaриж, приvет и sushiカbar. "
    frame = pd.DataFrame(
        {
            "target": [short, short * 50],
            "source": ["Moscow and Paris."] * 2,
            "src_lang": ["en"] * 2,
            "tgt_lang": ["ru"] * 2,
        }
    )
    found = tqaudit.audit(frame, tqaudit.Config(select=("LG004", "LG006"), fail_on="never")).findings
    one = found[found["segment_id"] == "1"]
    many = found[found["segment_id"] == "2"]
    assert len(one) >= 3 and len(many) == 50 * len(one)
    first = many.sort_values("start").head(len(one))
    assert sorted(zip(one["rule"], one["start"], one["message"], strict=True)) == sorted(
        zip(first["rule"], first["start"], first["message"], strict=True)
    )


def test_lg004_finds_the_source_runs_with_their_neighbours_as_the_word_scan_did() -> None:
    from tqaudit.rules.language import _RUN_IN_PLACE, _WORD

    rng = random.Random(1)
    pieces = ["Мoсква", "a", "1", "_", " ", ", ", "é", "東京", "x2y", "—", "\n", "ß"]
    for _ in range(3000):
        src = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        scan = {
            src[m.start() - 1 : m.end() + 1]
            for m in _WORD.finditer(src)
            if m.start() > 0 and m.end() < len(src)
        }
        assert set(_RUN_IN_PLACE.findall(src)) == scan, src
