"""FD010-FD012's shortcuts give what the full tests give: the folded words of a text, and a
candidate copied as written (found without the target's index) is present by the index."""

from __future__ import annotations

import unicodedata

import pytest

from tqaudit.rules.names import (
    _PARTS,
    CodeMissing,
    NameMissing,
    _CarriedOver,
    _folded_words,
    _shared_candidates,
    fold,
    matches_word,
)


def test_an_ascii_word_folds_to_its_lower_case() -> None:
    every = "".join(map(chr, range(128)))
    decomposed = unicodedata.normalize("NFKD", every.casefold())
    assert fold(every) == "".join(c for c in decomposed if not unicodedata.combining(c)) == every.lower()


@pytest.mark.parametrize(
    "text",
    ["Maribel Ortega met UNICEF_staff in 2023.", "“Quoted” — Straße, Jose\u0301 ½ x²", "Путин и Ortega", ""],
)
def test_folded_words_are_the_folded_parts(text: str) -> None:
    assert _folded_words(text) == frozenset(fold(p) for p in _PARTS.findall(text))


SOURCE = "Die Ärztin Maribel Ortega traf O'Brien, Lada-Konefal und Babiš bei UNICEF, am A320neo und COVID-19."
TARGETS = [
    "Doctor Maribel Ortega met O'Brien, Lada-Konefal and Babiš at UNICEF, on the A320neo and COVID-19.",
    "Ortegas O'Briens Konefalová Babišovi unicef A320neos COVID19",  # inside longer words, or changed
    "Ортега встретила Ortega's O’Brien в UNICEF-е и A320neo-Flotte",
    "MARIBEL ORTEGA x-Babiš_ COVID-19s",
]


@pytest.mark.parametrize(
    ("rule", "src", "tgt"),
    [(NameMissing(), "de", "en"), (NameMissing(), "en", "ru"), (CodeMissing(), "de", "en")],
)
def test_a_copied_candidate_is_present(rule: _CarriedOver, src: str, tgt: str) -> None:
    pair = rule._pair(src, tgt)
    assert pair is not None
    cyrillic = pair.tgt_script == "CYRILLIC"
    cands = [c for c in _shared_candidates(SOURCE, 0.5, pair.src) if c.kind == rule.wanted[0]]
    copied = 0
    for target in TARGETS:
        index = rule._index(target, pair, level=1 if cyrillic else 2)
        for cand in cands:
            if rule._copied(cand, target):
                copied += 1
                assert rule._present(cand, index, pair), (cand.text, target)
    assert copied >= len(cands)  # the test sees the shortcut taken, and not only once per name


@pytest.mark.parametrize(
    ("name", "word", "expected"),
    [
        ("babis", "babisovi", True),  # inflection
        ("kim", "kima", True),  # a short inflected name
        ("anton", "and", False),  # two letters in common are not enough
        ("foam", "for", False),
        ("merkel", "merkels", True),  # a plural
        ("schroder", "schroeder", True),  # spelling (edit similarity)
        ("dzho", "joe", True),  # a short name by its consonants
        ("andrey", "andrei", True),  # a name by its consonant skeleton
        ("", "abc", True),  # an empty name passes the short-name test (whatever its first letter)
        ("", "ab", False),
    ],
)
def test_a_name_matches_a_word_up_to_inflection_or_spelling(name: str, word: str, expected: bool) -> None:
    assert matches_word(name, {word}, 85.0) is expected


def test_a_long_source_is_checked_without_being_kept() -> None:
    """The rules' per-source caches hold their texts: a source over CACHED_CHARS is answered
    the same and not kept (as rules.base.text_cache)."""
    from tqaudit.rules.base import CACHED_CHARS

    rule = NameMissing()
    pair = rule._pair("de", "en")
    assert pair is not None
    short = "Die Ärztin Maribel Ortega traf Babiš."
    long = (short + " ") * (CACHED_CHARS // len(short) + 1)
    assert [c.text for c in rule._candidates(short, pair)] == ["Maribel", "Ortega"]
    assert {c.text for c in rule._candidates(long, pair)} == {"Maribel", "Ortega"}
    assert [key[0] for key in rule._checked] == [short]
