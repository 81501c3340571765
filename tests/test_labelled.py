"""The project's own labelled set (``tests/labelled/``): recall per category and clean flags.

617 segments written for the project in 12 language pairs: clean translations with near
misses, and translations with one planted error each, labelled with its category
(``boilerplate.tsv``: site chrome added by MT, near misses and faithful chrome across pairs;
``names.tsv``: legacy and current place names with historical near misses). The floors
below are what the rules reach today (``python benchmarks/labelled.py`` prints the table and
the misses); a change that loses recall or flags good text fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import labelled

# Per-category recall floors (detected with a warning or error of the labelled category).
FLOORS = {
    "boilerplate": 0.95,
    "calque": 0.95,
    "casing": 0.95,
    "fidelity": 0.75,
    "language": 0.75,
    "markup": 0.95,
    "punctuation": 0.85,
    "repetition": 0.95,
    "transliteration": 0.95,
    "whitespace": 0.9,
}


@pytest.fixture(scope="module")
def outcome() -> labelled.Outcome:
    return labelled.evaluate(labelled.read_labelled())


def test_labelled_set_is_the_promised_size() -> None:
    cases = labelled.read_labelled()
    pairs = set(zip(cases["src_lang"], cases["tgt_lang"], strict=True))
    assert len(cases) >= 400 and len(pairs) >= 6
    assert (cases["expect"] == "").sum() >= len(cases) / 3
    assert cases["id"].is_unique


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_recall_per_category(outcome: labelled.Outcome, category: str) -> None:
    assert outcome.recall(category) >= FLOORS[category], (category, outcome.missed_ids)


def test_overall_recall(outcome: labelled.Outcome) -> None:
    assert outcome.recall() >= 0.9


def test_clean_segments_rarely_flagged(outcome: labelled.Outcome) -> None:
    # at most 2% of the clean segments and near misses get a warning or error
    assert outcome.clean_rate <= 0.02, outcome.flagged_ids
