"""Reference-based scores with sacrebleu: corpus scores with signatures, segment scores, gates.

Everything here wraps sacrebleu's own metric classes (BLEU, chrF/chrF++, TER) and never
reimplements them. Per-segment sufficient statistics are extracted once per metric and then
aggregated twice: summed for the corpus score, and one by one for the segment scores. The
numbers therefore equal ``sacrebleu REF -i HYP -m bleu chrf ter`` (corpus) and
``sacrebleu -sl`` (segments) on the same text and options, including sacrebleu's command-line
habits that its API leaves to the caller: every line is ``rstrip()``-ed, and sentence BLEU
uses ``effective_order=True``.

Options are sacrebleu's constructor arguments, forwarded as keyword arguments after the
manner of sacrebleu's ``args_to_dict``: ``chrf_word_order = 2`` becomes ``CHRF(word_order=2)``.
BLEU's options may also be given without a prefix (``tokenize``, ``lowercase``,
``smooth_method``), as sacrebleu's CLI names them.

Sentence chrF alone (no corpus score wanted) has a fast path through fastchrf, used only
where it was verified to equal sacrebleu exactly: default chrF options, one reference, and
no ASCII separator characters U+001C..U+001F (Python treats them as whitespace, Rust does
not). Everything else falls back to sacrebleu.
"""

from __future__ import annotations

import difflib
import inspect
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tqaudit.errors import ConfigError, InputError
from tqaudit.segments import reference_columns

logger = logging.getLogger("tqaudit")

# Our metric names -> sacrebleu's METRICS keys.
METRIC_CLASSES: dict[str, str] = {"bleu": "BLEU", "chrf": "CHRF", "ter": "TER"}
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter")
# sacrebleu's CLI names BLEU's options without a prefix (--tokenize, --lowercase, -s).
BLEU_ALIASES: frozenset[str] = frozenset({"tokenize", "lowercase", "smooth_method", "smooth_value", "force"})
# Constructor arguments that are ours to set, not the user's.
_RESERVED: frozenset[str] = frozenset({"references", "self"})
# chrF options under which fastchrf equals sacrebleu exactly (checked over all of WMT22).
_FASTCHRF_DEFAULTS: dict[str, Any] = {
    "char_order": 6,
    "word_order": 0,
    "beta": 2,
    "lowercase": False,
    "whitespace": False,
    "eps_smoothing": False,
}
# Python's str.split() treats these as whitespace; fastchrf (Rust) does not.
_FASTCHRF_UNSAFE = frozenset("\x1c\x1d\x1e\x1f")
# Segments per sacrebleu statistics call. Small batches keep each reference's n-gram
# counters hot in the CPU cache; measured on 12k WMT lines, chrF statistics took 3.7 s in
# batches of 1, 3.9 s in batches of 16 and 5.2 s in batches of 128.
_BATCH = 1
# Below this many segments, worker processes cost more than they save.
_MIN_PARALLEL = 200


@dataclass(frozen=True)
class ScoringOptions:
    """Which metrics to compute and the keyword arguments of each sacrebleu class."""

    metrics: tuple[str, ...] = DEFAULT_METRICS
    kwargs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def for_metric(self, name: str) -> dict[str, Any]:
        return dict(self.kwargs.get(name, {}))


def _constructor_params(name: str) -> set[str]:
    from sacrebleu.metrics import METRICS

    params = inspect.signature(METRICS[METRIC_CLASSES[name]]).parameters
    return set(params) - _RESERVED


def _route(key: str) -> tuple[str, str]:
    """``chrf_word_order`` -> ("chrf", "word_order"); ``tokenize`` -> ("bleu", "tokenize")."""
    if key in BLEU_ALIASES:
        return "bleu", key
    prefix, _, rest = key.partition("_")
    if prefix in METRIC_CLASSES and rest:
        return prefix, rest
    raise ConfigError(f"unknown scoring option {key!r}{_hint(key)}")


