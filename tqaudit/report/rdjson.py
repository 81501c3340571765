"""``findings.rdjson``: the Reviewdog Diagnostic Format (``DiagnosticResult``) for reviewdog.

``reviewdog -f=rdjson`` turns it into review comments and suggested changes on a pull or merge
request. Positions follow reviewdog's proto: lines and columns start at 1, columns count UTF-8
bytes, ranges end exclusive. For plain-text input a finding's range is exact and a fix known
for it becomes a suggestion; for tables and localisation files the range is the segment's line
and no suggestion is offered (its columns would not point at the target text).
"""

from __future__ import annotations

import json
from typing import Any

from tqaudit.audit import AuditResult
from tqaudit.report.locations import Location, label, located
from tqaudit.report.sarif import INFORMATION_URI

SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}
FILENAME = "findings.rdjson"


def _range(where: Location, target: str, start: int, end: int) -> dict[str, Any]:
    if not where.exact:
        return {"start": {"line": where.line}}
    column = len(target[:start].encode("utf-8")) + 1
    end_column = column + len(target[start:end].encode("utf-8"))
    start_at, end_at = {"line": where.line, "column": column}, {"line": where.line, "column": end_column}
    return {"start": start_at, "end": end_at}


def diagnostics(result: AuditResult) -> list[dict[str, Any]]:
    """One diagnostic per finding, in the findings' order."""
    targets = result.targets()
    out = []
    for _, row, where in located(result):
        target = targets[row["segment_id"]]
        place = _range(where, target, int(row["start"]), int(row["end"]))
        item: dict[str, Any] = {
            "message": f"{row['message']} {label(row, where)}",
            "location": {"path": where.path, "range": place},
            "severity": SEVERITY[str(row["severity"])],
            "code": {"value": str(row["rule"])},
        }
        if where.exact and row["fix"] in ("safe", "unsafe"):
            item["suggestions"] = [{"range": place, "text": str(row["suggestion"])}]
        out.append(item)
    return out


def dumps(found: list[dict[str, Any]]) -> str:
    """A ``DiagnosticResult`` of ``found`` diagnostics."""
    data = {"source": {"name": "tqaudit", "url": INFORMATION_URI}, "diagnostics": found}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(result: AuditResult) -> dict[str, str]:
    return {FILENAME: dumps(diagnostics(result))}
