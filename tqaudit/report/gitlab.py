"""``gl-code-quality-report.json``: GitLab Code Quality, for the merge-request widget.

The format is the subset of the Code Climate spec that GitLab reads
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): an array of
issues with ``description``, ``check_name``, ``fingerprint`` (unique within the report, or
GitLab shows only the first of a kind), ``severity`` (``info``, ``minor``, ``major``,
``critical``, ``blocker``) and ``location.path`` with ``location.lines.begin``. Errors map to
``major`` and warnings to ``minor``, as ruff and most linters map them.
"""

from __future__ import annotations

import json
from typing import Any

from tqaudit.audit import AuditResult
from tqaudit.findings import fingerprints
from tqaudit.report.locations import label, located

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
FILENAME = "gl-code-quality-report.json"


def issues(result: AuditResult) -> list[dict[str, Any]]:
    """One Code Quality issue per finding, in the findings' order."""
    keys = fingerprints(result.findings, result.targets())
    out = []
    for i, row, where in located(result):
        out.append(
            {
                "description": f"{row['message']} {label(row, where)}",
                "check_name": str(row["rule"]),
                "fingerprint": keys[i],
                "severity": SEVERITY[str(row["severity"])],
                "categories": [str(row["category"])],
                "location": {"path": where.path, "lines": {"begin": where.line}},
            }
        )
    return out


def render(result: AuditResult) -> dict[str, str]:
    return {FILENAME: json.dumps(issues(result), ensure_ascii=False, indent=2) + "\n"}