def _hint(key: str) -> str:
    known = ["metrics", *sorted(BLEU_ALIASES)] + [
        f"{m}_{p}" for m in METRIC_CLASSES for p in sorted(_constructor_params(m))
    ]
    near = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def parse_metrics(value: Any) -> tuple[str, ...]:
    """``"bleu,chrf"`` or ``["bleu", "chrf"]`` -> ("bleu", "chrf"), checked, duplicates dropped."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"scoring option 'metrics' must be a list of names, got {value!r}")
    names = [v.strip().lower() for v in items if v.strip()]
    for name in names:
        if name not in METRIC_CLASSES:
            raise ConfigError(f"unknown metric {name!r} (known: {', '.join(METRIC_CLASSES)})")
    if not names:
        raise ConfigError("no metric chosen (known: bleu, chrf, ter)")
    return tuple(dict.fromkeys(names))


def parse_options(options: Mapping[str, Any] | None) -> ScoringOptions:
    """Validate ``[tool.tqaudit.scoring]``-style options; unknown keys raise ``ConfigError``.

    ``None`` values mean "not given" (the CLI passes every option) and are dropped.
    """
    given = {k.replace("-", "_"): v for k, v in (options or {}).items() if v is not None}
    metrics = parse_metrics(given.pop("metrics")) if "metrics" in given else DEFAULT_METRICS
    kwargs: dict[str, dict[str, Any]] = {}
    for key, value in given.items():
        metric, param = _route(key)
        if param not in _constructor_params(metric):
            raise ConfigError(f"unknown scoring option {key!r}{_hint(key)}")
        kwargs.setdefault(metric, {})[param] = value
    parsed = ScoringOptions(metrics, kwargs)
    for name in metrics:  # fail now, with our message, not mid-run with sacrebleu's
        make_metric(name, parsed.for_metric(name))
    return parsed


def make_metric(name: str, kwargs: Mapping[str, Any], *, sentence: bool = False) -> Any:
    """The sacrebleu metric ``name`` built from ``kwargs``.

    ``sentence=True`` gives BLEU ``effective_order=True``, as ``sacrebleu -sl`` does.
    """
    from sacrebleu.metrics import METRICS

    args = dict(kwargs)
    if sentence and name == "bleu":
        args["effective_order"] = True
    try:
        return METRICS[METRIC_CLASSES[name]](**args)
    except (AssertionError, KeyError, ValueError, TypeError) as exc:
        shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
        detail = str(exc).replace("{self.smooth_method!r}", repr(args.get("smooth_method")))
        if isinstance(exc, KeyError) and name == "bleu":  # sacrebleu's tokenizer table lookup
            from sacrebleu.metrics.bleu import BLEU

            known = ", ".join(BLEU.TOKENIZERS)
            detail = f"unknown tokenizer {args.get('tokenize')!r} (known: {known})"
        raise ConfigError(f"invalid {name} options ({shown}): {detail}") from None


# --------------------------------------------------------------------------------------
# Sufficient statistics


def clean(text: str) -> str:
    """What sacrebleu's command line does to every line it reads."""
    return text.rstrip()


def _extract(metric: Any, hyps: Sequence[str], refs: Sequence[Sequence[str | None]]) -> list[Any]:
    """Per-segment statistics of ``metric`` (sacrebleu's own extraction, in small batches)."""
    out: list[Any] = []
    for i in range(0, len(hyps), _BATCH):
        out.extend(metric._extract_corpus_statistics(hyps[i : i + _BATCH], [r[i : i + _BATCH] for r in refs]))
    return out


_StatsTask = tuple[
    tuple[str, ...], Mapping[str, Mapping[str, Any]], Sequence[str], Sequence[Sequence[str | None]]
]


def _stats_job(args: _StatsTask) -> dict[str, list[Any]]:
    names, kwargs, hyps, refs = args
    return {n: _extract(make_metric(n, kwargs.get(n, {})), hyps, refs) for n in names}


