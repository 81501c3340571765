"""Measure tqaudit's rules against external data: WMT22 references and systems, pofilter cases, MQM.

Usage::

    python benchmarks/evaluate_rules.py [--wmt DIR] [--pofilter FILE] [--mqm DIR]
                                        [--sys-langid-lines N] [--examples N] [--processes N]
                                        [--out benchmarks/results/evaluation.md]

Defaults are ``../shared/data/{wmt,pofilter-cases.tsv,mqm}`` relative to the repository root.
Nothing is copied: the data is read where it lies. The report (Markdown) goes to stdout and
to ``--out``.

1. **References**: every ``ref*.<tgt>`` of every WMT22 pair, audited with its source and the
   pair's languages. Human translations: each finding is a false positive or a real defect
   of the reference; examples are printed so a reader can tell which.
2. **System outputs**: every ``sys/*`` file the same way, per rule per 1,000 segments.
   LG001/LG002 run langdetect on target and source (about 4 ms a text); to keep the script
   near 3 minutes on 2 cores they run on the first ``--sys-langid-lines`` lines of each
   system file (default 300; 0 = all lines), and their rates use that denominator. Every
   other rule runs on every line.
3. **pofilter cases**: translate-toolkit's own test strings labelled with our categories;
   per-category precision/recall/F1 of the categories we find, false alarms on the cases
   pofilter passes.
4. **MQM**: WMT23 and TED (WMT21) MT output with professional MQM annotations. MQM
   categories are mapped to tqaudit categories (table in the report); row-level precision and
   recall per category and per rule, the finding rate on rows without any MQM error, and
   character-span overlap (MQM spans are code-point offsets into the target).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"

from audit_speed import read_lines  # noqa: E402

import tqaudit  # noqa: E402
from tqaudit.io.writers import write_text  # noqa: E402
from tqaudit.rules import RULES, load_rules  # noqa: E402

LANGID_RULES = ("LG001", "LG002")  # the rules that call the language model
KEEP = ["segment_id", "rule", "category", "severity", "message", "start", "end", "excerpt"]
FAILING = ("warning", "error")


# --------------------------------------------------------------------------- helpers


# Set from --select / --no-systems before the worker processes fork.
SELECT: tuple[str, ...] = ("ALL",)
SYSTEMS = True


def run_audit(frame: pd.DataFrame, ignore: Sequence[str] = ()) -> pd.DataFrame:
    config = tqaudit.Config(fail_on="never", select=SELECT, ignore=tuple(ignore))
    return tqaudit.audit(frame, config).findings[KEEP]


def frame_of(
    ids: Sequence[str],
    sources: Sequence[str],
    targets: Sequence[str],
    src_lang: str,
    tgt_lang: str,
    doc_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    n = len(targets)
    return pd.DataFrame(
        {
            "segment_id": list(ids),
            "doc_id": list(doc_ids) if doc_ids is not None else [""] * n,
            "source": list(sources),
            "target": list(targets),
            "src_lang": [src_lang] * n,
            "tgt_lang": [tgt_lang] * n,
        }
    )


def md_table(rows: Sequence[Sequence[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def md_cell(text: str, limit: int = 110) -> str:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("|", "\\|").replace("`", "'")


def per_k(n: int, total: int) -> str:
    return f"{1000 * n / total:.1f}" if total else "-"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


# --------------------------------------------------------------------------- 1+2: WMT


@dataclass
class FileResult:
    pair: str
    name: str  # ref.en, ref2.en, sys/Online-B.en
    kind: str  # "ref" or "sys"
    segments: int
    langid_segments: int  # segments LG001/LG002 ran on
    findings: pd.DataFrame

    @property
    def label(self) -> str:
        return f"{self.pair}/{self.name}"

    def denominator(self, rule: str) -> int:
        return self.langid_segments if rule in LANGID_RULES else self.segments


def audit_pair(pair_dir: Path, sys_langid_lines: int) -> list[FileResult]:
    src_lang, tgt_lang = pair_dir.name.split("-")
    sources = read_lines(pair_dir / f"src.{src_lang}")
    ids = [str(i + 1) for i in range(len(sources))]
    docids_file = pair_dir / "docids.tsv"  # document of each line, where known (CN001 groups by it)
    docs = [""] * len(ids)
    if docids_file.exists():
        docs = [line.split("\t")[0] for line in read_lines(docids_file)]
    out: list[FileResult] = []
    refs = sorted(p for p in pair_dir.glob(f"ref*.{tgt_lang}"))
    for path in refs:
        targets = read_lines(path)
        found = run_audit(frame_of(ids, sources, targets, src_lang, tgt_lang, docs))
        out.append(FileResult(pair_dir.name, path.name, "ref", len(targets), len(targets), found))
    for path in sorted((pair_dir / "sys").iterdir()) if SYSTEMS else ():
        targets = read_lines(path)
        n = len(targets)
        cut = n if sys_langid_lines <= 0 else min(n, sys_langid_lines)
        parts = [run_audit(frame_of(ids[:cut], sources[:cut], targets[:cut], src_lang, tgt_lang, docs[:cut]))]
        if cut < n:
            rest = frame_of(ids[cut:], sources[cut:], targets[cut:], src_lang, tgt_lang, docs[cut:])
            parts.append(run_audit(rest, ignore=LANGID_RULES))
        found = pd.concat(parts, ignore_index=True)
        out.append(FileResult(pair_dir.name, f"sys/{path.name}", "sys", n, cut, found))
    return out


def rule_counts(result: FileResult) -> Counter[str]:
    return Counter(result.findings["rule"].tolist())


def spread_examples(results: Sequence[FileResult], rule: str, limit: int) -> list[str]:
    """Up to ``limit`` examples of ``rule``, taken round-robin over the files."""
    queues = []
    for r in results:
        hits = r.findings[r.findings["rule"] == rule]
        queues.append([(r.label, row) for row in hits.itertuples(index=False)])
    shown: list[str] = []
    depth = 0
    while len(shown) < limit and any(depth < len(q) for q in queues):
        for q in queues:
            if depth < len(q) and len(shown) < limit:
                label, row = q[depth]
                text = f"{md_cell(row.message, 90)} — «{md_cell(row.excerpt)}»"
                shown.append(f"`{label}:{row.segment_id}` {text}")
        depth += 1
    return shown


def references_section(results: Sequence[FileResult], rules: Sequence[str], examples: int) -> list[str]:
    refs = [r for r in results if r.kind == "ref"]
    counts = {r.label: rule_counts(r) for r in refs}
    total_counts: Counter[str] = sum(counts.values(), Counter())
    fired = [c for c in rules if total_counts[c]]
    total_segments = sum(r.segments for r in refs)
    out = ["## 1. False positives on human references", ""]
    out.append(
        f"{len(refs)} reference files, {total_segments:,} segments, every rule, with source and "
        "languages. Cells: findings (findings per 1,000 segments). Rules with no finding on any "
        f"reference: {', '.join(c for c in rules if not total_counts[c]) or 'none'}."
    )
    out.append("")
    head = ["file", "segments", "all", "segments with warning/error", *fired]
    rows: list[list[str]] = [head]
    over: list[str] = []
    flagged_total = 0
    for r in refs:
        c = counts[r.label]
        n_all = sum(c.values())
        failing = r.findings[r.findings["severity"].isin(FAILING)]
        flagged = failing["segment_id"].nunique()
        flagged_total += flagged
        for code, n in failing.groupby("rule")["segment_id"].nunique().items():
            if n / r.segments > 0.001:
                over.append(f"{code} on {r.label} ({n} segments, {per_k(n, r.segments)})")
        rows.append(
            [
                r.label,
                f"{r.segments:,}",
                f"{n_all} ({per_k(n_all, r.segments)})",
                f"{flagged} ({per_k(flagged, r.segments)})",
                *(f"{c[k]} ({per_k(c[k], r.segments)})" if c[k] else "·" for k in fired),
            ]
        )
    n_all = sum(total_counts.values())
    rows.append(
        [
            "**all references**",
            f"{total_segments:,}",
            f"{n_all} ({per_k(n_all, total_segments)})",
            f"**{flagged_total} ({per_k(flagged_total, total_segments)})**",
            *(f"**{total_counts[k]} ({per_k(total_counts[k], total_segments)})**" for k in fired),
        ]
    )
    out += [md_table(rows), ""]
    out.append(
        "Warning/error rules above 1 flagged segment per 1,000 in a file: "
        + ("; ".join(sorted(over)) if over else "none")
        + ". Info findings (CN001, CQ001, PU025, WS007 …) do not fail a gate and are not counted "
        "in *segments with warning/error*."
    )
    out.append("")
    out += [f"### Examples on references (up to {examples} per rule, spread over the files)", ""]
    for code in fired:
        name = RULES[code].name if code in RULES else "?"
        out.append(f"**{code}** ({name}, {total_counts[code]} findings)")
        out.append("")
        out += [f"- {line}" for line in spread_examples(refs, code, examples)]
        out.append("")
    return out


def systems_section(
    results: Sequence[FileResult], rules: Sequence[str], examples: int, sys_langid_lines: int
) -> list[str]:
    systems = [r for r in results if r.kind == "sys"]
    refs = [r for r in results if r.kind == "ref"]
    pairs = sorted({r.pair for r in systems})
    all_counts: Counter[str] = sum((rule_counts(r) for r in systems), Counter())
    fired = [c for c in rules if all_counts[c]]
    out = ["## 2. Hits on system outputs", ""]
    lg_note = (
        f"LG001/LG002 ran on the first {sys_langid_lines} lines of each system file "
        "(their rates use that denominator); "
        if sys_langid_lines > 0
        else "LG001/LG002 ran on every line; "
    )
    out.append(
        f"{len(systems)} system files, {sum(r.segments for r in systems):,} segments. {lg_note}every "
        "other rule on every line. Cells: findings per 1,000 segments over the pair's systems, "
        "then (in brackets) the same on the pair's references; a rule that separates MT from "
        "human text has a left number well above the right one."
    )
    out.append("")
    rows: list[list[str]] = [["pair", "systems", *fired]]
    for pair in [*pairs, "all"]:
        sel = [r for r in systems if pair in ("all", r.pair)]
        rsel = [r for r in refs if pair in ("all", r.pair)]
        cells = []
        for code in fired:
            n = sum(rule_counts(r)[code] for r in sel)
            d = sum(r.denominator(code) for r in sel)
            rn = sum(rule_counts(r)[code] for r in rsel)
            rd = sum(r.denominator(code) for r in rsel)
            cells.append(f"{per_k(n, d)} ({per_k(rn, rd)})" if n or rn else "·")
        rows.append([f"**{pair}**" if pair == "all" else pair, str(len(sel)), *cells])
    out += [md_table(rows), ""]

    out += ["### Findings per system file (counts)", ""]
    rows = [["system file", "segments", *fired]]
    for r in systems:
        c = rule_counts(r)
        rows.append([r.label, f"{r.segments:,}", *(str(c[k]) if c[k] else "·" for k in fired)])
    out += [md_table(rows), ""]

    out += ["### TL001 legacy toponyms per system", ""]
    rows = [
        [
            "pair",
            "systems with TL001",
            "systems writing 'Kiev'",
            "references writing 'Kiev'",
            "flagged names (findings)",
        ]
    ]
    for pair in pairs:
        sel = [r for r in systems if r.pair == pair]
        tl = [r for r in sel if (r.findings["rule"] == "TL001").any()]
        kiev = [r for r in sel if _kiev(r)]
        rkiev = [r for r in refs if r.pair == pair and _kiev(r)]
        names: Counter[str] = Counter()
        for r in sel:
            hits = r.findings[r.findings["rule"] == "TL001"]
            names.update(_flagged_text(row) for row in hits.itertuples(index=False))
        if not tl and not rkiev:
            continue
        per_system = ", ".join(
            f"{Path(r.name).stem} {int((r.findings['rule'] == 'TL001').sum())}" for r in tl
        )
        rows.append(
            [
                pair,
                f"{len(tl)}/{len(sel)} ({per_system})",
                f"{len(kiev)}/{len(sel)}",
                f"{len(rkiev)}/{len([r for r in refs if r.pair == pair])}",
                ", ".join(f"{k} {v}" for k, v in names.most_common(8)),
            ]
        )
    out += [md_table(rows), ""]

    out += [f"### Examples on system outputs (up to {examples} per rule)", ""]
    for code in fired:
        out.append(f"**{code}** ({all_counts[code]} findings)")
        out.append("")
        out += [f"- {line}" for line in spread_examples(systems, code, examples)]
        out.append("")
    return out


def _kiev(r: FileResult) -> bool:
    hits = r.findings[r.findings["rule"] == "TL001"]
    return bool(hits["message"].str.contains("Kiev", regex=False).any())


def _flagged_text(row: Any) -> str:
    """The flagged word, taken from the message's first quoted text."""
    msg = str(row.message)
    for q in ("'", "“", "`", '"'):
        if q in msg:
            parts = msg.split(q)
            if len(parts) > 2:
                return parts[1]
    return msg[:30]


