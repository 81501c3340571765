"""Scoring options: which metrics, and the keyword arguments of each sacrebleu class.

Options are sacrebleu's constructor arguments, forwarded as keyword arguments after the
manner of sacrebleu's ``args_to_dict``: ``chrf_word_order = 2`` becomes ``CHRF(word_order=2)``.
BLEU's options may also be given without a prefix (``tokenize``, ``lowercase``,
``smooth_method``), as sacrebleu's CLI names them.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tqaudit.errors import ConfigError

# Our metric names -> sacrebleu's METRICS keys.
METRIC_CLASSES: dict[str, str] = {"bleu": "BLEU", "chrf": "CHRF", "ter": "TER"}
DEFAULT_METRICS: tuple[str, ...] = ("bleu", "chrf", "ter")
# What `audit` scores when the configuration names no metrics: TER is half the time of an
# audit with references and no rule reads it, so it runs only for `--max-ter` (or when asked).
AUDIT_METRICS: tuple[str, ...] = ("bleu", "chrf")
# sacrebleu's CLI names BLEU's options without a prefix (--tokenize, --lowercase, -s).
BLEU_ALIASES: frozenset[str] = frozenset({"tokenize", "lowercase", "smooth_method", "smooth_value", "force"})
# Constructor arguments that are ours to set, not the user's.
_RESERVED: frozenset[str] = frozenset({"references", "self"})


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
        if parsed.kwargs.get(name):  # sacrebleu's defaults always build (and importing it costs)
            make_metric(name, parsed.for_metric(name))
    return parsed


def as_options(options: ScoringOptions | Mapping[str, Any] | None) -> ScoringOptions:
    """``options`` as parsed :class:`ScoringOptions` (parsed options pass through)."""
    return options if isinstance(options, ScoringOptions) else parse_options(options)


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
