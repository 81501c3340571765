"""FD009's encoder reads a text up to MAX_ENCODED_CHARS: a pasted document costs under a second."""

from __future__ import annotations

import pandas as pd
import pytest

import tqaudit
from tqaudit.rules.fidelity import MAX_ENCODED_CHARS, similarities

SOURCE = "Цены на сжиженный газ выросли вдвое за неделю, сообщили в министерстве энергетики."
TARGET = "Liquefied gas prices doubled in a week, the energy ministry said."


def test_a_long_text_is_read_up_to_the_limit_and_a_short_one_whole() -> None:
    long_target = (TARGET + " ") * (3 * MAX_ENCODED_CHARS // len(TARGET))
    assert len(long_target) > 2 * MAX_ENCODED_CHARS
    whole, cut, short = similarities([SOURCE] * 3, [long_target, long_target[:MAX_ENCODED_CHARS], TARGET])
    assert whole == pytest.approx(cut, abs=1e-5)  # the same text (batched: last-digit noise)
    assert short > 0.5  # a faithful translation of the source


def test_an_unrelated_pasted_document_is_still_flagged() -> None:
    pasted = "The weather will be sunny in the north tomorrow, with rain in the south. " * 20_000
    frame = pd.DataFrame(
        {"target": [pasted, TARGET], "source": [SOURCE] * 2, "src_lang": ["ru"] * 2, "tgt_lang": ["en"] * 2}
    )
    found = tqaudit.audit(frame, tqaudit.Config(select=("FD009",), fail_on="never")).findings
    assert found["segment_id"].tolist() == ["1"]