# --------------------------------------------------------------------------- 3: pofilter cases


def audit_pofilter_cases(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    cases = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3)
    frame = pd.DataFrame(
        {
            "segment_id": cases["id"],
            "doc_id": cases["id"],  # every case stands alone
            "source": cases["source"],
            "target": cases["target"],
            "src_lang": cases["src_lang"],
            "tgt_lang": cases["tgt_lang"],
        }
    )
    return cases, run_audit(frame)


def pofilter_section(cases: pd.DataFrame, found: pd.DataFrame) -> list[str]:
    by_case: dict[str, set[str]] = defaultdict(set)
    rules_by_case: dict[str, set[str]] = defaultdict(set)
    for row in found.itertuples(index=False):
        by_case[str(row.segment_id)].add(str(row.category))
        rules_by_case[str(row.segment_id)].add(str(row.rule))
    expected = {str(r.id): ({str(r.expect)} if r.expect else set()) for r in cases.itertuples(index=False)}
    categories = sorted({c for e in expected.values() for c in e} | {c for p in by_case.values() for c in p})
    out = ["## 3. pofilter test cases", ""]
    out.append(
        f"{len(cases)} cases from translate-toolkit's pofilter tests; expected category in `expect` "
        "(empty = pofilter passes the pair). A case counts as found for a category when any "
        "finding of that category is on it."
    )
    out.append("")
    rows = [["category", "expected cases", "found", "TP", "FP", "FN", "precision", "recall", "F1"]]
    tp_all = fp_all = fn_all = 0
    for cat in categories:
        tp = sum(1 for i, e in expected.items() if cat in e and cat in by_case[i])
        fp = sum(1 for i, e in expected.items() if cat not in e and cat in by_case[i])
        fn = sum(1 for i, e in expected.items() if cat in e and cat not in by_case[i])
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        f = 2 * p * r / (p + r) if p + r and p == p and r == r else float("nan")
        rows.append([cat, str(tp + fn), str(tp + fp), str(tp), str(fp), str(fn), _f(p), _f(r), _f(f)])
    p = tp_all / (tp_all + fp_all) if tp_all + fp_all else float("nan")
    r = tp_all / (tp_all + fn_all) if tp_all + fn_all else float("nan")
    f = 2 * p * r / (p + r) if p + r else float("nan")
    rows.append(
        [
            "**micro-average**",
            str(tp_all + fn_all),
            str(tp_all + fp_all),
            str(tp_all),
            str(fp_all),
            str(fn_all),
            _f(p),
            _f(r),
            _f(f),
        ]
    )
    out += [md_table(rows), ""]
    clean = [i for i, e in expected.items() if not e]
    flagged_clean = [i for i in clean if by_case[i]]
    rate = ratio(len(flagged_clean), len(clean))
    out.append(f"**False-positive rate on the cases pofilter passes**: {rate} get at least one finding.")
    out.append("")
    info = {str(r.id): r for r in cases.itertuples(index=False)}

    def line(i: str) -> str:
        c = info[i]
        found_txt = ", ".join(sorted(rules_by_case[i])) or "nothing"
        return (
            f"`{i}` {c.src_lang!s}→{c.tgt_lang!s} expect **{c.expect or '-'!s}**, found {found_txt}: "
            f"«{md_cell(str(c.source), 60)}» → «{md_cell(str(c.target), 60)}» ({c.note!s})"
        )

    misses = [i for i, e in expected.items() if e and not e <= by_case[i]]
    out += [f"### Misses ({len(misses)}: expected category not found)", ""]
    out += [f"- {line(i)}" for i in misses] + [""]
    alarms = [i for i, e in expected.items() if by_case[i] - e]
    out += [f"### False alarms ({len(alarms)}: a category found that was not expected)", ""]
    out += [f"- {line(i)}" for i in alarms] + [""]
    return out


