"""``summary.md``: the verdict and counts as a Markdown page (for PR comments, job summaries)."""

from __future__ import annotations

from tqaudit.audit import AuditResult


def _cell(text: object) -> str:
    """Escape a value for a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def render(result: AuditResult) -> dict[str, str]:
    s = result.summary
    verdict = "PASSED" if result.passed else "FAILED"
    lines = [
        f"# tqaudit: {verdict}",
        "",
        f"{s['totals']['segments']} segments, {s['totals']['findings']} findings in "
        f"{s['totals']['segments_with_findings']} segments "
        f"({s['by_severity']['error']} errors, {s['by_severity']['warning']} warnings, "
        f"{s['by_severity']['info']} info).",
        "",
    ]
    lines += [f"- Gate: {_cell(msg)}" for msg in result.gate_failures]
    if result.corpus_scores:
        lines += ["", "## Scores", "", "| metric | score | signature |", "|---|---:|---|"]
        for name, score in result.corpus_scores.items():
            label, signature = score.name or name, _cell(score.signature)
            lines.append(f"| {label} | {score.score:.2f} | `{signature}` |")
    if s["by_rule"]:
        lines += ["", "## Findings by rule", "", "| rule | name | category | count |", "|---|---|---|---:|"]
        for code, count in s["by_rule"].items():
            rule = result.catalogue.get(code)
            name = rule.name if rule else ""
            category = rule.category if rule else ""
            lines.append(f"| {code} | {name} | {category} | {count} |")
    lines += ["", f"Signature: `{result.signature}`", ""]
    return {"summary.md": "\n".join(lines)}
