"""Rules: one module per category (``markup.py``, ``punctuation.py`` …), each rule a class.

``load_rules()`` imports every category module once so that their ``@register`` decorators
fill ``RULES``; the engine and ``tqaudit rules`` call it, nothing else needs to.
"""

from __future__ import annotations

import importlib
import pkgutil

from tqaudit.findings import CATEGORIES, FINDING_COLUMNS, Applicability
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import RULES, register, select_rules

_INFRASTRUCTURE = frozenset({"base", "registry", "text"})

__all__ = [
    "CATEGORIES",
    "FINDING_COLUMNS",
    "RULES",
    "Applicability",
    "Hit",
    "Rule",
    "load_rules",
    "register",
    "select_rules",
]


def load_rules() -> dict[str, type[Rule]]:
    """Import every category module (idempotent) and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _INFRASTRUCTURE and not info.ispkg:
            importlib.import_module(f"{__name__}.{info.name}")
    return RULES
