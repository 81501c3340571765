"""``report.html``: one self-contained page to look at (no external files or requests).

Every piece of text from the input is escaped with ``html.escape``; a Content-Security-Policy
forbids loading anything, so a hostile segment cannot run script or call home. Findings can
be filtered by severity, category and free text; segments with findings are shown with the
flagged spans highlighted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from html import escape
from typing import Any

from tqaudit.audit import AuditResult
from tqaudit.findings import CATEGORIES, SEVERITIES

MAX_SEGMENTS_SHOWN = 2000

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d1d1f}
h1 .passed{color:#137333}h1 .failed{color:#b3261e}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:4px 6px;
text-align:left;vertical-align:top}th{background:#f4f4f6}td.n{text-align:right}
.error{color:#b3261e;font-weight:600}.warning{color:#a05a00}.info{color:#3b5ba5}
mark{background:#ffe08a;border-bottom:2px solid #d08a00}mark.error{background:#ffc9c4;border-color:#b3261e}
.seg{border:1px solid #ddd;border-radius:6px;padding:8px 10px;margin:8px 0}.seg .meta{color:#666;font-size:12px}
.src,.ref{color:#555}code{background:#f4f4f6;padding:0 3px;border-radius:3px;white-space:pre-wrap}
#filters{display:flex;gap:8px;flex-wrap:wrap;margin:1rem 0}.sig{color:#666;font-size:12px}
"""

_JS = """
const q=id=>document.getElementById(id);
function apply(){const s=q('sev').value,c=q('cat').value,t=q('txt').value.toLowerCase();
for(const r of document.querySelectorAll('#findings tbody tr')){
const ok=(!s||r.dataset.sev===s)&&(!c||r.dataset.cat===c)&&(!t||r.textContent.toLowerCase().includes(t));
r.hidden=!ok;}}
for(const id of ['sev','cat','txt'])q(id).addEventListener('input',apply);
"""


def _options(values: Iterable[str]) -> str:
    return "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with each (start, end, severity, title) span wrapped in ``<mark>``.

    Overlapping spans are cut at every boundary so the marks never nest.
    """
    points = sorted({0, len(text), *(p for s, e, _, _ in spans for p in (s, e) if 0 <= p <= len(text))})
    out = []
    for a, b in itertools.pairwise(points):
        covering = [(sev, title) for s, e, sev, title in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        if covering:
            sev = min((c[0] for c in covering), key=SEVERITIES.index)
            title = escape("; ".join(c[1] for c in covering))
            piece = f'<mark class="{sev}" title="{title}">{piece}</mark>'
        out.append(piece)
    return "".join(out)


def _counts(result: AuditResult) -> str:
    f = result.findings
    counts = f.groupby(["category", "severity"]).size()
    rows = []
    for cat in CATEGORIES:
        cells = [int(counts.get((cat, sev), 0)) for sev in SEVERITIES]
        if any(cells):
            rows.append(f"<tr><td>{cat}</td>" + "".join(f'<td class="n">{n}</td>' for n in cells) + "</tr>")
    head = "<tr><th>category</th>" + "".join(f"<th>{s}</th>" for s in SEVERITIES) + "</tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>" if rows else ""


def _scores(result: AuditResult) -> str:
    if not result.corpus_scores:
        return ""
    rows = "".join(
        f"<tr><td>{escape(str(s.name or name))}</td><td class='n'>{float(s.score):.2f}</td>"
        f"<td><code>{escape(str(s.signature))}</code></td></tr>"
        for name, s in result.corpus_scores.items()
    )
    return f"<h2>Scores</h2><table><thead><tr><th>metric</th><th>score</th><th>signature</th></tr></thead><tbody>{rows}</tbody></table>"


def _findings_table(result: AuditResult) -> str:
    rows = []
    for r in result.findings.itertuples():
        rule = result.catalogue.get(str(r.rule))
        name = rule.name if rule else ""
        rows.append(
            f'<tr data-sev="{escape(str(r.severity))}" data-cat="{escape(str(r.category))}">'
            f'<td><a href="#seg-{escape(str(r.segment_id))}">{escape(str(r.segment_id))}</a></td>'
            f'<td title="{escape(name)}">{escape(str(r.rule))}</td><td class="{escape(str(r.severity))}">'
            f"{escape(str(r.severity))}</td><td>{escape(str(r.message))}</td>"
            f"<td><code>{escape(str(r.excerpt))}</code></td><td><code>{escape(str(r.suggestion))}</code></td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>" for h in ("segment", "rule", "severity", "message", "excerpt", "suggestion")
    )
    return f'<table id="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _segments(result: AuditResult) -> str:
    f = result.findings
    spans: dict[str, list[tuple[int, int, str, str]]] = {}
    for r in f.itertuples():
        start, end = int(str(r.start)), int(str(r.end))
        spans.setdefault(str(r.segment_id), []).append(
            (start, end, str(r.severity), f"{r.rule}: {r.message}")
        )
    blocks = []
    shown = result.segments[result.segments["segment_id"].isin(spans)].head(MAX_SEGMENTS_SHOWN)
    for seg in shown.to_dict("records"):
        sid = str(seg["segment_id"])
        whole = [s for s in spans[sid] if s[0] < 0]
        parts = [s for s in spans[sid] if s[0] >= 0]
        notes = "".join(f'<div class="{s[2]}">{escape(s[3])}</div>' for s in whole)
        extra = "".join(
            f'<div class="{cls}">{label}: {escape(str(seg[col]))}</div>'
            for col, cls, label in (("source", "src", "source"), ("reference", "ref", "reference"))
            if seg.get(col)
        )
        blocks.append(
            f'<div class="seg" id="seg-{escape(sid)}"><div class="meta">segment {escape(sid)} · line {seg["line"]}'
            f"</div><div>{highlight(str(seg['target']), parts)}</div>{notes}{extra}</div>"
        )
    more = len(spans) - len(shown)
    tail = f"<p>… and {more} more segments with findings (see findings.csv).</p>" if more > 0 else ""
    return "".join(blocks) + tail


def render(result: AuditResult) -> dict[str, str]:
    s: dict[str, Any] = result.summary
    verdict = '<span class="passed">PASSED</span>' if result.passed else '<span class="failed">FAILED</span>'
    gates = "".join(f"<li>{escape(m)}</li>" for m in result.gate_failures)
    f = result.findings
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tqaudit report</title><style>{_CSS}</style></head><body>
<h1>tqaudit: {verdict}</h1>
<p>{s["totals"]["segments"]} segments · {s["totals"]["findings"]} findings in {s["totals"]["segments_with_findings"]} segments
({s["by_severity"]["error"]} errors, {s["by_severity"]["warning"]} warnings, {s["by_severity"]["info"]} info)</p>
<ul>{gates}</ul>
{_counts(result)}{_scores(result)}
<h2>Findings</h2>
<div id="filters"><select id="sev"><option value="">all severities</option>{_options(SEVERITIES)}</select>
<select id="cat"><option value="">all categories</option>{_options(sorted(set(f["category"])))}</select>
<input id="txt" type="search" placeholder="filter text"></div>
{_findings_table(result)}
<h2>Segments with findings</h2>
{_segments(result)}
<p class="sig">input: {escape(str(s["inputs"].get("input", "DataFrame")))} · signature: <code>{escape(result.signature)}</code></p>
<script>{_JS}</script>
</body></html>
"""
    return {"report.html": page}