def _slices(n: int, parts: int) -> list[slice]:
    step = -(-n // parts)
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def _map_jobs(func: Any, tasks: list[Any], jobs: int) -> list[Any]:
    """``map(func, tasks)`` in ``jobs`` processes, results in task order.

    Workers come from a fork server, not a plain fork: fastchrf runs a Rust thread pool,
    and a process forked after it has started deadlocks the next time it uses it.
    """
    if jobs <= 1 or len(tasks) <= 1:
        return [func(t) for t in tasks]
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        return list(pool.map(func, tasks))


def segment_statistics(
    names: Sequence[str],
    options: ScoringOptions,
    hyps: Sequence[str],
    refs: Sequence[Sequence[str | None]],
    jobs: int = 1,
) -> dict[str, list[Any]]:
    """Statistics of every metric in ``names`` for every segment, in segment order."""
    n = len(hyps)
    parts = jobs if jobs > 1 and n >= _MIN_PARALLEL else 1
    kwargs = {m: options.for_metric(m) for m in names}
    tasks = [(tuple(names), kwargs, hyps[s], [r[s] for r in refs]) for s in _slices(n, parts)]
    results = _map_jobs(_stats_job, tasks, parts)
    return {m: [row for part in results for row in part[m]] for m in names}


def _num_refs(refs: Sequence[Sequence[str | None]]) -> int:
    """sacrebleu's ``num_refs``: the count per segment, or -1 when it varies."""
    counts = {sum(r[i] is not None for r in refs) for i in range(len(refs[0]))}
    return counts.pop() if len(counts) == 1 else -1


# --------------------------------------------------------------------------------------
# Scores


@dataclass
class ScoreResult:
    """Corpus scores (with signatures) and, when asked, one row of scores per segment."""

    corpus: dict[str, dict[str, Any]]
    segments: pd.DataFrame | None = None


def _corpus_entry(metric: Any, stats: list[Any], sentence_metric: Any | None) -> dict[str, Any]:
    score = metric._aggregate_and_compute(stats)
    signature = metric.get_signature().format()
    entry = {
        "name": score.name,
        "score": float(score.score),
        "signature": signature,
        "formatted": score.format(width=1, signature=signature),
    }
    if sentence_metric is not None:
        entry["sentence_signature"] = sentence_metric.get_signature().format()
    return entry


def score_texts(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str | None]],
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    jobs: int = 1,
) -> ScoreResult:
    """Corpus scores of ``hyps`` against the reference streams ``refs``; optionally per segment.

    Statistics are extracted once per metric and serve both the corpus and the segment
    scores. A ``None`` reference means "no reference here" (sacrebleu's variable references).
    """
    opts = options if isinstance(options, ScoringOptions) else parse_options(options)
    hyps = [clean(h) for h in hyps]
    refs = [[None if r is None else clean(r) for r in stream] for stream in refs]
    if not hyps:
        raise InputError("nothing to score: no segments")
    if not refs or any(len(r) != len(hyps) for r in refs):
        counts = ", ".join(str(len(r)) for r in refs) or "none"
        raise InputError(f"{len(hyps)} hypotheses but reference counts {counts}")
    stats = segment_statistics(opts.metrics, opts, hyps, refs, jobs)
    nrefs = _num_refs(refs)
    corpus: dict[str, dict[str, Any]] = {}
    columns: dict[str, list[float]] = {}
    for name in opts.metrics:
        metric = make_metric(name, opts.for_metric(name))
        sent = make_metric(name, opts.for_metric(name), sentence=True) if sentence_level else None
        for m in (metric, sent):
            if m is not None:
                m.num_refs = nrefs
        corpus[METRIC_CLASSES[name]] = _corpus_entry(metric, stats[name], sent)
        if sent is not None:
            columns[name] = [float(sent._compute_score_from_stats(s).score) for s in stats[name]]
    frame = pd.DataFrame(columns) if sentence_level else None
    return ScoreResult(corpus, frame)


