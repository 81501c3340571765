"""Language identification: a language and a confidence per segment, repeatable and cached.

``Identifier(settings).annotate(targets, sources, src_langs, tgt_langs)`` returns the
language columns of a chunk as a frame of their own (``target_lang``, ``target_lang_conf``,
``source_lang``, ``source_lang_conf``), to be kept beside the segments. How a verdict is
reached is described in ``tqaudit.langid.identifier``; the models are in
``tqaudit.langid.backends``; the options in ``tqaudit.langid.settings``.

Nothing here starts processes: the engine runs chunks in its workers (``tqaudit.executor``),
each with ``identifier_for(settings)``, the worker's own identifier.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from tqaudit.langid.backends import BACKENDS, NO_VERDICT, SEED, Backend, Verdict, get_backend
from tqaudit.langid.identifier import (
    COLUMNS,
    Identifier,
    by_function_words,
    identifier_for,
    own_words,
    too_vague,
)
from tqaudit.langid.settings import OPTION_DOCS, Settings

SIGNATURE = f"langid:seed{SEED}"


def signature(settings: Settings) -> str:
    """What decides the verdicts of a run, e.g. ``langid:langdetect:seed0``."""
    return f"langid:{settings.backend}:seed{SEED}"


__all__ = [
    "BACKENDS",
    "COLUMNS",
    "NO_VERDICT",
    "OPTION_DOCS",
    "SEED",
    "SIGNATURE",
    "Backend",
    "Identifier",
    "Settings",
    "Verdict",
    "by_function_words",
    "get_backend",
    "identifier_for",
    "own_words",
    "signature",
    "too_vague",
]


# transition: rules move to tqaudit.scripts
# tqaudit/rules/language.py and language_copy.py still call these as ``langid.X``; this block,
# ``identify`` and ``annotate`` below go once the rules and the engine are rewritten.
from tqaudit.scripts import (  # noqa: E402
    NOISE,
    base_language,
    dominant_script,
    language_script,
    letter_count,
    script_of,
)

__all__ += ["NOISE", "base_language", "dominant_script", "language_script", "letter_count", "script_of"]


def identify(text: str, settings: Settings | None = None, declared: str = "") -> Verdict:
    """Transition (LG005 calls it): ``identifier_for(settings).identify(text, declared)``."""
    return identifier_for(settings or Settings()).identify(text, declared)


def annotate(segments: pd.DataFrame, options: Mapping[str, Any] | None = None, jobs: int = 1) -> pd.DataFrame:
    """Transition (``tqaudit.audit`` and the LG rules call it): a copy of ``segments`` with
    the language columns joined, from this process's ``identifier_for`` the options.

    The source columns are added only when some source is non-empty, as before. ``jobs`` is
    ignored: everything runs in this process (parallelism is the engine's). Unknown option
    keys or values raise ``ConfigError``. Deleted when the engine lands.
    """
    del jobs
    ident = identifier_for(Settings.from_options(options))

    def column(name: str) -> pd.Series | None:
        return segments[name] if name in segments.columns else None

    found = ident.annotate(segments["target"], column("source"), column("src_lang"), column("tgt_lang"))
    out = segments.copy()
    source = column("source")
    has_source = source is not None and bool(source.fillna("").astype(str).str.strip().any())
    for name in COLUMNS if has_source else COLUMNS[:2]:
        out[name] = found[name].to_numpy()
    return out
