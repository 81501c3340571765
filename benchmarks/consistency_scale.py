"""The consistency rules (CN001-CN004) on 100k to 1M segments: time, memory, chunk invariance.

Usage::

    PYTHONPATH=. python benchmarks/consistency_scale.py /path/to/wmt \\
        [--sizes 100000,250000,500000,1000000] [--out benchmarks/results/consistency_scale.md]

The corpus is built from the WMT22 data (read where it lies, never copied): every pair's
source with each of its references and system outputs, one document per file and copy
(its lines keep their WMT document inside it as ``doc_id``), repeated until the size is
reached; a tenth of the copies get a sentence, a name and an acronym changed, so groups with
several variants exist at every size. Each size runs in a fresh process, so peak memory is
its own: the rules see the corpus chunk by chunk (2,000 segments, as the engine), each
chunk's state merged into a running one, then ``finish`` once. Timed (CPU and wall seconds):
``collect`` + merge + ``finish``, not the building of the chunks (which every rule shares).
Memory: the process's peak resident size minus its size before the rules ran (the corpus
table itself excluded).

Then, on the first size, the findings of chunks of 2,000 and of 777 segments are compared
with one pass over the whole corpus as a single chunk: they must be identical.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import emit

from tqaudit import engine
from tqaudit.chunk import Chunk, SegmentRow
from tqaudit.config import Config
from tqaudit.rules.base import Inputs

CODES = ("CN001", "CN002", "CN003", "CN004")
CHUNK = 2000


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").removesuffix("\n").split("\n")


def build(wmt: Path, size: int) -> pd.DataFrame:
    """``size`` segments from the WMT22 files, as the module docstring says."""
    files = []
    for pair in sorted(p for p in wmt.iterdir() if p.is_dir()):
        src_lang, tgt_lang = pair.name.split("-")
        sources = _lines(pair / f"src.{src_lang}")
        docids = pair / "docids.tsv"
        docs = [line.split("\t")[0] for line in _lines(docids)] if docids.exists() else [""] * len(sources)
        targets = sorted(pair.glob(f"ref*.{tgt_lang}")) + sorted((pair / "sys").iterdir())
        files += [(f"{pair.name}/{p.name}", sources, docs, _lines(p), src_lang, tgt_lang) for p in targets]
    columns: dict[str, list[str]] = {k: [] for k in ("doc_id", "source", "target", "src_lang", "tgt_lang")}
    copy = 0
    while len(columns["target"]) < size:
        for name, sources, docs, targets, src_lang, tgt_lang in files:
            if copy % 10 == 9:  # a copy that drifts: other variants for the same groups
                targets = [_drift(t) for t in targets]
            columns["doc_id"] += [f"{name}#{copy}:{d}" for d in docs]
            columns["source"] += sources
            columns["target"] += targets
            columns["src_lang"] += [src_lang] * len(sources)
            columns["tgt_lang"] += [tgt_lang] * len(sources)
            if len(columns["target"]) >= size:
                break
        copy += 1
    frame = pd.DataFrame({k: v[:size] for k, v in columns.items()})
    frame.insert(0, "segment_id", [str(i + 1) for i in range(size)])
    return frame


def _drift(text: str) -> str:
    return text.replace("Kyiv", "Kiev").replace("the ", "The ", 1).replace("NATO", "OTAN")


def rules() -> list[Any]:
    return engine.build_rules(Config(select=CODES))


def run(frame: pd.DataFrame, chunk_size: int) -> tuple[list[tuple[Any, ...]], float, float]:
    """The CN findings of ``frame`` seen in chunks of ``chunk_size``, and the wall and CPU
    seconds the rules took (collect, merge, finish)."""
    checked = rules()
    wall = cpu = 0.0
    state: dict[str, Any] = {}
    for offset in range(0, len(frame), chunk_size):
        chunk = Chunk.from_frame(frame.iloc[offset : offset + chunk_size].reset_index(drop=True))
        began, began_cpu = time.perf_counter(), time.process_time()
        part = engine.collect(checked, chunk, offset)
        state = engine.merge_states(checked, [state, part])
        wall += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
    began, began_cpu = time.perf_counter(), time.process_time()
    hits = engine.finish(checked, state, Inputs(lookup=lambda wanted: _scan(frame, wanted)))
    wall += time.perf_counter() - began
    cpu += time.process_time() - began_cpu
    found = sorted((pos, rule.code, hit.start, hit.end, hit.message) for pos, rule, hit in hits)
    return found, wall, cpu


def _scan(frame: pd.DataFrame, wanted: Any) -> Iterator[tuple[int, SegmentRow]]:
    """The texts the rules read back at ``finish`` (the engine reads them from its store)."""
    columns = [frame[c].tolist() for c in SegmentRow._fields]
    for pos in sorted(wanted):
        yield pos, SegmentRow(*(column[pos] for column in columns))


def _rss_kb() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() // 1024


def one(wmt: Path, size: int) -> dict[str, Any]:
    frame = build(wmt, size)
    before = _rss_kb()
    found, wall, cpu = run(frame, CHUNK)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counts = {code: sum(1 for f in found if f[1] == code) for code in CODES}
    return {"size": size, "wall": wall, "cpu": cpu, "rules_mb": (peak - before) / 1024, "counts": counts}


def invariance(wmt: Path, size: int) -> str:
    frame = build(wmt, size)
    whole, _, _ = run(frame, len(frame))
    lines = []
    for chunk_size in (CHUNK, 777):
        found, _, _ = run(frame, chunk_size)
        same = "identical" if found == whole else "DIFFERENT"
        lines.append(
            f"- {size:,} segments in chunks of {chunk_size:,}: {len(found):,} findings, {same} to one pass"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wmt", type=Path)
    parser.add_argument("--sizes", default="100000,250000,500000,1000000")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)  # a size, in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.wmt, args.one)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        command = [sys.executable, __file__, str(args.wmt), "--one", str(size)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout))
        print(rows[-1], file=sys.stderr)
    first = rows[0]
    lines = [
        "# Consistency rules at scale",
        "",
        f"`PYTHONPATH=. python benchmarks/consistency_scale.py WMT --sizes {args.sizes}` "
        f"(Python {platform.python_version()}, {platform.machine()}, one process; the 2-core machine "
        "is shared with other jobs, so wall seconds swing with their load; CPU seconds are the measure).",
        "",
        "| segments | CPU seconds | wall seconds | CPU µs per segment | CPU × the first's | "
        "rules' peak memory (MB) | " + " | ".join(CODES) + " |",
        "|" + "---|" * (6 + len(CODES)),
    ]
    for row in rows:
        ratio = row["cpu"] / first["cpu"]
        cells = " | ".join(f"{row['counts'][c]:,}" for c in CODES)
        lines.append(
            f"| {row['size']:,} | {row['cpu']:.1f} | {row['wall']:.1f} | "
            f"{1e6 * row['cpu'] / row['size']:.1f} | "
            f"{ratio:.2f} (size × {row['size'] / first['size']:.1f}) | {row['rules_mb']:.0f} | {cells} |"
        )
    lines += ["", "Chunked state against one pass:", "", invariance(args.wmt, sizes[0]), ""]
    text = "\n".join(lines)
    emit(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
