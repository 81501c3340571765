"""System comparison: one baseline against one or more candidates, with significance.

The test is sacrebleu's own ``PairedTest`` (paired bootstrap resampling by default, paired
approximate randomisation on request), so p-values and each system's mean ± 95% CI equal
``sacrebleu REF -i BASE CAND... --paired-bs`` (or ``--paired-ar``). sacrebleu reports no
interval for the *difference*; we add one, the 2.5th and 97.5th percentiles of the
candidate-minus-baseline score over bootstrap resamples drawn exactly as sacrebleu draws
them (same seed, ``SACREBLEU_SEED``, same index matrix), from statistics extracted once.

Gate: ``max_drop`` fails only on a drop that is statistically significant (p < alpha) and
larger than the given number of points. For BLEU and chrF a drop is a lower score; for TER
(an error rate) a drop in quality is a higher score.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tqaudit.errors import ConfigError, InputError
from tqaudit.executor import Executor
from tqaudit.gate import drop_failures, quality_delta
from tqaudit.scoring import (
    METRIC_CLASSES,
    ScoringOptions,
    as_options,
    clean,
    make_metric,
    parse_options,
    segment_statistics,
    sentence_scores,
)

ALPHA = 0.05
# Metrics where a higher score is worse.
COMPARISON_COLUMNS: tuple[str, ...] = (
    "candidate",
    "metric",
    "baseline",
    "score",
    "delta",
    "delta_ci_low",
    "delta_ci_high",
    "p_value",
    "significant",
    "mean",
    "ci",
    "signature",
)


@dataclass
class Comparison:
    """Per (candidate, metric) rows, and per-segment score deltas for every candidate."""

    table: pd.DataFrame
    segments: pd.DataFrame
    metrics: tuple[str, ...]
    test: str

    def drops(self, max_drop: float, alpha: float = ALPHA) -> list[str]:
        """Messages for significant drops larger than ``max_drop`` points (the CI gate)."""
        return drop_failures(self.table, max_drop, alpha)


def _seed() -> int | None:
    """sacrebleu's seed rule: ``SACREBLEU_SEED`` (default 12345); 'none' draws from the OS."""
    seed = os.environ.get("SACREBLEU_SEED", "12345")
    return None if seed.lower() == "none" else int(seed)


def _resampled(metric: Any, stats: Any, idxs: Any) -> Any:
    """The metric's corpus score on every bootstrap resample (rows of ``idxs``)."""
    import numpy as np

    return np.array([metric._compute_score_from_stats(s.sum(0)).score for s in stats[idxs]])


def _delta_ci(base_scores: Any, cand_scores: Any) -> tuple[float, float]:
    """95% percentile interval of (candidate - baseline) over the bootstrap resamples."""
    import numpy as np

    low, high = np.percentile(cand_scores - base_scores, [2.5, 97.5])
    return float(low), float(high)


def _paired_test(
    systems: list[tuple[str, list[str]]],
    refs: list[list[str | None]],
    opts: ScoringOptions,
    test: str,
    resamples: int,
) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, Any]]:
    from sacrebleu.significance import PairedTest

    metrics = {METRIC_CLASSES[m]: make_metric(m, opts.for_metric(m)) for m in opts.metrics}
    named: list[tuple[str, Sequence[str]]] = list(systems)
    test_obj = PairedTest(named, metrics, refs, test_type=test, n_samples=resamples)  # type: ignore[arg-type]
    sigs, scores = test_obj()
    return sigs, scores, test_obj.metrics


def compare_texts(
    baseline: Sequence[str],
    candidates: Mapping[str, Sequence[str]],
    refs: Sequence[Sequence[str | None]],
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    test: str = "bs",
    resamples: int = 0,
    baseline_name: str = "baseline",
    segment_ids: Sequence[str] | None = None,
    executor: Executor | None = None,
) -> Comparison:
    """Compare ``candidates`` (name -> hypotheses) with ``baseline`` on the same references.

    ``test`` is ``bs`` (paired bootstrap, default 1000 resamples) or ``ar`` (approximate
    randomisation, default 10000 trials); ``resamples=0`` takes sacrebleu's default.
    Statistics are extracted in ``executor``'s workers when one is given.
    """
    import numpy as np

    if test not in ("bs", "ar"):
        raise ConfigError(f"unknown paired test {test!r} (known: bs, ar)")
    if not candidates:
        raise InputError("compare needs at least one candidate besides the baseline")
    opts = as_options(options)
    base = [clean(h) for h in baseline]
    cands = {name: [clean(h) for h in hyps] for name, hyps in candidates.items()}
    streams = [[None if r is None else clean(r) for r in s] for s in refs]
    for name, hyps in cands.items():
        if len(hyps) != len(base):
            raise InputError(f"{name}: {len(hyps)} lines, but the baseline has {len(base)}")
    systems = [(baseline_name, base), *cands.items()]
    sigs, scores, metric_objs = _paired_test(systems, streams, opts, test, resamples)

    # Statistics once per system, for the delta interval and the segment deltas.
    stats = {n: segment_statistics(opts.metrics, opts, h, streams, executor) for n, h in systems}
    rng = np.random.default_rng(_seed())
    n_boot = resamples if (test == "bs" and resamples > 0) else 1000
    idxs = rng.choice(len(base), size=(n_boot, len(base)), replace=True)

    rows = []
    for m in opts.metrics:
        key = next(k for k in metric_objs if k.lower().startswith(m))
        metric = metric_objs[key]
        base_boot = _resampled(metric, np.array(stats[baseline_name][m], dtype="float32"), idxs)
        base_result = scores[key][0]
        for i, (name, _) in enumerate(systems[1:], start=1):
            result = scores[key][i]
            cand_stats = np.array(stats[name][m], dtype="float32")
            low, high = _delta_ci(base_boot, _resampled(metric, cand_stats, idxs))
            rows.append(
                {
                    "candidate": name,
                    "metric": m,
                    "baseline": float(base_result.score),
                    "score": float(result.score),
                    "delta": float(result.score - base_result.score),
                    "delta_ci_low": low,
                    "delta_ci_high": high,
                    "p_value": float(result.p_value),
                    "significant": bool(result.p_value < ALPHA),
                    "mean": None if result.mean is None else float(result.mean),
                    "ci": None if result.ci is None else float(result.ci),
                    "signature": sigs[key].format(),
                }
            )
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    segs = _segment_deltas(systems, streams, stats, opts, segment_ids)
    return Comparison(table, segs, opts.metrics, test)


