"""Recall and clean-flag rate per category on the project's own labelled set (``tests/labelled/``).

Usage::

    python benchmarks/labelled.py [--out benchmarks/results/labelled.md]

``tests/labelled/<src>-<tgt>.tsv`` (and ``boilerplate.tsv``, a share across pairs) holds
segments written for this project (not taken from any corpus): clean translations, near
misses (good translations that look like errors: decades, number words, exonyms,
grammatical repeats, historical names, faithful translations of site chrome) and
translations with one planted error, labelled with the category a tool should report. A labelled segment is
*detected* when a warning or error of its category is found on it; a clean segment is
*flagged* when any warning or error is found on it. Calques are reported at ``info`` by
design, so a finding of an ``INFO_CATEGORIES`` category counts at any severity, both ways.
``tests/test_labelled.py`` holds the floors; this script writes the table.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "labelled"
FAILING = ("warning", "error")
# Categories whose rules report at `info` by design (CQ001: a calque is a matter of style):
# their findings count at any severity, for detection and for clean segments flagged alike.
INFO_CATEGORIES = ("calque",)


def read_labelled(folder: Path = LABELLED) -> pd.DataFrame:
    """Every ``*.tsv`` of the labelled set as one table (cells verbatim: no quoting, no strip)."""
    frames = []
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        frames.append(pd.DataFrame(rows, dtype=str))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Outcome:
    """Per category: labelled cases and detections; over the clean cases: flags."""

    labelled: dict[str, int]
    detected: dict[str, int]
    clean: int
    clean_flagged: int
    flagged_ids: tuple[str, ...]
    missed_ids: tuple[str, ...]

    def recall(self, category: str | None = None) -> float:
        if category is None:
            return sum(self.detected.values()) / max(1, sum(self.labelled.values()))
        return self.detected.get(category, 0) / max(1, self.labelled[category])

    @property
    def clean_rate(self) -> float:
        return self.clean_flagged / max(1, self.clean)


def evaluate(cases: pd.DataFrame) -> Outcome:
    """Audit the labelled cases (each its own document) and compare with the labels."""
    import tqaudit

    frame = pd.DataFrame(
        {
            "segment_id": cases["id"],
            "doc_id": cases["id"],
            "source": cases["source"],
            "target": cases["target"],
            "src_lang": cases["src_lang"],
            "tgt_lang": cases["tgt_lang"],
        }
    )
    findings = tqaudit.audit(frame, tqaudit.Config(fail_on="never")).findings
    failing = findings[findings["severity"].isin(FAILING) | findings["category"].isin(INFO_CATEGORIES)]
    found: dict[str, set[str]] = {}
    for sid, cat in zip(failing["segment_id"], failing["category"], strict=True):
        found.setdefault(sid, set()).add(cat)
    labelled: dict[str, int] = {}
    detected: dict[str, int] = {}
    flagged: list[str] = []
    missed: list[str] = []
    for sid, expect in zip(cases["id"], cases["expect"], strict=True):
        if not expect:
            if sid in found:
                flagged.append(sid)
            continue
        labelled[expect] = labelled.get(expect, 0) + 1
        if expect in found.get(sid, set()):
            detected[expect] = detected.get(expect, 0) + 1
        else:
            missed.append(sid)
    clean = int((cases["expect"] == "").sum())
    return Outcome(labelled, detected, clean, len(flagged), tuple(flagged), tuple(missed))


def report(cases: pd.DataFrame, outcome: Outcome) -> str:
    pairs = sorted({f"{s}-{t}" for s, t in zip(cases["src_lang"], cases["tgt_lang"], strict=True)})
    out = ["# Own labelled set: recall and clean-flag rate per category", ""]
    out.append(
        f"{len(cases)} segments written for this project in {len(pairs)} language pairs "
        f"({', '.join(pairs)}), {outcome.clean} of them clean (near misses included); "
        "`python benchmarks/labelled.py`. Detected = a warning or error of the labelled category "
        f"(any finding for {', '.join(INFO_CATEGORIES)}, whose rule reports at info)."
    )
    out += ["", "| category | labelled | detected | recall |", "|---|---|---|---|"]
    for cat in sorted(outcome.labelled):
        out.append(
            f"| {cat} | {outcome.labelled[cat]} | {outcome.detected.get(cat, 0)} "
            f"| {outcome.recall(cat):.2f} |"
        )
    total = sum(outcome.labelled.values())
    out.append(f"| **all** | {total} | {sum(outcome.detected.values())} | {outcome.recall():.2f} |")
    out += [
        "",
        f"**Clean segments with a warning or error**: {outcome.clean_flagged}/{outcome.clean} "
        f"({outcome.clean_rate:.1%}).",
        "",
    ]
    text = dict(
        zip(cases["id"], zip(cases["source"], cases["target"], cases["expect"], strict=True), strict=True)
    )
    for title, ids in (("Clean segments flagged", outcome.flagged_ids), ("Missed", outcome.missed_ids)):
        out += [f"## {title} ({len(ids)})", ""]
        for sid in ids:
            src, tgt, exp = text[sid]
            out.append(f"- `{sid}` {exp or 'clean'}: «{src[:80]}» → «{tgt[:100]}»")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "labelled.md")
    args = parser.parse_args(argv)
    from tqaudit.io.writers import write_text

    cases = read_labelled()
    text = report(cases, evaluate(cases))
    print(text)
    write_text(args.out, text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
