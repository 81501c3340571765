"""The script look-ups LG003, LG004 and LG006 share (tqaudit.rules.language_script)."""

from __future__ import annotations

from tqaudit.packs import PackSet
from tqaudit.rules.language_script import (
    ScriptKnowledge,
    char_script,
    distinct_chars,
    scripts_in,
    text_scripts,
)


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
