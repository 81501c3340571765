"""Mine calque candidates: n-grams that MT systems use much more than human references.

Usage::

    python benchmarks/mine_calques.py PAIR_DIR [PAIR_DIR ...] [--top 40] [--out FILE]

A WMT pair folder (``src.<s>``, ``ref*.<t>``, ``sys/*.<t>``, line-aligned) gives the same
sources translated by people and by six systems. For every word n-gram (2 to 5 words) the
script counts the segments whose reference (mean over the references) and whose system output
(mean over the systems) contain it, and ranks the n-grams that the systems use in more
segments than the references: candidates for calques and other translationese. For each
candidate it lists the source stems that co-occur with it: the stems whose share among the
sources of the segments where the systems use the n-gram most exceeds their share among all
sources (the source phrase the calque renders). The output is a list to read, not a pack:
every entry of a calque pack is curated by hand (see the packs' comments).
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import emit

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
STOP_ONLY = re.compile(r"^(?:the|a|an|of|to|in|and|is|it|that|was|on|for|der|die|das|und|в|и|на)$")


def read(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="\n") as fh:
        return [line.rstrip("\n") for line in fh]


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def ngrams(text: str, low: int = 2, high: int = 5) -> set[str]:
    """The distinct word n-grams of a segment (lower-cased)."""
    toks = words(text)
    out: set[str] = set()
    for n in range(low, high + 1):
        for i in range(len(toks) - n + 1):
            gram = toks[i : i + n]
            if all(STOP_ONLY.match(t) for t in gram):
                continue
            out.add(" ".join(gram))
    return out


def stems(text: str) -> set[str]:
    """Source units: 5-letter word prefixes for alphabetic scripts, character bigrams for CJK."""
    out = {w[:5] for w in words(text) if len(w) >= 4 and not CJK.search(w)}
    chars = [c for c in text if CJK.match(c)]
    out |= {a + b for a, b in itertools.pairwise(chars)}
    return out


def segment_counts(lines: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        counts.update(ngrams(line))
    return counts


def candidates(
    refs: Sequence[Sequence[str]], systems: Sequence[Sequence[str]], min_sys: float, top: int
) -> list[tuple[str, float, float, float]]:
    """(n-gram, mean segments in references, mean segments per system, score), best first.

    The score is the log ratio with add-one smoothing, weighted by the system count so that
    frequent phrases rank above one-off oddities; an n-gram must appear in at least
    ``min_sys`` segments per system on average and in the output of most systems.
    """
    ref_counts = [segment_counts(r) for r in refs]
    sys_counts = [segment_counts(s) for s in systems]
    grams = set().union(*sys_counts)
    out = []
    for gram in grams:
        per_sys = [c.get(gram, 0) for c in sys_counts]
        s = sum(per_sys) / len(per_sys)
        if s < min_sys or sum(1 for v in per_sys if v) < (len(per_sys) + 1) // 2:
            continue
        r = sum(c.get(gram, 0) for c in ref_counts) / len(ref_counts)
        if s <= 2 * r:
            continue
        score = math.log((s + 1) / (r + 1)) * math.sqrt(s)
        out.append((gram, r, s, score))
    out.sort(key=lambda t: (-t[3], t[0]))
    return _drop_nested(out)[:top]


def _drop_nested(rows: list[tuple[str, float, float, float]]) -> list[tuple[str, float, float, float]]:
    """Keep one n-gram of a nest (``the framework of`` inside ``within the framework of``)."""
    kept: list[tuple[str, float, float, float]] = []
    for row in rows:
        if any(f" {row[0]} " in f" {k[0]} " or f" {k[0]} " in f" {row[0]} " for k in kept):
            continue
        kept.append(row)
    return kept


def source_stems(gram: str, src: Sequence[str], systems: Sequence[Sequence[str]], n: int = 4) -> list[str]:
    """The source stems most over-represented in the segments where the systems use ``gram``."""
    pattern = re.compile(rf"(?<!\w){re.escape(gram)}(?!\w)")
    rows = {i for s in systems for i, line in enumerate(s) if pattern.search(line.casefold())}
    if not rows:
        return []
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for i, line in enumerate(src):
        units = stems(line)
        total.update(units)
        if i in rows:
            inside.update(units)
    lift = {
        u: (c / len(rows)) / (total[u] / len(src)) for u, c in inside.items() if c >= max(2, len(rows) // 3)
    }
    best = sorted(lift, key=lambda u: (-lift[u] * inside[u], u))[:n]
    return [f"{u} ({inside[u]}/{len(rows)})" for u in best]


def mine(pair: Path, top: int, min_sys: float) -> list[str]:
    src_file = next(pair.glob("src.*"))
    src = read(src_file)
    refs = [read(p) for p in sorted(pair.glob("ref*.*"))]
    systems = [read(p) for p in sorted((pair / "sys").iterdir())]
    out = [
        f"## {pair.name}",
        "",
        f"{len(src)} segments, {len(refs)} reference(s), {len(systems)} systems "
        f"({', '.join(sorted(p.stem for p in (pair / 'sys').iterdir()))}).",
        "",
        "| n-gram | ref segs (mean) | sys segs (mean) | score | source stems in its segments |",
        "|---|---|---|---|---|",
    ]
    for gram, r, s, score in candidates(refs, systems, min_sys, top):
        stems_text = ", ".join(source_stems(gram, src, systems))
        out.append(f"| {gram} | {r:.1f} | {s:.1f} | {score:.2f} | {stems_text} |")
    return [*out, ""]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", type=Path, nargs="+", help="WMT pair folders")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--min-sys", type=float, default=3.0, help="min segments per system (mean)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(list(argv) if argv is not None else None)
    lines = ["# Calque candidates mined from WMT22 system outputs vs references", ""]
    for pair in args.pairs:
        lines += mine(pair, args.top, args.min_sys)
    text = "\n".join(lines)
    emit(text + "\n", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
