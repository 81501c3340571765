"""CPU time of TM001/TM002 with a large glossary on the audit_speed feed.

Usage::

    python benchmarks/glossary_speed.py [WMT] [--lines-per-file 500] [--terms 1000,10000]
                                        [--out benchmarks/results/glossary_speed.md]

The feed is the one of ``audit_speed.py`` (the first N lines of every WMT22 system output of
the 8 pairs, with sources and declared languages: 24,000 segments at N=500). The glossary is
generated from the feed itself, so that its terms do occur: the most frequent source words
(4+ letters) and word pairs of all pairs' sources, from rank 100 on, as source terms (70%
words), each rendered by a target
word of the feed from rank 300 on (so most renderings are missing and TM001 has work), and
one entry in ten with a forbidden target word from rank 1,000 on. It is written as a TSV
file in a temporary folder, never into the repository.

For each glossary size, the script times (process CPU) loading the glossary and building the
matchers of the feed's 8 language pairs, then ``tqaudit.audit`` with TM001 and TM002 only
(no language model: the feed declares its languages; the glossary is not loaded again),
each rule's ``check`` wrapped to add the CPU time spent in it. Stems are computed by
snowballstemmer, which runs PyStemmer's C code when that is installed (``tqaudit[fast]``):
the table says which.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import DEFAULT_WMT, emit, load_rows
from rule_speed import timed

import tqaudit
from tqaudit.rules import load_rules
from tqaudit.termmatch import stemmer_for, term_base

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "glossary_speed.md"
_WORD = re.compile(r"[^\W\d_]{4,}")


def frequent(texts: Iterable[str], pairs: bool) -> list[str]:
    """Words (or adjacent word pairs) of ``texts`` by falling frequency, ties alphabetical."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = _WORD.findall(text)
        counts.update(f"{a} {b}" for a, b in pairwise(words)) if pairs else counts.update(words)
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def make_glossary(rows: list[tuple[str, ...]], size: int) -> str:
    """A bilingual TSV glossary of ``size`` entries drawn from the feed (see the module)."""
    words = frequent((r[2] for r in rows), pairs=False)[100:]  # past the function words
    bigrams = frequent((r[2] for r in rows), pairs=True)[100:]
    renderings = frequent((r[3] for r in rows), pairs=False)[300:]
    sources = (words[: size * 7 // 10] + bigrams[: size - min(len(words), size * 7 // 10)])[:size]
    lines = ["source\ttarget\tforbidden"]
    for i, source in enumerate(sources):
        lines.append(f"{source}\t{renderings[i % len(renderings)]}\t")
        if i % 10 == 0:
            lines.append(f"{source}\t{renderings[(700 + i) % len(renderings)]}\tyes")
    return "\n".join(lines) + "\n"


def stemmer_kind() -> str:
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        return "snowballstemmer (pure Python)"
    return "snowballstemmer through PyStemmer (C)"


def measure(
    frame: Any, rows: list[tuple[str, ...]], size: int, folder: Path, spent: dict[str, float]
) -> dict[str, Any]:
    path = folder / f"glossary-{size}.tsv"
    path.write_text(make_glossary(rows, size), encoding="utf-8")
    stemmer_for.cache_clear()  # each size starts cold: no stems of an earlier run
    start = time.process_time()
    base = term_base([path])
    for src, tgt in sorted({(r[4], r[5]) for r in rows}):
        base.pair(src, tgt)
    build = time.process_time() - start
    spent.clear()
    config = tqaudit.Config(fail_on="never", jobs=1, select=("TM001", "TM002"), glossary=(path,))
    start = time.process_time()
    result = tqaudit.audit(frame, config)
    total = time.process_time() - start
    counts = result.findings["rule"].value_counts()
    entries = len(base.glossary.entries)
    return {
        "size": size,
        "entries": entries,
        "build": build,
        "total": total,
        "spent": dict(spent),
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wmt", nargs="?", default=str(DEFAULT_WMT))
    parser.add_argument("--lines-per-file", type=int, default=500)
    parser.add_argument("--terms", default="1000,10000", help="glossary sizes, comma-separated")
    parser.add_argument("--out", help=f"write the table as Markdown (e.g. {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)

    import pandas as pd

    rows = load_rows(Path(args.wmt), args.lines_per_file)
    columns = ("segment_id", "doc_id", "source", "target", "src_lang", "tgt_lang")
    frame = pd.DataFrame({name: [r[i] for r in rows] for i, name in enumerate(columns)})
    spent: dict[str, float] = defaultdict(float)
    for code in ("TM001", "TM002"):
        cls = load_rules()[code]
        cls.check = timed(cls.check, code, spent)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="tqaudit-glossary-bench-") as folder:
        runs = [measure(frame, rows, int(n), Path(folder), spent) for n in args.terms.split(",")]
    lines = [
        "# TM001/TM002 with a large glossary",
        "",
        f"Feed: {len(frame):,} segments (first {args.lines_per_file} lines of each WMT22 system output, "
        "8 pairs, languages declared). Glossary generated from the feed (see the script). "
        f"Stemmer: {stemmer_kind()}. "
        "Generated by `python benchmarks/glossary_speed.py --out ...`; process CPU seconds.",
        "",
        "| source terms | glossary rows | load + 8 pair matchers | TM001 check | TM002 check "
        "| whole audit | µs per segment | TM001 findings | TM002 findings |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        tm1, tm2 = r["spent"].get("TM001", 0.0), r["spent"].get("TM002", 0.0)
        lines.append(
            f"| {r['size']:,} | {r['entries']:,} | {r['build']:.2f} | {tm1:.2f} | {tm2:.2f} "
            f"| {r['total']:.2f} "
            f"| {r['total'] / len(frame) * 1e6:.0f} | {int(r['counts'].get('TM001', 0)):,} "
            f"| {int(r['counts'].get('TM002', 0)):,} |"
        )
    text = "\n".join(lines) + "\n"
    emit(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