def _f(x: float) -> str:
    return "-" if x != x else f"{x:.2f}"


# --------------------------------------------------------------------------- 4: MQM

# MQM category (as written in the `mqm` field) -> tqaudit categories it can be evidence for.
# Fluency/Punctuation and Fluency/Spelling whose marked span is only whitespace count as
# `whitespace` instead (see mqm_categories).
MQM_MAP: dict[str, tuple[str, ...]] = {
    "Fluency/Punctuation": ("punctuation",),
    "Fluency/Spelling": (),  # capitalisation / abbreviation style: no tqaudit rule; whitespace spans below
    "Fluency/Character encoding": ("markup",),
    "Fluency/Display": ("markup",),
    "Fluency/Inconsistency": ("consistency",),
    "Terminology/Inconsistent": ("consistency", "terminology"),
    "Terminology/Inconsistent use of terminology": ("consistency", "terminology"),
    "Terminology/Inappropriate for context": ("terminology",),
    "Accuracy/Source language fragment": ("language",),
    "Accuracy/Untranslated text": ("language",),
    "Non-translation": ("language", "repetition", "fidelity"),
    "Locale convention/Name format": ("transliteration",),
    "Locale convention/Date format": ("fidelity",),
    "Locale convention/Time format": ("fidelity",),
    "Locale convention/Currency format": ("fidelity",),
    "Locale convention/Address format": ("fidelity",),
    "Style/Unnatural or awkward": ("calque",),
    "Style/Awkward": ("calque",),
    "Style/Bad sentence structure": ("repetition",),
    "Accuracy/Omission": ("fidelity",),
    "Accuracy/Addition": ("fidelity", "repetition", "boilerplate"),
    "Accuracy/Mistranslation": ("fidelity",),
}
MQM_IGNORED = ("Source issue", "Source error")  # problems of the source, not of the target
MQM_DATASETS = (
    ("zh-en.tsv", "WMT23 zh-en"),
    ("en-de.tsv", "WMT23 en-de"),
    ("ted2021/zh-en.tsv", "TED21 zh-en"),
    ("ted2021/en-de.tsv", "TED21 en-de"),
)


