"""LG007's row filter (tqaudit.rules.language_words): what lets it skip splitting a target."""

from __future__ import annotations

import sys

from tqaudit.rules.language_words import _TITLECASE, _may_have_candidates


def test_titlecase_letters_are_the_only_non_capitals_that_lower_case_changes() -> None:
    # the filter looks for a candidate as written; that holds for every word without
    # capitals whose lower case is itself, which this Python's Unicode tables decide
    changed = {c for c in map(chr, range(sys.maxunicode + 1)) if c.lower() != c and not c.isupper()}
    matched = {c for c in map(chr, range(sys.maxunicode + 1)) if _TITLECASE.fullmatch(c)}
    assert matched == changed


def _every_word(word: str) -> str:
    """Every word foreign: the filter then keeps what it kept before it judged words."""
    return "frequent"


def test_a_source_word_written_in_lower_case_keeps_the_row() -> None:
    texts = ["Der Ausschuss hat die Resolution approved.", "Der Ausschuss hat sie angenommen."]
    assert _may_have_candidates(texts, ("approved", "committee"), _every_word) == {0}


def test_a_source_word_only_capitalised_or_too_short_drops_the_row() -> None:
    # (the long words are the source's, lower case: `Biden` in the target is a name)
    assert _may_have_candidates(["Biden sagte es."], ("biden",), _every_word) == set()
    assert _may_have_candidates(["Er kam gestern."], ("yesterday", "came"), _every_word) == set()


def test_a_source_word_not_foreign_drops_the_row() -> None:
    # `hotel` is a German word too, and `pro` stands only inside `problem`: neither is judged
    # foreign, so the target is not split; `approved` is, and keeps its row
    judged = {"hotel": "", "pro": "", "approved": "frequent"}
    texts = ["Das Hotel hat ein hotel problem.", "Das hotel ist approved.", "Es ist approved."]
    assert _may_have_candidates(texts, ("hotel", "pro", "approved"), judged.__getitem__) == {1, 2}


def test_a_titlecase_letter_keeps_the_row() -> None:
    texts = ["Rekao je ǅamija.", "Rekao je džamija.", "Rekao je."]
    assert _may_have_candidates(texts, ("džamija",), lambda word: "") == {0}


def test_a_sentence_start_is_found_without_copying_the_text_before_it() -> None:
    from tqaudit.rules.language_words import _SENTENCE_END, initial

    text = "Yes.  Then\tword; (Big) “Quote” end\n\nNext a\u2003Name"
    for start in range(len(text) + 1):
        before = text[:start].rstrip()  # what `initial` is defined to see
        assert initial(text, start) == (not before or before[-1] in _SENTENCE_END), start
