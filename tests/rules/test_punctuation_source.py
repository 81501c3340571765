"""Punctuation rules that read neighbouring segments (cases with several rows)."""

from __future__ import annotations

import pandas as pd

import tqaudit


def _audit(code: str, sources: list[str], targets: list[str], docs: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "segment_id": [str(i + 1) for i in range(len(targets))],
            "doc_id": docs,
            "source": sources,
            "target": targets,
            "src_lang": ["cs"] * len(targets),
            "tgt_lang": ["en"] * len(targets),
        }
    )
    return tqaudit.audit(frame, tqaudit.Config(select=(code,), fail_on="never")).findings


def test_quotation_spanning_segments_of_one_document_is_not_flagged() -> None:
    sources = [
        "Tentokrát jsem to chtěl udělat pomalu.",
        "Nemám kam spěchat.",
        "Dostávám se do věku, řekl Goodman.",
    ]
    targets = ["“This time I wanted to take it slow.", "I'm in no hurry.", "I'm getting old,” Goodman said."]
    assert _audit("PU002", sources, targets, ["d1"] * 3).empty


def test_quotation_open_across_documents_is_flagged() -> None:
    sources = ["Tentokrát jsem to chtěl udělat pomalu.", "Dostávám se do věku, řekl Goodman."]
    targets = ["“This time I wanted to take it slow.", "I'm getting old,” Goodman said."]
    found = _audit("PU002", sources, targets, ["d1", "d2"])
    assert list(found["segment_id"]) == ["1", "2"]


def test_start_punctuation_row_filter_keeps_every_mark_and_symbol() -> None:
    """PU007 reads only rows whose first visible character may be a mark or symbol:
    the filter's ``[\\W_]`` holds every character of category P or S, and its ``\\s``
    is ``str.isspace`` (what ``lstrip`` strips)."""
    import re
    import unicodedata

    from tqaudit.rules.punctuation_source import _MAY_OPEN_WITH_MARK

    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch)[0] in "PS":
            assert _MAY_OPEN_WITH_MARK.search(ch), hex(code)
        assert ch.isspace() == bool(re.match(r"\s", ch)), hex(code)