@dataclass
class MqmItem:
    category: str
    severity: str
    start: int  # -1 for a span in the source
    end: int
    mapped: tuple[str, ...] = field(default_factory=tuple)


def parse_mqm(field_text: str, target: str) -> list[MqmItem]:
    items = []
    for raw in filter(None, field_text.split(";")):
        cat, sev, rng = raw.rsplit(":", 2)
        if cat in MQM_IGNORED:
            continue
        if rng.startswith("src"):
            start = end = -1
        else:
            a, b = rng.split("-")
            start, end = int(a), int(b)
        mapped = MQM_MAP.get(cat, ())
        if cat in ("Fluency/Punctuation", "Fluency/Spelling") and start >= 0:
            span = target[start:end]
            if span and not span.strip():
                mapped = ("whitespace",)
        items.append(MqmItem(cat, sev, start, end, mapped))
    return items


def audit_mqm(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3)
    frame = pd.DataFrame(
        {
            "segment_id": rows["id"],
            "doc_id": rows["system"],  # one system's outputs form a corpus (CN001 compares within it)
            "source": rows["source"],
            "target": rows["target"],
            "src_lang": rows["src_lang"],
            "tgt_lang": rows["tgt_lang"],
        }
    )
    return rows, run_audit(frame)


def _overlaps(s: int, e: int, item: MqmItem) -> bool:
    if item.start < 0 or s < 0:
        return False
    if item.start == item.end:  # insertion point
        return s <= item.start <= e
    return max(s, item.start) < min(e, item.end)


