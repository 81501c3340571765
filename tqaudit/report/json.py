"""``summary.json``: counts, totals, verdict, scores and the options used."""

from __future__ import annotations

import json as _json

from tqaudit.audit import AuditResult


def render(result: AuditResult) -> dict[str, str]:
    text = _json.dumps(result.summary, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    return {"summary.json": text + "\n"}
