"""Consistency findings (CN rules) per WMT22 system output and per human reference.

Usage::

    PYTHONPATH=. python benchmarks/consistency_eval.py /path/to/wmt [--out FILE] [--examples N]

Each file (``ref*.<tgt>`` and ``sys/*``) of each pair is audited whole, with its source, as
one corpus: once with the pair's documents (``docids.tsv``, as ``doc_id``) and once without
(the whole file one corpus). The table gives findings per file and rule, and per 1,000
segments; ``--examples`` findings of system outputs, drawn with a fixed seed, are printed
with the segments they name, for checking by hand. Nothing is copied from the data.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import emit

import tqaudit
from tqaudit.config import Config
from tqaudit.findings import related_segments

CODES = ("CN001", "CN002", "CN003", "CN004")


def _lines(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    return text.removesuffix("\n").split("\n")  # only newlines split: WMT lines may hold U+2028


def _files(pair: Path) -> list[tuple[str, Path]]:
    tgt = pair.name.split("-")[1]
    refs = [("ref", p) for p in sorted(pair.glob(f"ref*.{tgt}"))]
    return refs + [("sys", p) for p in sorted((pair / "sys").iterdir())]


def audit_file(pair: Path, path: Path, with_docs: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    src_lang, tgt_lang = pair.name.split("-")
    sources = _lines(pair / f"src.{src_lang}")
    targets = _lines(path)
    docs = [""] * len(sources)
    if with_docs and (pair / "docids.tsv").exists():
        docs = [line.split("\t")[0] for line in _lines(pair / "docids.tsv")]
    frame = pd.DataFrame(
        {
            "id": [str(i + 1) for i in range(len(sources))],
            "doc_id": docs,
            "source": sources,
            "target": targets,
            "src_lang": src_lang,
            "tgt_lang": tgt_lang,
        }
    )
    result = tqaudit.audit(frame, Config(select=CODES, fail_on="never"))
    return result.segments, result.findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wmt", type=Path, help="the WMT22 folder (one sub-folder per pair)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args(argv)
    pairs = sorted(p for p in args.wmt.iterdir() if p.is_dir())
    lines = ["| pair | file | kind | segments | docs | " + " | ".join(CODES) + " | per 1,000 |", ""]
    lines[1] = "|" + "---|" * (6 + len(CODES))
    totals: dict[tuple[str, bool], Counter[str]] = {}
    sizes: Counter[tuple[str, bool]] = Counter()
    pool: list[tuple[str, pd.DataFrame, pd.Series]] = []
    for pair in pairs:
        for kind, path in _files(pair):
            for with_docs in (True, False):
                segments, findings = audit_file(pair, path, with_docs)
                counts = Counter(findings["rule"])
                totals.setdefault((kind, with_docs), Counter()).update(counts)
                sizes[(kind, with_docs)] += len(segments)
                rate = 1000 * len(findings) / max(1, len(segments))
                cells = " | ".join(str(counts.get(c, 0)) for c in CODES)
                name = path.name if kind == "ref" else f"sys/{path.name}"
                docs = "yes" if with_docs else "no"
                row = f"| {pair.name} | {name} | {kind} | {len(segments)} | {docs} | {cells} | {rate:.1f} |"
                lines.append(row)
                if kind == "sys" and with_docs:
                    pool += [(f"{pair.name}/{name}", segments, row) for _, row in findings.iterrows()]
            print(f"{pair.name} {path.name} done", file=sys.stderr)
    lines += ["", "Totals (per 1,000 segments):", ""]
    lines.append("| kind | docs | segments | " + " | ".join(CODES) + " |")
    lines.append("|" + "---|" * (3 + len(CODES)))
    for (kind, with_docs), counts in sorted(totals.items()):
        n = sizes[(kind, with_docs)]
        cells = " | ".join(f"{counts.get(c, 0)} ({1000 * counts.get(c, 0) / n:.2f})" for c in CODES)
        lines.append(f"| {kind} | {'yes' if with_docs else 'no'} | {n} | {cells} |")
    if args.examples:
        lines += ["", f"{args.examples} findings of system outputs (with documents), seed 10:", ""]
        for label, segments, row in random.Random(10).sample(pool, min(args.examples, len(pool))):
            target = dict(zip(segments["segment_id"], segments["target"], strict=True))
            lines.append(f"- {label} segment {row['segment_id']} {row['rule']}: {row['message']}")
            lines.append(f"  - here: {target[row['segment_id']]}")
            for sid in related_segments(row["message"])[:2]:
                lines.append(f"  - {sid}: {target.get(sid, '?')}")
    text = "\n".join(lines) + "\n"
    emit(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