def mqm_section(data: Sequence[tuple[str, pd.DataFrame, pd.DataFrame]], examples: int) -> list[str]:
    out = ["## 4. MQM annotations (WMT23 SxS MQM, WMT21 TED MQM)", ""]
    out.append(
        "Each row is one MT output with the union of its raters' MQM error spans. `Source issue` / "
        "`Source error` items are ignored (problems of the source). Spans are Unicode code-point "
        "offsets into the target (end exclusive; `srcA-B` spans, i.e. omissions, lie in the source and "
        "count at row level only), so findings with offsets can be compared span by span."
    )
    out += ["", "### Mapping MQM → tqaudit categories", ""]
    rows = [["MQM category", "tqaudit categories"]]
    for cat, mapped in MQM_MAP.items():
        rows.append([cat, ", ".join(mapped) or "none"])
    rows.append(["Fluency/Punctuation or Fluency/Spelling whose span is only whitespace", "whitespace"])
    rows.append(
        [
            "Fluency/Grammar, Fluency/Register, Fluency/Text-Breaking, Accuracy/Gender Mismatch, "
            "Accuracy/Creative Reinterpretation, Style/Archaic…, Other",
            "none",
        ]
    )
    rows.append([", ".join(MQM_IGNORED), "ignored"])
    out += [md_table(rows), ""]
    out.append(
        "Columns: *rows flagged* = rows with a finding of the category; *P(any)* = share of them with "
        "any MQM error (compare with the base rate: the share of all rows with an error); *P(mapped)* = "
        "share with an MQM error mapped to that category; *recall* = of rows with a mapped error, the "
        "share we flag with that category; *no-error rate* = share of rows without any MQM error that "
        "we flag; *span P* = findings with offsets that overlap a mapped MQM span of that row; "
        "*span R* = mapped target-side MQM spans overlapped by a finding of the category."
    )
    out.append("")
    cat_rows = [
        [
            "data",
            "category",
            "rows flagged",
            "P(any)",
            "P(mapped)",
            "mapped rows",
            "recall",
            "no-error rate",
            "span P",
            "span R",
        ]
    ]
    rule_rows = [
        [
            "data",
            "rule",
            "rows flagged",
            "P(any)",
            "P(mapped)",
            "no-error rows flagged",
            "span overlap (mapped)",
            "span overlap (any MQM)",
        ]
    ]
    clean_examples: dict[str, list[str]] = defaultdict(list)
    for name, rows_df, found in data:
        items = {str(r.id): parse_mqm(str(r.mqm), str(r.target)) for r in rows_df.itertuples(index=False)}
        n_rows = len(items)
        with_error = {i for i, its in items.items() if its}
        clean = set(items) - with_error
        mapped_rows: dict[str, set[str]] = defaultdict(set)
        for i, its in items.items():
            for it in its:
                for c in it.mapped:
                    mapped_rows[c].add(i)
        flagged_cat: dict[str, set[str]] = defaultdict(set)
        flagged_rule: dict[str, set[str]] = defaultdict(set)
        for row in found.itertuples(index=False):
            flagged_cat[str(row.category)].add(str(row.segment_id))
            flagged_rule[str(row.rule)].add(str(row.segment_id))
        base = f"{name} (base rate {pct(len(with_error), n_rows)} of {n_rows:,} rows)"
        cats = sorted(set(flagged_cat) | set(mapped_rows))
        for cat in cats:
            fl = flagged_cat[cat]
            mr = mapped_rows[cat]
            hits = found[(found["category"] == cat) & (found["start"] >= 0)]
            span_hit = sum(
                1
                for h in hits.itertuples(index=False)
                if any(
                    cat in it.mapped and _overlaps(int(h.start), int(h.end), it)
                    for it in items[str(h.segment_id)]
                )
            )
            spans = [(i, it) for i, its in items.items() for it in its if cat in it.mapped and it.start >= 0]
            by_seg = hits.groupby("segment_id") if len(hits) else None
            covered = 0
            for i, it in spans:
                if by_seg is not None and i in by_seg.groups:
                    g = by_seg.get_group(i)
                    if any(_overlaps(int(s), int(e), it) for s, e in zip(g["start"], g["end"], strict=True)):
                        covered += 1
            cat_rows.append(
                [
                    base,
                    cat,
                    str(len(fl)),
                    ratio(len(fl & with_error), len(fl)),
                    ratio(len(fl & mr), len(fl)),
                    str(len(mr)),
                    ratio(len(fl & mr), len(mr)),
                    ratio(len(fl & clean), len(clean)),
                    ratio(span_hit, len(hits)),
                    ratio(covered, len(spans)),
                ]
            )
            base = ""
        category_of = dict(zip(found["rule"], found["category"], strict=True))
        for code in sorted(flagged_rule):
            cat = str(category_of[code])
            fl = flagged_rule[code]
            hits = found[(found["rule"] == code) & (found["start"] >= 0)]
            mapped_hit = any_hit = 0
            for h in hits.itertuples(index=False):
                its = items[str(h.segment_id)]
                if any(_overlaps(int(h.start), int(h.end), it) for it in its):
                    any_hit += 1
                    if any(cat in it.mapped and _overlaps(int(h.start), int(h.end), it) for it in its):
                        mapped_hit += 1
            rule_rows.append(
                [
                    name,
                    code,
                    str(len(fl)),
                    ratio(len(fl & with_error), len(fl)),
                    ratio(len(fl & mapped_rows[cat]), len(fl)),
                    ratio(len(fl & clean), len(clean)),
                    ratio(mapped_hit, len(hits)),
                    ratio(any_hit, len(hits)),
                ]
            )
            for h in found[found["rule"] == code].itertuples(index=False):
                if str(h.segment_id) in clean and len(clean_examples[code]) < examples:
                    clean_examples[code].append(
                        f"`{h.segment_id}` {md_cell(str(h.message), 90)} — «{md_cell(str(h.excerpt))}»"
                    )
    out += ["### Per tqaudit category", "", md_table(cat_rows), ""]
    out += ["### Per rule", "", md_table(rule_rows), ""]
    out += [f"### Findings on rows without any MQM error (up to {examples} per rule)", ""]
    for code in sorted(clean_examples):
        out.append(f"**{code}**")
        out.append("")
        out += [f"- {line}" for line in clean_examples[code]] + [""]
    return out


