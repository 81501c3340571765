"""``findings.sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Follows the OASIS schema and GitHub's ingestion requirements (rules with descriptions and
help, a physical location with ``region.startLine`` per result, and as
``primaryLocationLineHash`` the finding's stable fingerprint: rule, normalised segment text,
flagged text, see ``findings.fingerprint``). Locations point at the input file: the line is
where the segment starts; columns are given for plain-text input, where the target is the
whole line.
"""

from __future__ import annotations

import json
from typing import Any

from tqaudit import __version__
from tqaudit.audit import AuditResult
from tqaudit.findings import RuleInfo, fingerprints
from tqaudit.report.locations import Location, label, located, uri_of

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tqaudit/tqaudit"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    doc = rule.documentation
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": (rule.section("What it does") or rule.summary)[:1024]},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.category, "translation"], "fix": rule.fix},
    }


def _result(row: dict[str, Any], index: dict[str, int], where: Location, key: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": where.line}
    if where.exact:
        region.update(startColumn=where.column, endColumn=where.end_column)
    out: dict[str, Any] = {
        "ruleId": row["rule"],
        "ruleIndex": index[row["rule"]],
        "level": LEVELS[row["severity"]],
        "message": {"text": f"{row['message']} {label(row, where)}"},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri_of(where.path)}, "region": region}}
        ],
        "partialFingerprints": {"primaryLocationLineHash": key},
    }
    if row["suggestion"]:
        out["properties"] = {"suggestion": row["suggestion"]}
    return out


MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results


def run_of(result: AuditResult) -> dict[str, Any]:
    """One SARIF run: the tool with its rules, and a result per finding (at most ``MAX_RESULTS``,
    the most severe first; a notification says how many were left out and where they are)."""
    codes = sorted(set(result.rules) | set(result.findings["rule"]))
    index = {code: i for i, code in enumerate(codes)}
    keys = fingerprints(result.findings, result.targets())
    found = located(result, most_severe_first=True)
    results = [_result(row, index, where, keys[i]) for i, row, where in found[:MAX_RESULTS]]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if len(found) > MAX_RESULTS:
        left = len(found) - MAX_RESULTS
        text = (
            f"{left:,} of {len(found):,} results left out (GitHub accepts {MAX_RESULTS:,} per run; "
            "the most severe are kept); every finding is in findings.csv"
        )
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": text}}]
    return {
        "tool": {
            "driver": {
                "name": "tqaudit",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(result.catalogue[code]) for code in codes],
            }
        },
        "invocations": [invocation],
        "results": results,
        "properties": {"signature": result.signature, "passed": result.passed},
    }


def dumps(runs: list[dict[str, Any]]) -> str:
    """A SARIF log of ``runs`` (one per input)."""
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(result: AuditResult) -> dict[str, str]:
    return {"findings.sarif": dumps([run_of(result)])}
