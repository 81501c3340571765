"""The row pickers of tqaudit.chunk that rules use before their slower patterns."""

from __future__ import annotations

import re

from tqaudit.chunk import finditer, rows_containing


def test_rows_containing_tests_ascii_texts_for_ascii_needles_only() -> None:
    texts = ["plain", "a “quote”", "x@@ y", "", "«", "tab\there"]
    assert rows_containing(texts, ("“", "@@", "«")) == [1, 2, 4]
    assert rows_containing(texts, ("\t",)) == [5]
    assert rows_containing(texts, ()) == []


def test_finditer_where_picks_rows_but_matches_with_the_pattern() -> None:
    texts = ["a..b", "no", "c..", "..d"]
    pattern = re.compile(r"(?<=\w)\.\.(?!\w)")
    where = re.compile(r"\.\.")
    with_where = [(row, m.span()) for row, m in finditer(texts, pattern, where)]
    assert with_where == [(row, m.span()) for row, m in finditer(texts, pattern)] == [(2, (1, 3))]