# --------------------------------------------------------------------------- driver


def _task(job: tuple[str, str, int]) -> tuple[str, str, Any, float]:
    """Run one job; returns its result and the CPU seconds it took (robust to a busy machine)."""
    kind, arg, n = job
    start = time.process_time()
    result: Any
    if kind == "wmt":
        result = audit_pair(Path(arg), n)
    elif kind == "pofilter":
        result = audit_pofilter_cases(Path(arg))
    else:
        result = audit_mqm(Path(arg))
    return kind, arg, result, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", default=str(SHARED / "wmt"))
    parser.add_argument("--pofilter", default=str(SHARED / "pofilter-cases.tsv"))
    parser.add_argument("--mqm", default=str(SHARED / "mqm"))
    parser.add_argument(
        "--sys-langid-lines",
        type=int,
        default=300,
        help="LG001/LG002 on the first N lines of each system file (0 = all)",
    )
    parser.add_argument("--examples", type=int, default=5, help="examples per rule on references")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "evaluation.md"))
    parser.add_argument("--select", default="ALL", help="rule codes or prefixes, comma-separated")
    parser.add_argument(
        "--no-systems", action="store_true", help="skip the system outputs (a quick false-positive check)"
    )
    args = parser.parse_args(argv)
    global SELECT, SYSTEMS
    SELECT = tuple(c.strip() for c in args.select.split(",") if c.strip())
    SYSTEMS = not args.no_systems
    started = time.perf_counter()
    load_rules()
    rules = sorted(RULES)

    wmt = Path(args.wmt)
    pair_dirs = sorted(p for p in wmt.iterdir() if p.is_dir() and "-" in p.name)
    jobs: list[tuple[str, str, int]] = [("wmt", str(p), args.sys_langid_lines) for p in pair_dirs]
    mqm_dir = Path(args.mqm)
    jobs += [("mqm", str(mqm_dir / f), 0) for f, _ in MQM_DATASETS if (mqm_dir / f).exists()]
    jobs.append(("pofilter", args.pofilter, 0))
    # Biggest first so that two workers finish together.
    jobs.sort(
        key=lambda j: (
            -(Path(j[1]).stat().st_size if j[0] != "wmt" else 10**9 * len(list(Path(j[1]).glob("ref*"))))
        )
    )
    results: dict[tuple[str, str], Any] = {}
    timings: list[tuple[str, float]] = []
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.processes) as pool:
        for kind, arg, result, seconds in pool.imap_unordered(_task, jobs):
            results[(kind, arg)] = result
            timings.append((f"{kind} {Path(arg).parent.name}/{Path(arg).name}", seconds))
            print(f"done {kind} {arg}: {seconds:.1f} CPU-s", file=sys.stderr)

    file_results: list[FileResult] = []
    for p in pair_dirs:
        file_results += results[("wmt", str(p))]
    file_results.sort(key=lambda r: (r.kind, r.pair, r.name))
    # Rules may be added to the package while this runs: report every code that produced a finding.
    load_rules()
    found_codes = {c for r in file_results for c in r.findings["rule"]}
    for key, value in results.items():
        if key[0] != "wmt":
            found_codes |= set(value[1]["rule"])
    rules = sorted(set(RULES) | found_codes)

    out = ["# tqaudit rules against external data", ""]
    out.append(
        f"tqaudit {tqaudit.__version__}, {len(rules)} rules ({', '.join(rules)}), default options, "
        f"`fail_on=never`. Generated by `python benchmarks/evaluate_rules.py` "
        f"(`--sys-langid-lines {args.sys_langid_lines}`); data read from `{wmt.parent}` (not copied). "
        "WMT segments carry the pair's `docids.tsv` document ids where it exists, MQM rows their "
        "system, as `doc_id` (CN001 compares translations within one document)."
    )
    out.append("")
    out += references_section(file_results, rules, args.examples)
    out += systems_section(file_results, rules, min(3, args.examples), args.sys_langid_lines)
    cases, found = results[("pofilter", args.pofilter)]
    out += pofilter_section(cases, found)
    mqm_data = [
        (label, *results[("mqm", str(mqm_dir / f))])
        for f, label in MQM_DATASETS
        if ("mqm", str(mqm_dir / f)) in results
    ]
    out += mqm_section(mqm_data, min(3, args.examples))
    wall = time.perf_counter() - started
    cpu = sum(v for _, v in timings)
    out.append(
        f"_Run time: {wall:.0f} s wall on {args.processes} processes (1-minute load average at the "
        f"end {os.getloadavg()[0]:.1f}); {cpu:.0f} CPU-seconds in the tasks, i.e. about "
        f"{cpu / args.processes:.0f} s on {args.processes} idle cores. CPU-seconds per task: "
        + ", ".join(f"{k} {v:.0f}" for k, v in sorted(timings))
        + "._"
    )
    out.append("")
    report = "\n".join(out)
    print(report)
    write_text(Path(args.out), report)  # atomic: never a half-written result file
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
