"""One runner for every rule case file in ``tests/rules/cases`` (sqlfluff's YAML tests).

A case file names its ``rule`` and lists ``[[pass]]`` cases (the rule stays silent) and
``[[fail]]`` cases (the rule fires; the first finding has the given ``start``, ``end``,
message substring and, where given, ``suggestion``). A case may set ``options`` for the rule.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tqaudit.rules import RULES, load_rules
from tqaudit.segments import normalize

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

import pandas as pd

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[2]
_FIELDS = ("source", "target", "reference", "src_lang", "tgt_lang")


def _load() -> list[tuple[str, str, int, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for kind in ("pass", "fail"):
            for i, case in enumerate(data.get(kind, [])):
                out.append((data["rule"], kind, i, case))
    return out


def _run(code: str, case: dict[str, Any]) -> list[Any]:
    load_rules()
    frame = normalize(pd.DataFrame([{k: case[k] for k in _FIELDS if k in case}]))
    options = dict(case.get("options", {}))
    if "glossary" in options:  # case files name fixtures relative to the repository root
        options["glossary"] = str(ROOT / options["glossary"])
    rule = RULES[code](options)
    return list(rule.check(frame))


@pytest.mark.parametrize(("code", "kind", "index", "case"), _load(), ids=lambda v: str(v)[:40])
def test_rule_case(code: str, kind: str, index: int, case: dict[str, Any]) -> None:
    hits = _run(code, case)
    if kind == "pass":
        assert hits == [], f"{code} pass case {index} fired: {hits}"
        return
    assert hits, f"{code} fail case {index} did not fire on {case['target']!r}"
    first = hits[0]
    assert (first.start, first.end) == (case["start"], case["end"])
    assert case["message"] in first.message
    if "suggestion" in case:
        assert first.suggestion == case["suggestion"]


def test_every_rule_has_cases() -> None:
    load_rules()
    counts: dict[str, dict[str, int]] = {}
    for code, kind, _, _ in _load():
        counts.setdefault(code, {"pass": 0, "fail": 0})[kind] += 1
    for code, rule in RULES.items():
        assert counts.get(code, {}).get("pass", 0) >= 2, f"{code} needs 2 pass cases"
        if rule.scope == "chunk":  # corpus rules need several segments: see test_engine.py
            assert counts.get(code, {}).get("fail", 0) >= 2, f"{code} needs 2 fail cases"
