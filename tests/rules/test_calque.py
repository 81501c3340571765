"""CQ001's pack compilation: dash variants, forms and source conditions (tqaudit.rules.calque)."""

from __future__ import annotations

import itertools

import pytest

from tqaudit.errors import ConfigError
from tqaudit.packs import PackSet
from tqaudit.rules.calque import build_table, calque_hits, phrase_key

ENTRIES = [
    {"pattern": "countries-parties to", "suggestion": "signatories to", "note": "", "source": ""},
    {
        "pattern": "recalled",
        "forms": ["recalls"],
        "source_pattern": "напомн",
        "suggestion": "said",
        "note": "",
        "source": "",
    },
]


def _found(source: str, target: str) -> list[tuple[str, str | None]]:
    table = build_table([("calque.test", ENTRIES)])
    return [(target[h.start : h.end], h.suggestion) for h in calque_hits(table, [source], [target])]


@pytest.mark.parametrize(
    "target",
    [
        "The countries-parties to the treaty met.",
        "The countries – parties to the treaty met.",
        "The countries — parties to the treaty met.",
        "The countries -parties to the treaty met.",
        "The countries\u2011parties to the treaty met.",
        "The COUNTRIES-PARTIES  TO the treaty met.",
    ],
)
def test_dash_and_space_variants_match_one_entry(target: str) -> None:
    assert [s for _, s in _found("", target)] == ["signatories to"]


def test_a_word_run_on_is_no_match() -> None:
    assert _found("", "The countries-partiesto the treaty met.") == []


@pytest.mark.parametrize(
    ("target", "found"),
    [
        ("«Countries-parties to the treaty» met.", ["Countries-parties to"]),
        ("The treaty—countries-parties to it—met.", ["countries-parties to"]),
        ("The treaty’countries-parties to it met.", ["countries-parties to"]),
        ("The subcountries-parties to the treaty met.", []),
        ("The ßcountries-parties to the treaty met.", []),
    ],
)
def test_a_phrase_opens_at_a_word_start(target: str, found: list[str]) -> None:
    # the rows worth scanning are picked by the phrases at word starts of the canonical form
    assert [text for text, _ in _found("", target)] == found


def test_source_condition_per_segment() -> None:
    table = build_table([("calque.test", ENTRIES)])
    sources = ["Он напомнил о договоре.", "Посол был отозван.", ""]
    targets = ["He recalled the treaty.", "The ambassador was recalled.", "He recalls the treaty."]
    hits = list(calque_hits(table, sources, targets))
    assert [(h.row, h.suggestion) for h in hits] == [(0, "said")]


def test_forms_share_the_entry() -> None:
    assert _found("Она напомнила о нём.", "She recalls it.") == [("recalls", "said")]


def test_phrase_key_unifies_dashes_apostrophes_and_case() -> None:
    assert phrase_key("People’s  Deputy") == phrase_key("people's deputy")
    assert phrase_key("press — service") == phrase_key("Press-Service") == "press-service"


def test_bad_source_pattern_is_a_config_error() -> None:
    bad = [{"pattern": "x y", "source_pattern": "(unclosed", "suggestion": "", "note": "", "source": ""}]
    with pytest.raises(ConfigError, match=r"calque\.bad entry 0: bad source_pattern"):
        build_table([("calque.bad", bad)])


def test_every_shipped_calque_pack_compiles_with_notes_and_sources() -> None:
    packs = PackSet()
    names = [n for n in packs.names() if n.startswith("calque.")]
    assert {
        "calque.ru-en",
        "calque.de-en",
        "calque.zh-en",
        "calque.ja-en",
        "calque.en-ru",
        "calque.en-de",
    } <= set(names)
    for name in names:
        pack = packs.get(name)
        assert pack is not None
        table = build_table([(name, pack.entries)])
        assert len(table.entries) >= len(pack.entries), name
        assert all(e["note"] and e["source"] for e in pack.entries), name