def _fast_chrf_ok(kwargs: Mapping[str, Any], refs: Sequence[Sequence[str | None]]) -> bool:
    given = {**_FASTCHRF_DEFAULTS, **kwargs}
    return given == _FASTCHRF_DEFAULTS and len(refs) == 1 and all(r is not None for r in refs[0])


def _fast_chrf_job(args: tuple[Sequence[str], Sequence[str]]) -> list[float]:
    _pin_rayon()
    import fastchrf

    hyps, refs = args
    rows = fastchrf.pairwise_chrf([[h] for h in hyps], [[r] for r in refs])
    return [row[0][0] for row in rows]


def _pin_rayon() -> None:
    """Keep fastchrf's Rust thread pool to one thread, so that ``jobs`` alone sets the cores.

    Rayon reads the variable once, when its pool first starts; a value set by the user wins.
    """
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def _chrf_fast(hyps: Sequence[str], refs: Sequence[str], jobs: int) -> list[float] | None:
    """Sentence chrF by fastchrf; unsafe segments are rescored by sacrebleu. None if absent."""
    _pin_rayon()
    try:
        import fastchrf  # noqa: F401
    except ImportError:
        return None
    n = len(hyps)
    parts = jobs if jobs > 1 and n >= _MIN_PARALLEL else 1
    tasks = [(hyps[s], refs[s]) for s in _slices(n, parts)]
    scores = [x for part in _map_jobs(_fast_chrf_job, tasks, parts) for x in part]
    unsafe = [i for i in range(n) if not _FASTCHRF_UNSAFE.isdisjoint(hyps[i] + refs[i])]
    if unsafe:
        metric = make_metric("chrf", {})
        for i in unsafe:
            scores[i] = float(metric.sentence_score(hyps[i], [refs[i]]).score)
    return scores


def segment_scores(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str | None]],
    options: ScoringOptions | Mapping[str, Any] | None = None,
    *,
    jobs: int = 1,
) -> pd.DataFrame:
    """Per-segment scores only (what ``sacrebleu -sl`` prints), one column per metric.

    The fastest route to segment scores: no corpus aggregation, and sentence chrF through
    fastchrf where that is exact. Values equal ``sacrebleu -sl`` exactly.
    """
    opts = options if isinstance(options, ScoringOptions) else parse_options(options)
    hyps = [clean(h) for h in hyps]
    refs = [[None if r is None else clean(r) for r in stream] for stream in refs]
    columns: dict[str, list[float]] = {}
    rest = list(opts.metrics)
    if "chrf" in rest and _fast_chrf_ok(opts.for_metric("chrf"), refs):
        fast = _chrf_fast(hyps, [r or "" for r in refs[0]], jobs)
        if fast is not None:
            columns["chrf"] = fast
            rest.remove("chrf")
    stats = segment_statistics(rest, opts, hyps, refs, jobs) if rest else {}
    for name in rest:
        sent = make_metric(name, opts.for_metric(name), sentence=True)
        columns[name] = [float(sent._compute_score_from_stats(s).score) for s in stats[name]]
    return pd.DataFrame({m: columns[m] for m in opts.metrics})


# --------------------------------------------------------------------------------------
# The segments table


def check_references(
    segments: pd.DataFrame, columns: Sequence[str], origins: Mapping[str, str] | None = None
) -> None:
    """Refuse empty reference text: sacrebleu would score against it silently.

    ``origins`` maps a reference column to the file it came from, so that the message can
    name the file and line (a plain-text file's row i is its line i + 1).
    """
    for col in columns:
        blank = [i for i, t in enumerate(segments[col].astype(str)) if not t.strip()]
        if blank:
            pos = blank[0]
            if origins and col in origins:
                raise InputError(f"{origins[col]}:{pos + 1}: empty reference line")
            sid = segments["segment_id"].iloc[pos]
            raise InputError(f"segment {sid!r}: empty reference in column {col!r}")


