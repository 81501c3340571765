"""Whitespace helpers whose speed-ups must keep their results."""

from __future__ import annotations

import unicodedata

from tqaudit.rules import whitespace


def test_invisible_table_is_the_walk_over_every_code_point() -> None:
    """The table of the running Unicode version is exactly what the walk finds."""
    walked = "".join(chr(c) for c in range(0x110000) if whitespace._invisible(chr(c)))
    assert unicodedata.unidata_version in whitespace._INVISIBLE_RANGES
    assert whitespace.invisible_chars() == walked
    assert whitespace.invisible_chars("0.0.0") == walked  # unknown version: walked
