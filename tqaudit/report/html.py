"""``report.html``: one self-contained page to look at (no external files or requests).

The page is rendered by a Jinja2 template with autoescape on; everything the findings table
and the segment cards need travels as ONE JSON block (``<script type="application/json">``)
that the page's own script turns into DOM nodes with ``textContent`` only. A strict
Content-Security-Policy allows no source at all but the page's own script and style, by
their SHA-256 hashes, so a hostile segment can neither run script nor call home.

The JSON is compact so that 100,000 findings stay under :data:`PAGE_LIMIT`: findings are
one flat array of small integers (rule kind, segment, offsets, message, suggestion and text
indexes);
messages are interned with the flagged text and the suggestion cut out of them (rules
quote both, so ``Broken entity '& mdash;'; did you mean '—'?`` becomes one template for
every MK001); excerpts are recomputed from the target by the page. Segment texts are
embedded once, for the segments in the table's order (errors first) until the text
budget is spent; a segment past it keeps its id, line, scores and flagged texts, and its
card says where to read the rest.

Charts are inline SVG drawn here: findings by category and severity, the rules that fire
most, and the per-segment chrF (or BLEU) histogram with the gate threshold.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from tqaudit.audit import AuditResult
from tqaudit.findings import CATEGORIES, SEVERITIES, excerpt, related_segments
from tqaudit.report.locations import input_path, locate

PAGE_LIMIT = 5_000_000  # bytes: a page this size opens quickly in any browser
TEXT_BUDGET = PAGE_LIMIT - 100_000  # bytes of JSON; the rest (markup, style, script, charts) is ~40 kB
PAGE_SIZE = 100  # findings table rows per page
ROW_FIELDS = 7  # numbers per finding in the flat "f" array
FLAGGED, SUGGESTED = "\x01", "\x02"  # placeholders in interned message templates
SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#d08a00", "info": "#3b5ba5"}
HISTOGRAM_BINS = 20
SCORE_METRICS = (("chrf", "chrF", "min_chrf"), ("bleu", "BLEU", "min_bleu"))


@cache
def _asset(name: str) -> str:
    return resources.files("tqaudit.report").joinpath("templates").joinpath(name).read_text("utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tqaudit.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def embed_json(data: Any) -> Markup:
    """``data`` as JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so no text can close the element or open a
    comment; U+2028/2029 are escaped for any consumer that still reads JSON as JavaScript.
    Keys are sorted and non-ASCII text is kept as UTF-8 (half the size of ``\\u`` escapes).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)  # escaped above for its script context


def _size(value: Any) -> int:
    """Bytes of ``value`` in the JSON block (each escaped character grows from 1 or 3 bytes to 6)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    grown = 5 * sum(text.count(c) for c in "<>&") + 3 * (text.count("\u2028") + text.count("\u2029"))
    return len(text.encode("utf-8")) + grown


def _template(message: str, flagged: str, suggestion: str) -> str | None:
    """``message`` with the flagged text and the suggestion cut out; None when that would not
    restore it exactly (the page then shows the message as it is)."""
    if any(p in message + flagged + suggestion for p in (FLAGGED, SUGGESTED)):
        return None
    out = message.replace(flagged, FLAGGED) if flagged else message
    out = out.replace(suggestion, SUGGESTED) if suggestion else out
    return out if out.replace(SUGGESTED, suggestion).replace(FLAGGED, flagged) == message else None


@dataclass(frozen=True)
class Bar:
    """One rectangle of a chart (SVG user units) with its tooltip."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


