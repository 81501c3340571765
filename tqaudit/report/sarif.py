"""``findings.sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Follows the OASIS schema and GitHub's ingestion requirements (rules with descriptions and
help, a physical location with ``region.startLine`` per result, and as
``primaryLocationLineHash`` the finding's stable fingerprint: rule, normalised segment text,
flagged text, see ``findings.fingerprint``). Locations point at the input file: the line is
where the segment starts; columns are given for plain-text input, where the target is the
whole line. A feed's segment also has logical locations (SARIF §3.33): the run lists each
article (kind ``article``) and each of its paragraphs, sentences or title holding a finding
(kind ``paragraph``, ``parentIndex`` the article), and the result's location names its
paragraph by index; the character offset in the article text is the result's
``properties.articleOffset``.
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


class _Logical:
    """The run's logical locations of feed segments: an article, then its paragraphs, in
    the order the results first name them (deterministic, as the results' order is)."""

    def __init__(self, result: AuditResult) -> None:
        segments = result.flagged_rows.segments
        self.feed = "body_offset" in segments.columns and "doc_id" in segments.columns
        self.doc = dict(zip(segments["segment_id"], segments["doc_id"], strict=True)) if self.feed else {}
        self.offset = (
            dict(zip(segments["segment_id"], segments["body_offset"], strict=True)) if self.feed else {}
        )
        self.entries: list[dict[str, Any]] = []
        self._index: dict[tuple[str, str], int] = {}

    def _add(self, key: tuple[str, str], entry: dict[str, Any]) -> int:
        if key not in self._index:
            self._index[key] = len(self.entries)
            self.entries.append({"index": len(self.entries), **entry})
        return self._index[key]

    def of(self, segment_id: str) -> dict[str, Any] | None:
        """The result's logical location for a feed segment, or None outside a feed."""
        article = str(self.doc.get(segment_id, ""))
        if not self.feed or not article:
            return None
        parent = self._add(
            ("article", article), {"name": article, "fullyQualifiedName": article, "kind": "article"}
        )
        name = segment_id[len(article) :].strip() if segment_id.startswith(article) else segment_id
        entry = {"name": name, "fullyQualifiedName": segment_id, "kind": "paragraph", "parentIndex": parent}
        index = self._add(("paragraph", segment_id), entry)
        return {"index": index, "fullyQualifiedName": segment_id}

    def article_offset(self, segment_id: str, start: int) -> int | None:
        """The finding's character offset in its article's text (None for a title)."""
        offset = int(self.offset.get(segment_id, -1))
        return None if offset < 0 else offset + max(start, 0)


def _result(
    row: dict[str, Any], index: dict[str, int], where: Location, key: str, logical: _Logical
) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": where.line}
    if where.exact:
        region.update(startColumn=where.column, endColumn=where.end_column)
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri_of(where.path)}, "region": region}
    }
    properties: dict[str, Any] = {}
    names = logical.of(str(row["segment_id"]))
    if names is not None:
        location["logicalLocations"] = [names]
        offset = logical.article_offset(str(row["segment_id"]), int(row["start"]))
        if offset is not None:
            properties["articleOffset"] = offset
    out: dict[str, Any] = {
        "ruleId": row["rule"],
        "ruleIndex": index[row["rule"]],
        "level": LEVELS[row["severity"]],
        "message": {"text": f"{row['message']} {label(row, where)}"},
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": key},
    }
    if row["suggestion"]:
        properties["suggestion"] = row["suggestion"]
    if properties:
        out["properties"] = properties
    return out


MAX_RESULTS = 25_000  # GitHub code scanning rejects a run with more results


def run_of(result: AuditResult) -> dict[str, Any]:
    """One SARIF run: the tool with its rules, and a result per finding (at most ``MAX_RESULTS``,
    the most severe first; a notification says how many were left out and where they are)."""
    codes = sorted(set(result.rules) | set(result.findings["rule"]))
    index = {code: i for i, code in enumerate(codes)}
    keys = fingerprints(result.findings, result.targets())
    found = located(result, most_severe_first=True)
    logical = _Logical(result)
    results = [_result(row, index, where, keys[i], logical) for i, row, where in found[:MAX_RESULTS]]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if len(found) > MAX_RESULTS:
        left = len(found) - MAX_RESULTS
        text = (
            f"{left:,} of {len(found):,} results left out (GitHub accepts {MAX_RESULTS:,} per run; "
            "the most severe are kept); every finding is in findings.csv"
        )
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": text}}]
    run: dict[str, Any] = {
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
    if logical.entries:
        run["logicalLocations"] = logical.entries
    return run


def dumps(runs: list[dict[str, Any]]) -> str:
    """A SARIF log of ``runs`` (one per input)."""
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": runs}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(result: AuditResult) -> dict[str, str]:
    return {"findings.sarif": dumps([run_of(result)])}
