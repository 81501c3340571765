"""BP001/BP002 internals: the look-aheads that make the phrase and separator scans fast
must not change what they match."""

from __future__ import annotations

import itertools
import re

from tqaudit.packs import PackSet, sre_parse
from tqaudit.rules import boilerplate
from tqaudit.rules.boilerplate import _anchor, _first_chars, _phrases, build_matcher, units

# The characters the separator reads, with a letter and a CJK character: every text of up to
# three of them is tried, and of four of the first ten (a quote between a full stop and a
# space before a letter needs four).
_ALPHABET = ".'\" a字。，|-\t\n!?…！】；•—”»)"


def test_first_chars_of_literals_groups_and_classes() -> None:
    assert _first_chars(list(sre_parse.parse("Leave a Reply"))) == {"L"}
    assert _first_chars(list(sre_parse.parse("(?:See|View) (?:the )?photos"))) == {"S", "V"}
    assert _first_chars(list(sre_parse.parse("[Qq]R code"))) == {"Q", "q"}
    assert _first_chars(list(sre_parse.parse("(?:ab)+c"))) == {"a"}


def test_first_chars_unknown_when_the_first_item_is_optional_or_open() -> None:
    for pattern in ("a?b", "[^a]b", r"\w+ app", "(?:x|\\d)y", "(?=a)a"):
        assert _first_chars(list(sre_parse.parse(pattern))) is None, pattern


def test_phrases_open_with_the_heads_and_still_ignore_case() -> None:
    pattern = _phrases([("Leave a Reply", True), ("Share (?:on|via) VK", True)])
    assert pattern.pattern.startswith(r"(?<!\w)(?=[LS])")
    assert [m.group() for m in pattern.finditer("LEAVE A REPLY. share via vk. cleave a reply")] == [
        "LEAVE A REPLY",
        "share via vk",
    ]
    # a phrase that may open with anything: no look-ahead, same matches
    loose = _phrases([("Leave a Reply", True), ("\\w+ app", True)])
    assert "(?=[" not in loose.pattern
    found = [m.group() for m in loose.finditer("Get the new app. Leave a reply")]
    assert found == ["new app", "Leave a reply"]


def test_english_pack_phrases_all_have_known_heads() -> None:
    matcher = build_matcher(PackSet.default().for_languages("boilerplate", "", "en"))
    assert matcher is not None
    assert all("(?=[" in pattern.pattern[:12] for pattern, _, _ in matcher.kinds)


_PLAIN_SEPARATOR = re.compile(boilerplate._SEPARATOR_BODY)  # without the look-ahead


def test_separator_look_ahead_keeps_every_match() -> None:
    for size in range(1, 5):
        for chars in itertools.product(_ALPHABET if size < 4 else _ALPHABET[:10], repeat=size):
            text = "".join(chars)
            fast = [m.span() for m in boilerplate._SEPARATOR.finditer(text)]
            assert fast == [m.span() for m in _PLAIN_SEPARATOR.finditer(text)], text


def test_units_split_at_every_kind_of_separator() -> None:
    text = "One two. Three! 四五。六 x，y | z - w\nv"
    assert [text[s:e] for s, e in units(text)] == ["One two.", "Three!", "四五。", "六 x", "y", "z", "w", "v"]


def test_rows_that_may_match_are_those_may_match_passes() -> None:
    """The literals looked for in a chunk's texts joined: the same texts as one by one,
    with a literal at a text's start or end, split over two texts, in capitals, and after
    an `İ` whose lower case is longer (the offsets of the joined text must still hold);
    texts with a literal that holds another, which is not searched for, are found by the other."""
    import random

    packs = PackSet.default()
    rng = random.Random(5)
    for lang in ("en", "de", "ru"):
        chosen = packs.for_languages("boilerplate", "", lang)
        matcher = build_matcher(chosen)
        assert matcher is not None and matcher.literals
        # every phrase's literal, also those left out of the search for holding another
        literals = sorted({a for pack in chosen for e in pack.entries if (a := _anchor(e))})
        assert set(matcher.literals) < set(literals)
        texts = ["", "İİİ", "Nothing to see here."]
        for _ in range(400):
            literal = rng.choice(literals)
            cut = rng.randrange(len(literal) + 1)
            texts += [
                literal,
                literal.upper(),
                f"İ{literal}",
                f"Some words {literal} and more",
                literal[:cut],
                literal[cut:],
                f"İİ x {literal.title()}",
            ]
        rng.shuffle(texts)
        expected = [i for i, text in enumerate(texts) if matcher.may_match(text)]
        assert matcher.may_match_rows(texts) == expected
        assert 0 < len(expected) < len(texts)


def test_a_phrase_with_a_letter_the_scan_reads_otherwise_than_its_lower_case_is_found() -> None:
    """The phrases match case-blind: `ı`, `İ`, `ſ` and the old Cyrillic `ᲀ` are read as `i`,
    `s` and `в` by them, not by ``str.lower``, in which the prefilter once looked for the
    literals and dropped these rows (it now reads the case folding, and a text with `İ` or
    `ı`, whose folding is not `i`, whole)."""
    packs = PackSet.default()
    english = build_matcher(packs.for_languages("boilerplate", "", "en"))
    russian = build_matcher(packs.for_languages("boilerplate", "", "ru"))
    assert english is not None and russian is not None
    for matcher, text in [
        (english, "Subscrıbe to our newsletter"),
        (english, "SUBSCRİBE TO OUR NEWSLETTER"),
        (english, "All rights reſerved"),
        (russian, "Все праᲀа защищены"),
    ]:
        assert matcher.matches(text), text
        assert matcher.may_match(text), text
        assert matcher.may_match_rows(["Nothing here.", text]) == [1], text