def _streams(segments: pd.DataFrame, columns: Sequence[str]) -> list[list[str | None]]:
    return [list(segments[c].astype(str)) for c in columns]


def annotate(
    segments: pd.DataFrame, options: Mapping[str, Any] | None = None, jobs: int = 1
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Add per-segment ``bleu``, ``chrf``, ``ter`` columns and return the corpus scores.

    Without reference text the table is returned unchanged with ``{}``. The corpus dict is
    keyed by sacrebleu's metric names (``BLEU``, ``CHRF``, ``TER``); each entry holds
    ``name`` (e.g. ``chrF2++``), ``score``, ``signature``, ``formatted`` (sacrebleu's own
    score line) and ``sentence_signature`` (BLEU's differs: ``eff:yes``).
    """
    opts = parse_options(options)
    columns = reference_columns(segments)
    if not columns:
        return segments, {}
    check_references(segments, columns)
    result = score_texts(
        segments["target"].astype(str).tolist(),
        _streams(segments, columns),
        opts,
        sentence_level=True,
        jobs=jobs,
    )
    out = segments.copy()
    scores = result.segments if result.segments is not None else pd.DataFrame()
    for name in opts.metrics:
        out[name] = scores[name].to_numpy()
    return out, result.corpus


def score_segments(
    segments: pd.DataFrame,
    options: Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    corpus: bool = True,
    jobs: int = 1,
    origins: Mapping[str, str] | None = None,
) -> ScoreResult:
    """``tqaudit score`` on a segments table: corpus scores, and segment rows when asked.

    The segment rows carry ``segment_id`` and one column per metric. ``corpus=False``
    with ``sentence_level=True`` is ``sacrebleu -sl``: segment scores only, by the fastest
    route (:func:`segment_scores`).
    """
    opts = parse_options(options)
    columns = reference_columns(segments)
    if not columns:
        raise InputError("no reference text to score against (give --ref or a 'reference' column)")
    check_references(segments, columns, origins)
    if sentence_level and not corpus:
        hyps = segments["target"].astype(str).tolist()
        rows = segment_scores(hyps, _streams(segments, columns), opts, jobs=jobs)
        rows.insert(0, "segment_id", segments["segment_id"].to_numpy())
        return ScoreResult({}, rows)
    result = score_texts(
        segments["target"].astype(str).tolist(),
        _streams(segments, columns),
        opts,
        sentence_level=sentence_level,
        jobs=jobs,
    )
    if result.segments is not None:
        result.segments.insert(0, "segment_id", segments["segment_id"].to_numpy())
    return result


def score_file(
    hyp: str,
    refs: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    *,
    sentence_level: bool = False,
    corpus: bool = True,
    jobs: int = 1,
    fmt: str | None = None,
) -> ScoreResult:
    """Read ``hyp`` (plain text or a table) with line-aligned ``refs`` files and score it.

    A byte-order mark is kept as text, as sacrebleu's command line keeps it, so that the
    numbers stay equal to sacrebleu's on such files (the audit reader drops it).
    """
    from tqaudit.io.readers import read_segments

    parse_options(options)  # a bad option is reported before any file is read
    segments = read_segments(hyp, fmt=fmt, refs=refs, keep_bom=True)
    origins = {("reference" if i == 0 else f"reference_{i + 1}"): str(r) for i, r in enumerate(refs)}
    return score_segments(
        segments, options, sentence_level=sentence_level, corpus=corpus, jobs=jobs, origins=origins
    )


# --------------------------------------------------------------------------------------
# Gates


def gate(
    corpus: Mapping[str, Any],
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
        value = float(entry["score"])
        if (value < limit) if is_min else (value > limit):
            word = "below" if is_min else "above"
            failures.append(f"corpus {entry.get('name', key)} {value:.2f} is {word} {flag} {limit:g}")
    return failures
