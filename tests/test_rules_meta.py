"""Every registered rule is declared and documented as the registry promises (sqlfluff/ruff meta-tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tqaudit.packs import PackSet
from tqaudit.rules import CATEGORIES, RULES, Applicability, Rule, load_rules, register

load_rules()
CASES = Path(__file__).parent / "rules" / "cases"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_declaration_and_docs(code: str) -> None:
    rule = RULES[code]
    assert re.fullmatch(r"[A-Z]{2}\d{3}", code)
    assert rule.category in CATEGORIES
    assert len(rule.summary()) < 80, rule.summary()
    doc = rule.documentation()
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Known problems"):
        assert section in doc, f"{code} lacks {section}"
    if rule.fix is not Applicability.NONE:
        assert "## Fix safety" in doc
    assert (CASES / f"{code}.toml").is_file(), f"{code} has no case file"


def test_codes_have_one_prefix_per_category() -> None:
    prefixes: dict[str, set[str]] = {}
    for code, rule in RULES.items():
        prefixes.setdefault(rule.category, set()).add(code[:2])
    assert all(len(p) == 1 for p in prefixes.values()), prefixes


def test_registry_refuses_malformed_rules() -> None:
    class BadCode(Rule):
        """Bad.

        ## What it does
        ## Why is this bad?
        ## Example
        """

        code = "M001"
        name = "bad-code"
        category = "markup"

    with pytest.raises(TypeError, match="not two capitals"):
        register(BadCode)

    class NoDocs(Rule):
        """Only a summary."""

        code = "MK999"
        name = "no-docs"
        category = "markup"

    with pytest.raises(TypeError, match="lacks ## What it does"):
        register(NoDocs)
    assert "MK999" not in RULES


def test_every_builtin_pack_is_valid_and_sourced() -> None:
    packs = PackSet.default()
    assert packs.names()
    for name in packs.names():
        pack = packs.get(name)
        assert pack is not None, name
        # a pack holds sourced entries, or (a convention table) says in its header where it is from
        assert pack.entries or pack.header.get("source"), name
        assert all(e["source"] for e in pack.entries), name


def test_readme_lists_every_rule() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for code, rule in RULES.items():
        assert f"| {code} | {rule.name}" in readme, f"README's rule table lacks {code}"
