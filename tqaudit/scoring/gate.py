"""Corpus-score thresholds (``--min-bleu``, ``--min-chrf``, ``--max-ter``).

Kept here until the gate module being written elsewhere takes it over; messages unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tqaudit.scoring.corpus import CorpusScore


def gate(
    corpus: Mapping[str, CorpusScore],
    min_bleu: float | None,
    min_chrf: float | None,
    max_ter: float | None,
) -> list[str]:
    """A message per failed threshold (an empty list means the gate passed).

    A threshold whose metric was not computed fails too: a gate that silently checks
    nothing would pass every build.
    """
    checks: Iterable[tuple[str, float | None, bool, str]] = (
        ("BLEU", min_bleu, True, "--min-bleu"),
        ("CHRF", min_chrf, True, "--min-chrf"),
        ("TER", max_ter, False, "--max-ter"),
    )
    failures: list[str] = []
    for key, limit, is_min, flag in checks:
        if limit is None:
            continue
        entry = corpus.get(key)
        if entry is None:
            failures.append(f"{flag} {limit:g} set, but {key} was not computed (no references?)")
            continue
        value = float(entry.score)
        if (value < limit) if is_min else (value > limit):
            word = "below" if is_min else "above"
            failures.append(f"corpus {entry.name or key} {value:.2f} is {word} {flag} {limit:g}")
    return failures
