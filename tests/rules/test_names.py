"""FD010-FD012's shortcuts give what the full tests give: the folded words of a text, and a
candidate copied as written (found without the target's index) is present by the index."""

from __future__ import annotations

import unicodedata

import pytest

from tqaudit.rules.names import (
    _PARTS,
    CodeMissing,
    NameMissing,
    WordIndex,
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


def _matches_word_by_word(name: str, words: set[str], fuzzy: float) -> bool:
    """``matches_word`` as written before it took its tests one at a time: every test on
    each word in turn."""
    from rapidfuzz.fuzz import ratio

    from tqaudit.rules.names import _common_prefix, phonetic_key

    if name in words:
        return True
    key = phonetic_key(name)
    first, plural, n, k = name[:1], name + "s", len(name), len(key)
    for word in words:
        m = len(word)
        if word[:1] == first or not name:
            prefix = _common_prefix(name, word)
            if m >= 3 and prefix >= max(3, min(n, m) - 2):
                return True
            shorter = min(n, m)
            if prefix >= max(shorter - 1, min(3, shorter)) and max(n, m) <= 5 and m >= 3:
                return True
        if (n >= 4 and word.startswith(name)) or word == plural:
            return True
        if n >= 5 and m >= 4 and ratio(name, word) >= fuzzy:
            return True
        other = phonetic_key(word)
        if key and key == other and max(n, m) <= 4:
            return True
        shortest = min(k, len(other))
        if (k >= 2 and key == other) or (
            shortest >= 3
            and (
                (_common_prefix(key, other) >= shortest and first == word[:1])
                or (shortest >= 4 and ratio(key, other) >= fuzzy)
            )
        ):
            return True
    return False


def test_a_name_matches_the_words_that_the_word_by_word_tests_match() -> None:
    """Names and words drawn to meet every test (variants of the name: inflected, cut,
    respelt, with another first letter) and random ones; each fuzzy threshold of the rules."""
    import random

    rng = random.Random(7)
    letters = "aeiouykhzsctjgvwdrnm"

    def variant(name: str) -> str:
        cut = rng.randint(0, len(name))
        changed = name[:cut] + "".join(rng.choice(letters) for _ in range(rng.randint(0, 3)))
        changed += name[cut + rng.randint(0, 2) :]
        return changed if rng.random() < 0.8 else rng.choice(letters) + changed[1:]

    for _ in range(20_000):
        name = "".join(rng.choice(letters) for _ in range(rng.randint(0, 9)))
        words = {variant(name) for _ in range(rng.randint(0, 4))}
        words |= {
            "".join(rng.choice(letters) for _ in range(rng.randint(0, 9))) for _ in range(rng.randint(0, 3))
        }
        for fuzzy in (75.0, 80.0, 85.0):
            assert matches_word(name, words, fuzzy) is _matches_word_by_word(name, words, fuzzy), (
                name,
                words,
            )


def test_one_index_answers_every_name_as_its_words_do() -> None:
    """A target's :class:`WordIndex` builds its lookups once and serves every name asked
    about it (they were rebuilt for each name: quadratic in a long target); the answers are
    those of the word-by-word tests, and a prefix search finds what a scan finds."""
    import random

    from tqaudit.rules.names import _in_compound, phonetic_key

    rng = random.Random(11)
    letters = "aeiouykhzsctjgvwdrnm"
    for _ in range(200):
        words = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(60)}
        index = WordIndex(words)
        for _ in range(50):
            name = "".join(rng.choice(letters) for _ in range(rng.randint(0, 9)))
            for fuzzy in (75.0, 85.0):
                assert matches_word(name, index, fuzzy) is _matches_word_by_word(name, words, fuzzy), name
            assert index.has_prefix(name) is any(w.startswith(name) for w in words), name
            key = phonetic_key(name)
            inside = any(
                len(w) > len(name) and (name in w or (len(key) >= 3 and key in phonetic_key(w)))
                for w in words
            )
            assert _in_compound(name, index) is inside, name


def test_a_long_target_with_many_codes_is_indexed_once() -> None:
    """FD011 on a source and a target of 6,000 codes each (as the hostile `numbers-9k`
    pair): each code is judged by the words of the target, and the target's words get their
    consonant skeletons once, not once per code asked about."""
    from tqaudit.rules.names import phonetic_key

    source = " ".join(f"Wert {i} und Kovacs{i} AB-{i}" for i in range(3000))
    target = " ".join(f"value {i} and Smith{i} AB-{i + 1}" for i in range(3000))
    rule = CodeMissing()
    rule.prepare()
    pair = rule._pair("de", "en")
    assert pair is not None
    index = rule._index(target, pair)
    cands = rule._candidates(source, pair)
    assert len(cands) == 6000
    missing = {c.text for c in cands if not rule._present(c, index, pair)}
    # `AB-0` is present by its parts (`ab` of the other codes, `0` of `value 0`)
    assert missing == {f"Kovacs{i}" for i in range(3000)}
    phonetic_key.cache_clear()
    for i in range(50):
        matches_word(f"kovacs{i}x", index, 85.0)  # no prefix match: the skeletons are asked
    assert 0 < phonetic_key.cache_info().misses <= len(index) + 50


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
