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
    """What decides the verdicts of a run, e.g. ``langid:langdetect:seed0`` (with a fallback
    backend for the languages the first lacks: ``langid:langdetect+fasttext:seed0``)."""
    fallback = f"+{settings.fallback}" if settings.fallback else ""
    return f"langid:{settings.backend}{fallback}:seed{SEED}"


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
