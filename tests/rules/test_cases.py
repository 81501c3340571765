"""One runner for every rule case file in ``tests/rules/cases`` (sqlfluff's YAML tests).

A case file names its ``rule`` and lists ``[[pass]]`` cases (the rule stays silent) and
``[[fail]]`` cases. A fail case describes its one finding with ``start``, ``end``, a
``message`` substring and, where the rule suggests something, ``suggestion``; a case with
several findings lists every one under ``hits``. A fail case whose finding carries an edit
states the text after fixing as ``fixed`` (sqlfluff's ``fix_str``). A case may set
``options`` for the rule and name a ``glossary`` file. A corpus rule's case lists several
segments under ``segments`` (each with the fields of a one-segment case, and ``doc_id``);
its hits then name their ``segment`` (the 1-based row).

Cases run through the engine, as an audit does, so language filters, annotations,
severities and excerpts are exercised; fixing runs through ``tqaudit.fix`` and must be
idempotent.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import tqaudit
from tqaudit.config import Config
from tqaudit.findings import Applicability
from tqaudit.fix import fix_segments
from tqaudit.rules import RULES, load_rules
from tqaudit.segments import normalize

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[2]
_FIELDS = ("source", "target", "reference", "src_lang", "tgt_lang", "doc_id", "alignment")


def _load() -> list[tuple[str, str, int, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        for kind in ("pass", "fail"):
            for i, case in enumerate(data.get(kind, [])):
                out.append((data["rule"], kind, i, case))
    return out


def _config(code: str, case: dict[str, Any]) -> Config:
    options = dict(case.get("options", {}))
    # case files name a glossary relative to the repository root
    glossary = (ROOT / case["glossary"],) if "glossary" in case else ()
    return Config(
        select=(code,), rule_options={code: options} if options else {}, glossary=glossary, fail_on="never"
    )


def _segments(case: dict[str, Any]) -> pd.DataFrame:
    rows = case.get("segments", [case])
    return normalize(pd.DataFrame([{k: row[k] for k in _FIELDS if k in row} for row in rows]))


def _expected(case: dict[str, Any]) -> list[dict[str, Any]]:
    if "hits" in case:
        return list(case["hits"])
    return [{k: case[k] for k in ("start", "end", "message", "suggestion", "segment") if k in case}]


@pytest.mark.parametrize(("code", "kind", "index", "case"), _load(), ids=lambda v: str(v)[:40])
def test_rule_case(code: str, kind: str, index: int, case: dict[str, Any]) -> None:
    load_rules()
    config = _config(code, case)
    findings = tqaudit.audit(_segments(case), config).findings
    if kind == "pass":
        assert findings.empty, f"{code} pass case {index} fired: {findings.to_dict('records')}"
        return
    got = findings.to_dict("records")
    want = _expected(case)
    assert len(got) == len(want), f"{code} fail case {index}: expected {len(want)} finding(s), got {got}"
    for hit, expect in zip(got, want, strict=True):
        assert hit["rule"] == code
        assert hit["segment_id"] == str(expect.get("segment", 1)), hit
        assert (hit["start"], hit["end"]) == (expect["start"], expect["end"]), hit
        assert expect["message"] in hit["message"], hit
        if "suggestion" in expect:
            assert hit["suggestion"] == expect["suggestion"], hit
    fixable = [h for h in got if h["fix"] in ("safe", "unsafe")]
    if fixable:
        assert "fixed" in case, f"{code} fail case {index} has an edit: state the fixed text"
    if "fixed" in case:
        result = fix_segments(_segments(case), config, unsafe=True)
        assert result.fixed == [case["fixed"]]
        again = fix_segments(_segments({**case, "target": case["fixed"]}), config, unsafe=True)
        assert again.fixed == [case["fixed"]], "fixing is not idempotent"


def test_every_rule_has_cases() -> None:
    load_rules()
    counts: dict[str, dict[str, int]] = {}
    for code, kind, _, _ in _load():
        counts.setdefault(code, {"pass": 0, "fail": 0})[kind] += 1
    for code in RULES:
        assert counts.get(code, {}).get("pass", 0) >= 2, f"{code} needs 2 pass cases"
        assert counts.get(code, {}).get("fail", 0) >= 2, f"{code} needs 2 fail cases"


def test_fixable_rules_state_fixed_text() -> None:
    """Every rule with a fix has at least one case showing the text after fixing."""
    load_rules()
    with_fixed = {code for code, kind, _, case in _load() if kind == "fail" and "fixed" in case}
    for code, rule in RULES.items():
        if rule.fix in (Applicability.SAFE, Applicability.UNSAFE) and not rule.requires:
            assert code in with_fixed, f"{code} has a fix but no case with 'fixed'"