def _page_data(result: AuditResult) -> tuple[dict[str, Any], int]:
    """The JSON block's content, and how many segments have their texts embedded."""
    f = {c: result.findings[c].tolist() for c in result.findings.columns}
    named = result.flagged_rows  # the segments the findings name, not the whole input
    segments = named.segments.reset_index(drop=True)
    targets = [str(t) for t in segments["target"]]
    row_of = {str(sid): i for i, sid in enumerate(segments["segment_id"])}
    scores = named.scores.to_dict("records") if named.scores is not None else None
    ref_columns = [c for c in segments.columns if c == "reference" or c.startswith("reference_")]
    references = {c: segments[c].tolist() for c in ref_columns}
    sources = segments["source"].tolist()
    lines = [loc.line for loc in locate(result)]

    kinds = sorted(
        {(str(r), str(c), str(s)) for r, c, s in zip(f["rule"], f["category"], f["severity"], strict=True)}
    )
    kind_index = {k: i for i, k in enumerate(kinds)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    order = sorted(range(len(f["rule"])), key=lambda i: rank.get(str(f["severity"][i]), len(rank)))

    seg_ids: list[str] = []  # segments in the order the table first shows them
    seg_index: dict[str, int] = {}
    messages: dict[tuple[str, bool], int] = {}  # (template or verbatim message, is template)
    suggestions: dict[str, int] = {}
    rows: list[list[Any]] = []  # per finding, in the table's default order
    full_extra: list[Any] = []  # what the row needs when its segment's target is embedded
    short_extra: list[Any] = []  # ... and when it is not
    by_segment: dict[int, list[int]] = {}
    for i in order:
        sid = str(f["segment_id"][i])
        if sid not in seg_index:
            seg_index[sid] = len(seg_ids)
            seg_ids.append(sid)
        target = targets[row_of[sid]] if sid in row_of else ""
        start, end = int(f["start"][i]), int(f["end"][i])
        flagged = target[start:end] if start >= 0 else ""
        suggestion, shown = str(f["suggestion"][i]), str(f["excerpt"][i])
        template = _template(message := str(f["message"][i]), flagged, suggestion)
        key = (template, True) if template is not None else (message, False)
        kind = (str(f["rule"][i]), str(f["category"][i]), str(f["severity"][i]))
        rows.append(
            [
                kind_index[kind],
                seg_index[sid],
                start,
                end,
                messages.setdefault(key, len(messages)),
                suggestions.setdefault(suggestion, len(suggestions)),
            ]
        )
        full_extra.append(None if sid in row_of and excerpt(target, start, end) == shown else shown)
        short_extra.append(flagged if start >= 0 and flagged else shown)
        by_segment.setdefault(seg_index[sid], []).append(len(rows) - 1)

    # the segments a consistency finding names get a card too (its message links them)
    for i in order:
        if f["category"][i] == "consistency":
            for sid in related_segments(str(f["message"][i])):
                if sid in row_of and sid not in seg_index:
                    seg_index[sid] = len(seg_ids)
                    seg_ids.append(sid)
    segment_lines = [int(v) for v in segments["line"]] if "line" in segments else None
    score_keys = sorted(str(k) for k in scores[0]) if scores else []

    def short_entry(sid: str, position: int) -> list[Any]:
        row = row_of.get(sid)
        score = None
        if scores is not None and row is not None:
            score = [round(float(v), 1) if v == v else None for v in (scores[row][k] for k in score_keys)]
        if position in by_segment:
            line = lines[order[by_segment[position][0]]]
        else:  # a segment without findings, named by a consistency finding
            line = segment_lines[row_of[sid]] if segment_lines is not None else row_of[sid] + 1
        return [sid, line, score]

    def full_entry(sid: str, position: int) -> list[Any]:
        row = row_of[sid]
        refs = [str(references[c][row]) for c in ref_columns if str(references[c][row])]
        return [*short_entry(sid, position), targets[row], str(sources[row]), refs]

    msgs = [text if is_template else [text] for text, is_template in messages]  # [verbatim]
    fired = {k[0] for k in kinds}
    rules = {
        code: [info.name, info.summary, info.documentation]
        for code, info in sorted(result.catalogue.items())
        if code in fired
    }
    # Texts a row carries itself (flagged text past the budget, an excerpt the page cannot
    # recompute) are interned: rows hold an index into "texts".
    texts = set(short_extra) | {t for t in full_extra if t is not None}
    entries = [short_entry(sid, p) for p, sid in enumerate(seg_ids)]
    extra: list[str | None] = list(short_extra)
    index_cost = len(str(len(texts))) + 1  # the most a row's text index can take
    total = (
        _size(rows)
        - 2 * len(rows)  # flattened: no brackets
        + len(rows) * index_cost
        + _size(sorted(texts))
        + _size(entries)
        + _size(msgs)
        + _size(list(suggestions))
        + _size(score_keys)
        + _size(kinds)
        + _size(rules)
        + 200  # keys and punctuation
    )
    embedded = 0
    for position, sid in enumerate(seg_ids):  # texts once, errors' segments first, while they fit
        if sid not in row_of:
            continue
        full = full_entry(sid, position)
        delta = _size(full) - _size(entries[position])
        mine = by_segment.get(position, [])
        delta -= sum(index_cost - 3 for n in mine if full_extra[n] is None)  # -1 instead
        if total + delta > TEXT_BUDGET:
            break
        total += delta
        entries[position] = full
        for n in mine:
            extra[n] = full_extra[n]
        embedded += 1
    used = sorted({t for t in extra if t is not None})
    text_index = {t: i for i, t in enumerate(used)}
    flat: list[int] = []  # ROW_FIELDS numbers a row: kind, segment, start, end, message, suggestion, text
    for row, text in zip(rows, extra, strict=True):
        flat += row
        flat.append(text_index[text] if text is not None else -1)
    data: dict[str, Any] = {
        "f": flat,
        "kinds": [list(k) for k in kinds],
        "msgs": msgs,
        "pageSize": PAGE_SIZE,
        "rowFields": ROW_FIELDS,
        "rules": rules,
        "scoreKeys": score_keys,
        "segs": entries,
        "sugs": list(suggestions),
        "texts": used,
    }
    return data, embedded


def _category_chart(result: AuditResult) -> dict[str, Any]:
    counts = result.findings.groupby(["category", "severity"]).size()
    cats = [c for c in CATEGORIES if any(counts.get((c, s), 0) for s in SEVERITIES)]
    totals = {c: sum(int(counts.get((c, s), 0)) for s in SEVERITIES) for c in cats}
    top = max(totals.values(), default=1)
    bars, labels = [], []
    for row, cat in enumerate(cats):
        x, y = 120.0, 8.0 + row * 22
        labels.append({"x": 114, "y": y + 13, "text": cat, "anchor": "end"})
        for sev in SEVERITIES:
            n = int(counts.get((cat, sev), 0))
            if n:
                width = 420 * n / top
                bars.append(Bar(x, y, round(width, 2), 16, SEVERITY_COLOURS[sev], f"{cat} · {sev}: {n}"))
                x += width
        labels.append({"x": round(x + 6, 2), "y": y + 13, "text": str(totals[cat]), "anchor": "start"})
    return {"bars": bars, "labels": labels, "height": 16 + 22 * len(cats), "rows": len(cats)}


def _rules_chart(result: AuditResult) -> dict[str, Any]:
    f = result.findings
    counts = Counter(str(r) for r in f["rule"])
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    severity = dict(zip(f["rule"].astype(str), f["severity"].astype(str), strict=True))
    most = top[0][1] if top else 1
    bars, labels = [], []
    for row, (code, n) in enumerate(top):
        info = result.catalogue.get(code)
        y = 8.0 + row * 22
        name = f"{code} {info.name}" if info else code
        labels.append({"x": 244, "y": y + 13, "text": name, "anchor": "end"})
        width = round(310 * n / most, 2)
        bars.append(Bar(250, y, width, 16, SEVERITY_COLOURS.get(severity[code], "#777"), f"{name}: {n}"))
        labels.append({"x": round(250 + width + 6, 2), "y": y + 13, "text": str(n), "anchor": "start"})
    return {"bars": bars, "labels": labels, "height": 16 + 22 * len(top), "rows": len(top)}


def _score_chart(result: AuditResult) -> dict[str, Any] | None:
    """Histogram of a segment score over 0-100, with the gate threshold as a line.

    chrF, or BLEU when only BLEU is gated or scored.
    """
    scores = result.scores  # built from the store: read once
    if scores is None:
        return None
    found = [m for m in SCORE_METRICS if m[0] in scores.columns]
    if not found:
        return None
    gated = [m for m in found if getattr(result.config, m[2]) is not None]
    column, label, option = (gated or found)[0]  # the gated metric, else chrF, else BLEU
    values = [float(v) for v in scores[column] if v == v]
    if not values:
        return None
    bins = [0] * HISTOGRAM_BINS
    width = 100 / HISTOGRAM_BINS
    for v in values:
        bins[min(HISTOGRAM_BINS - 1, max(0, int(v // width)))] += 1
    top = max(bins)
    x0, plot_w, plot_h = 40.0, 500.0, 140.0
    bars = []
    for i, n in enumerate(bins):
        h = round(plot_h * n / top, 2)
        lo, hi = i * width, (i + 1) * width
        bars.append(
            Bar(
                round(x0 + i * plot_w / HISTOGRAM_BINS + 1, 2),
                round(10 + plot_h - h, 2),
                round(plot_w / HISTOGRAM_BINS - 2, 2),
                h,
                "#3b5ba5",
                f"{label} {lo:g}–{hi:g}: {n} segment{'s' if n != 1 else ''}",
            )
        )
    threshold = getattr(result.config, option)
    line = None
    if threshold is not None:
        x = round(x0 + plot_w * min(100.0, max(0.0, float(threshold))) / 100, 2)
        line = {"x": x, "label": f"gate {option.replace('_', '-')} {float(threshold):g}"}
    ticks = [{"x": round(x0 + plot_w * t / 100, 2), "text": str(t)} for t in range(0, 101, 20)]
    return {"bars": bars, "label": label, "line": line, "ticks": ticks, "top": top, "segments": len(values)}


def _counts(result: AuditResult) -> list[dict[str, Any]]:
    """Category × severity rows, one cell per severity in SEVERITIES order, then the total."""
    counts = result.findings.groupby(["category", "severity"]).size()
    rows = []
    for cat in CATEGORIES:
        cells = [int(counts.get((cat, sev), 0)) for sev in SEVERITIES]
        if any(cells):
            rows.append({"category": cat, "cells": cells, "total": sum(cells)})
    return rows


def render(result: AuditResult) -> dict[str, str]:
    s: dict[str, Any] = result.summary
    data, embedded = _page_data(result)
    script, style = _asset("report.js"), _asset("report.css")
    f = result.findings
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            passed=result.passed,
            gate_failures=result.gate_failures,
            totals=s["totals"],
            by_severity=s["by_severity"],
            severities=SEVERITIES,
            counts=_counts(result),
            corpus_scores=[
                (str(c.name or key), f"{float(c.score):.2f}", str(c.signature))
                for key, c in result.corpus_scores.items()
            ],
            category_chart=_category_chart(result),
            rules_chart=_rules_chart(result),
            score_chart=_score_chart(result),
            colours=SEVERITY_COLOURS,
            categories=[c for c in CATEGORIES if c in set(f["category"])],
            rules=[
                (code, result.catalogue[code].name if code in result.catalogue else "")
                for code in sorted(set(f["rule"].astype(str)))
            ],
            embedded=embedded,
            with_findings=len(data["segs"]),
            input=input_path(result) if result.inputs.get("input") else "DataFrame",
            signature=result.signature,
            data=embed_json(data),
            script=Markup(script),  # the package's own file
            style=Markup(style),  # the package's own file
            csp=f"default-src 'none'; script-src {csp_hash(script)}; style-src {csp_hash(style)}",
        )
    )
    return {"report.html": page}