def test_anchor_prefilter_keeps_every_candidate_row() -> None:
    """The rows set aside by the anchors of the phrases (looked for in the case-folded texts
    joined) are rows without a phrase: every shipped pack's phrases, written with other
    dashes, spaces, apostrophes and case, cut in two, and inside other words, give the same
    candidates with the prefilter as without it."""
    import dataclasses
    import random

    packs = PackSet.default()
    rng = random.Random(8)
    dashes = ["-", " - ", "\u2013", " \u2014 ", "\u2011"]
    for src, tgt in (("ru", "en"), ("de", "en"), ("zh", "en"), ("en", "de"), ("en", "ru")):
        table = build_table((p.name, p.entries) for p in packs.for_languages("calque", src, tgt))
        assert table.anchors, (src, tgt)
        phrases = sorted(table.entries)
        texts = ["", "Nothing to see here.", "ẞ İ ǅ"]
        for _ in range(300):
            phrase = rng.choice(phrases)
            written = phrase.replace("-", rng.choice(dashes)).replace("'", rng.choice("'\u2019\u02bc"))
            written = written.replace(" ", rng.choice([" ", "  ", "\u00a0", "\n"]))
            cut = rng.randrange(len(written) + 1)
            texts += [
                written,
                written.upper(),
                written.title(),
                f"Some words {written}, and more",
                f"x{written}y",
                written[:cut],
                written[cut:],
            ]
        rng.shuffle(texts)
        unfiltered = dataclasses.replace(table, anchors=None)
        expected = list(unfiltered.candidates(texts))
        assert list(table.candidates(texts)) == expected
        assert 0 < len(expected) < len(texts)


def test_scanned_whole_holds_every_character_the_scan_reads_unlike_its_folding() -> None:
    """The rows and phrases are picked on case-folded texts, the scan is case-blind: a
    character whose folding moves a word start (a mark that folds to a letter) or differs
    from that of a character the scan takes for it must make its text scanned whole. The
    scan's classes of characters are those of the regex engine (same simple lower case, or
    listed as equivalent in ``re._casefix``), read here for every code point."""
    import _sre
    import re
    import sys
    from collections import defaultdict
    from re import _casefix

    from tqaudit.rules.base import FOLDS_UNLIKE_ITS_CASE
    from tqaudit.rules.calque import _SCANNED_WHOLE

    word = re.compile(r"\w")
    moves_start = [
        c for c in map(chr, range(sys.maxunicode + 1)) if not word.match(c) and word.search(c.casefold())
    ]
    assert moves_start and all(c in _SCANNED_WHOLE for c in moves_start)
    classes: dict[int, set[int]] = defaultdict(set)
    for code in range(sys.maxunicode + 1):
        classes[_sre.unicode_tolower(code)].add(code)
    unlike: set[str] = set()
    for low, codes in classes.items():
        alike = set(codes).union(*(classes[extra] for extra in _casefix._EXTRA_CASES.get(low, ())))
        for a, b in itertools.combinations(sorted(map(chr, alike)), 2):
            if a.casefold() != b.casefold():
                unlike.update((a, b))
                assert re.fullmatch(re.escape(a), b, re.IGNORECASE)  # the engine does take one for the other
                assert a in _SCANNED_WHOLE or b in _SCANNED_WHOLE, (a, b)
    # the shared list (BP001 reads it too) is exactly the non-ASCII ones: `İ`, `ı` (with `I`, `i`)
    assert sorted(c for c in unlike if not c.isascii()) == sorted(FOLDS_UNLIKE_ITS_CASE)


@pytest.mark.parametrize(
    ("target", "found"),
    [
        ("They met wİth the aim of peace.", "wİth the aim of"),
        ("They met WİTH THE AİM OF peace.", "WİTH THE AİM OF"),
        ("They met wıth the aım of peace.", "wıth the aım of"),
        ("The \u0345countries-parties to it met.", "countries-parties to"),  # a word start for the scan
    ],
)
def test_a_phrase_the_scan_reads_otherwise_than_its_folding_is_found(target: str, found: str) -> None:
    """Texts with `İ`, `ı` or U+0345 are scanned for every phrase: their canonical form
    misses the phrase (`wi̇th`, `ιcountries`); each hit keeps its entry's suggestion."""
    table = build_table([("calque.test", [*ENTRIES, {"pattern": "with the aim of", "suggestion": "to"}])])
    hits = list(calque_hits(table, [""], [target]))
    assert [target[h.start : h.end] for h in hits] == [found]
    assert hits[0].suggestion in ("to", "signatories to")


def test_at_word_start_reads_a_word_start_as_the_regex_engine_does() -> None:
    """The candidate rows' test that a phrase stands at a word start of the canonical form
    (once a prefix tree after ``\\b``) agrees with ``\\b`` on every kind of character before it."""
    import re

    from tqaudit.rules.calque import _at_word_start

    befores = ["", " ", "-", "'", "x", "_", "9", "é", "ß", "\u0301", "\u0345", "’", "«", "中"]
    for phrase in ("per day", "in the framework of", "é"):
        for before, after in itertools.product(befores, repeat=2):
            for text in (f"{before}{phrase}", f"{before}{phrase} {after}{phrase}", f"{before}{phrase[:-1]}"):
                expected = re.search(r"\b" + re.escape(phrase), text) is not None
                assert _at_word_start(text, phrase) == expected, (text, phrase)