def _segment_deltas(
    systems: list[tuple[str, list[str]]],
    refs: list[list[str | None]],
    stats: Mapping[str, Mapping[str, list[Any]]],
    opts: ScoringOptions,
    segment_ids: Sequence[str] | None,
) -> pd.DataFrame:
    """One row per (candidate, segment): texts, sentence scores and deltas, worst first."""
    (base_name, base), others = systems[0], systems[1:]
    n = len(base)
    ids = list(segment_ids) if segment_ids is not None else [str(i) for i in range(1, n + 1)]

    def scores(name: str, m: str) -> list[float]:
        return sentence_scores(m, opts, stats[name][m])

    base_scores = {m: scores(base_name, m) for m in opts.metrics}
    key = "chrf" if "chrf" in opts.metrics else opts.metrics[0]
    frames = []
    for name, hyps in others:
        frame = pd.DataFrame(
            {
                "candidate": name,
                "segment_id": ids,
                "reference": [r if r is not None else "" for r in refs[0]],
                "baseline_text": base,
                "candidate_text": hyps,
            }
        )
        for m in opts.metrics:
            cand = scores(name, m)
            frame[f"{m}_baseline"] = base_scores[m]
            frame[f"{m}_candidate"] = cand
            frame[f"{m}_delta"] = [c - b for b, c in zip(base_scores[m], cand, strict=True)]
        frame["_order"] = [quality_delta(key, d) for d in frame[f"{key}_delta"]]
        frames.append(frame.sort_values("_order", kind="mergesort"))
    out = pd.concat(frames, ignore_index=True).drop(columns="_order")
    return out


def most_changed(segments: pd.DataFrame, metric: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` most degraded and ``n`` most improved segments per candidate on ``metric``."""
    col = f"{metric}_delta"
    quality = segments[col].map(lambda d: quality_delta(metric, d))
    ordered = segments.assign(_q=quality).sort_values(["candidate", "_q"], kind="mergesort")
    groups = ordered.groupby("candidate", sort=False)
    degraded = groups.head(n)[lambda f: f["_q"] < 0].drop(columns="_q")
    improved = (
        ordered.sort_values(["candidate", "_q"], ascending=[True, False], kind="mergesort")
        .groupby("candidate", sort=False)
        .head(n)[lambda f: f["_q"] > 0]
        .drop(columns="_q")
    )
    return degraded, improved


def compare_files(
    baseline: str,
    candidates: Sequence[str],
    refs: Sequence[str],
    options: Mapping[str, Any] | None = None,
    *,
    test: str = "bs",
    resamples: int = 0,
    fmt: str | None = None,
    executor: Executor | None = None,
) -> Comparison:
    """``tqaudit compare``: read the baseline, candidates and references, then compare."""
    from tqaudit.io.readers import read_segments
    from tqaudit.scoring import check_references
    from tqaudit.segments import reference_columns

    opts = parse_options(options)
    if not candidates:
        raise InputError("compare needs at least one candidate besides the baseline")
    base = read_segments(baseline, fmt=fmt, refs=refs)
    columns = reference_columns(base)
    if not columns:
        raise InputError("no reference text to compare against (give --ref or a 'reference' column)")
    origins = {("reference" if i == 0 else f"reference_{i + 1}"): str(r) for i, r in enumerate(refs)}
    check_references(base, columns, origins)
    cands: dict[str, list[str]] = {}
    for path in candidates:
        if str(path) in cands or str(path) == str(baseline):
            raise InputError(f"{path}: given twice (each system needs its own file)")
        table = read_segments(path, fmt=fmt)
        if len(table) != len(base):
            raise InputError(f"{path}: {len(table)} segments, but {baseline} has {len(base)}")
        cands[str(path)] = list(table["target"].astype(str))
    return compare_texts(
        list(base["target"].astype(str)),
        cands,
        [list(base[c].astype(str)) for c in columns],
        opts,
        test=test,
        resamples=resamples,
        baseline_name=str(baseline),
        segment_ids=list(base["segment_id"].astype(str)),
        executor=executor,
    )
