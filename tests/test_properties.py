"""Property-based tests (hypothesis) over arbitrary Unicode segments, sources and references.

The profile is fixed and derandomized, so CI runs the same examples every time (a failure is
reproducible; no example database is written). Each example audits a small table of
segments in one call, which keeps the whole module near twenty seconds.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tqaudit
from tqaudit import engine
from tqaudit.fix import fix_segments, fixing_rules
from tqaudit.io.writers import csv_text

settings.register_profile(
    "tqaudit",
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("tqaudit")

# Pieces that trigger rules (broken entities, doubled words and spaces, invisible and
# look-alike characters, placeholders, quotes, numbers, addresses, markup), mixed with
# arbitrary Unicode text: the examples reach the rules' interesting paths, not only their
# early exits.
PIECES = st.sampled_from(
    [
        "& mdash;",
        "&amp;",
        "  ",
        " ,",
        "the the",
        "Alma-Ata",
        "\u200b",
        "\u00a0",
        "\ufeff",
        "Мoсква",
        "%s",
        "%1$d",
        "{0}",
        "<b>",
        "</b>",
        "“",
        "''",
        "«",
        "»",
        "150",
        "1,5",
        "1.000",
        "12:30",
        "a@b.com",
        "http://x.org/a",
        "#PRS_ORG#",
        "\\n",
        "...",
        "!!",
        "?",
        "(",
        ")",
        "東京の駅",
        "。",
        "Subscribe to VK RBC",
        "Leave a Reply",
        "\n",
        "\t",
        "\r",
        "-",
        "—",
        "'",
        '"',
        " ",
        ".",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=10).map("".join)
LANG = st.sampled_from(["", "en", "ru", "de", "ja", "zh"])


@st.composite
def tables(draw: st.DrawFn, max_rows: int = 6) -> pd.DataFrame:
    n = draw(st.integers(min_value=1, max_value=max_rows))
    return pd.DataFrame(
        {
            "target": [draw(TEXT) for _ in range(n)],
            "source": [draw(TEXT) for _ in range(n)],
            "src_lang": [draw(LANG)] * n,
            "tgt_lang": [draw(LANG)] * n,
        }
    )


def _surrogate_free(frame: pd.DataFrame) -> pd.DataFrame:
    """Lone surrogates are refused at input (an InputError, tested in test_hostile.py)."""
    return frame.map(lambda s: "".join(c for c in s if not "\ud800" <= c <= "\udfff"))


@given(tables())
def test_no_rule_raises_and_offsets_lie_in_the_target(frame: pd.DataFrame) -> None:
    frame = _surrogate_free(frame)
    result = tqaudit.audit(frame, tqaudit.Config(fail_on="never"))
    targets = dict(zip(result.segments["segment_id"], result.segments["target"], strict=True))
    for row in result.findings.itertuples():
        start, end, n = int(row.start), int(row.end), len(targets[row.segment_id])
        assert (start, end) == (-1, -1) or 0 <= start <= end <= n, (row.rule, start, end, n)


@given(tables())
def test_fixed_segments_leave_nothing_to_fix(frame: pd.DataFrame) -> None:
    frame = _surrogate_free(frame)
    config = tqaudit.Config(fail_on="never")
    result = fix_segments(tqaudit.segments.normalize(frame), config)
    fixed = result.segments.copy()
    fixed["target"] = result.fixed
    left = engine.run_rules(fixed, fixing_rules(config), config)
    left = left[(left["fix"] == "safe") & (left["start"] >= 0)]
    assert left.empty, left[["segment_id", "rule", "message"]].to_dict("records")


@settings(max_examples=2)
@given(st.lists(TEXT, min_size=12, max_size=12))
def test_output_is_identical_across_jobs(texts: list[str]) -> None:
    # 12 drawn texts, each in 20 segments with its own id suffix: 240 segments in chunks of 40,
    # so that two workers really share the chunks (generating 240 texts costs minutes)
    rows = [f"{text} {i}" for i in range(20) for text in texts]
    frame = _surrogate_free(pd.DataFrame({"target": rows, "source": rows[::-1], "reference": rows}))
    runs = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "CHUNK_SIZE", 40)
        for jobs in (1, 2):
            runs.append(tqaudit.audit(frame, tqaudit.Config(fail_on="never", jobs=jobs, min_bleu=0.0)))
    assert csv_text(runs[0].findings) == csv_text(runs[1].findings)
    assert csv_text(runs[0].annotated_segments()) == csv_text(runs[1].annotated_segments())
    assert {k: s.score for k, s in runs[0].corpus_scores.items()} == {
        k: s.score for k, s in runs[1].corpus_scores.items()
    }
