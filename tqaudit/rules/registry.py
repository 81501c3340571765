"""The rule registry: ``@register`` fills ``RULES``; selection works like ruff's.

Registration refuses a malformed code, an unknown category or severity, a duplicate code
or name, and a docstring without the required sections, so a broken rule fails at import.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from tqaudit.errors import ConfigError
from tqaudit.findings import CATEGORIES, SEVERITIES, Applicability
from tqaudit.rules.base import REQUIRED_SECTIONS, Rule

RULES: dict[str, type[Rule]] = {}
_CODE = re.compile(r"^[A-Z]{2}\d{3}$")
_NAME = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*$")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to ``RULES`` after checking its declaration."""
    code = getattr(cls, "code", "")
    where = f"rule {cls.__name__}"
    if not _CODE.match(code):
        raise TypeError(f"{where}: code {code!r} is not two capitals and three digits")
    if code in RULES:
        raise TypeError(f"{where}: duplicate code {code}")
    if not _NAME.match(getattr(cls, "name", "")):
        raise TypeError(f"{where}: name must be kebab-case")
    if any(r.name == cls.name for r in RULES.values()):
        raise TypeError(f"{where}: duplicate name {cls.name}")
    if cls.category not in CATEGORIES:
        raise TypeError(f"{where}: unknown category {cls.category!r}")
    if cls.severity not in SEVERITIES:
        raise TypeError(f"{where}: unknown severity {cls.severity!r}")
    doc = cls.__doc__ or ""
    missing = [s for s in REQUIRED_SECTIONS if s not in doc]
    if cls.fix is not Applicability.NONE and "## Fix safety" not in doc:
        missing.append("## Fix safety")
    if missing:
        raise TypeError(f"{where}: docstring lacks {', '.join(missing)}")
    undocumented = sorted(set(cls.options) - set(cls.option_docs))
    if undocumented:
        raise TypeError(f"{where}: option {undocumented[0]!r} has no entry in option_docs")
    RULES[code] = cls
    return cls


def _matches(code: str, selector: str) -> bool:
    return code.startswith(selector)


def _check_selectors(selectors: Iterable[str], flag: str) -> None:
    for sel in selectors:
        if sel == "ALL":
            continue
        if not any(_matches(code, sel) for code in RULES):
            near = difflib.get_close_matches(sel, list(RULES), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ConfigError(f"unknown rule code {sel!r} in {flag}{hint}")


def select_rules(
    select: Iterable[str] = ("ALL",),
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[str]:
    """Codes chosen by ``select`` + ``extend_select`` minus ``ignore`` (prefix matching), sorted.

    A preview rule is chosen only by its exact code.
    """
    select, ignore, extend_select = list(select), list(ignore), list(extend_select)
    _check_selectors(select, "--select")
    _check_selectors(ignore, "--ignore")
    _check_selectors(extend_select, "extend-select")
    chosen = {
        code
        for code in RULES
        for sel in select + extend_select
        if sel == code or (not RULES[code].preview and (sel == "ALL" or _matches(code, sel)))
    }
    chosen -= {code for code in chosen for sel in ignore if sel == "ALL" or _matches(code, sel)}
    return sorted(chosen)
