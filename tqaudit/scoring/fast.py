"""Sentence chrF through fastchrf, where that equals sacrebleu exactly.

Used only under the conditions verified to equal sacrebleu (over all of WMT22): default chrF
options, one reference, and no ASCII separator characters U+001C..U+001F (Python treats them
as whitespace, Rust does not; such segments are rescored by sacrebleu). Everything else
falls back to sacrebleu's statistics.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from tqaudit.executor import Executor, run_in
from tqaudit.scoring.options import make_metric
from tqaudit.scoring.stats import Streams, slices

# chrF options under which fastchrf equals sacrebleu exactly (checked over all of WMT22).
FASTCHRF_DEFAULTS: dict[str, Any] = {
    "char_order": 6,
    "word_order": 0,
    "beta": 2,
    "lowercase": False,
    "whitespace": False,
    "eps_smoothing": False,
}
# Python's str.split() treats these as whitespace; fastchrf (Rust) does not.
FASTCHRF_UNSAFE = frozenset("\x1c\x1d\x1e\x1f")


def fast_chrf_ok(kwargs: Mapping[str, Any], refs: Streams) -> bool:
    """Whether fastchrf is exact here: default chrF options and one complete reference stream."""
    given = {**FASTCHRF_DEFAULTS, **kwargs}
    return given == FASTCHRF_DEFAULTS and len(refs) == 1 and all(r is not None for r in refs[0])


def _pin_rayon() -> None:
    """Keep fastchrf's Rust thread pool to one thread, so that the executor alone sets the cores.

    Rayon reads the variable once, when its pool first starts; a value set by the user wins.
    """
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def _fast_chrf_job(args: tuple[Sequence[str], Sequence[str]]) -> list[float]:
    _pin_rayon()
    import fastchrf

    hyps, refs = args
    rows = fastchrf.pairwise_chrf([[h] for h in hyps], [[r] for r in refs])
    return [row[0][0] for row in rows]


def chrf_fast(
    hyps: Sequence[str], refs: Sequence[str], executor: Executor | None = None
) -> list[float] | None:
    """Sentence chrF by fastchrf; unsafe segments are rescored by sacrebleu. None if absent.

    The caller checks :func:`fast_chrf_ok` first; the text is taken as given.
    """
    _pin_rayon()
    try:
        import fastchrf  # noqa: F401
    except ImportError:
        return None
    tasks = [(hyps[s], refs[s]) for s in slices(len(hyps), executor)]
    scores = [x for part in run_in(executor, _fast_chrf_job, tasks) for x in part]
    unsafe = [i for i in range(len(hyps)) if not FASTCHRF_UNSAFE.isdisjoint(hyps[i] + refs[i])]
    if unsafe:
        metric = make_metric("chrf", {})
        for i in unsafe:
            scores[i] = float(metric.sentence_score(hyps[i], [refs[i]]).score)
    return scores
