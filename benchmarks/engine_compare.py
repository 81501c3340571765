"""The local engine and ``--engine dask`` (a LocalCluster) side by side on the same feed.

Usage::

    python benchmarks/engine_compare.py [WMT_DIR] [--lines-per-file 500]
                                        [--out benchmarks/results/engine_compare.md]

The feed is audit_speed's (the first N lines of every WMT22 system output, with sources), audited
without the rules that read language verdicts (so the language model does not dominate) by the
local engine with 1 and 2 worker processes and by a Dask ``LocalCluster`` of 2 single-threaded
worker processes, each in a fresh child process. The findings must be identical (their hash is
printed); wall seconds are the measure here (the cluster's workers are not this process's
children, so their CPU time is not counted), with the cluster's start-up included.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import DEFAULT_WMT, emit, langid_rules, load_rows, md_table

RUNS = (("local", 1), ("local", 2), ("dask", 2))


def measure(wmt: Path, limit: int, engine: str, jobs: int) -> dict[str, Any]:
    import pandas as pd

    import tqaudit

    rows = load_rows(wmt, limit)
    frame = pd.DataFrame(rows, columns=["segment_id", "doc_id", "source", "target", "src_lang", "tgt_lang"])
    config = tqaudit.Config(fail_on="never", jobs=jobs, engine=engine, ignore=langid_rules())
    start = time.perf_counter()
    result = tqaudit.audit(frame, config)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256(result.findings.to_csv(index=False).encode("utf-8")).hexdigest()[:16]
    return {"segments": len(frame), "seconds": seconds, "findings": len(result.findings), "digest": digest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wmt", nargs="?", default=str(DEFAULT_WMT))
    parser.add_argument("--lines-per-file", type=int, default=500)
    parser.add_argument("--out", help="write the table as Markdown")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(Path(args.wmt), args.lines_per_file, args.child[0], int(args.child[1]))))
        return 0
    results = []
    for engine, jobs in RUNS:
        print(f"{engine}, jobs={jobs} …", file=sys.stderr)
        cmd = [sys.executable, __file__, args.wmt, "--lines-per-file", str(args.lines_per_file)]
        out = subprocess.run([*cmd, "--child", engine, str(jobs)], capture_output=True, text=True, check=True)
        results.append((engine, jobs, json.loads(out.stdout.strip().splitlines()[-1])))
    base = results[0][2]["seconds"]
    head = ["engine", "workers", "wall s", "segments/s", "× local jobs 1", "findings", "findings hash"]
    rows = [head]
    for engine, jobs, r in results:
        rows.append(
            [
                engine,
                str(jobs),
                f"{r['seconds']:.1f}",
                f"{r['segments'] / r['seconds']:,.0f}",
                f"{base / r['seconds']:.2f}×",
                f"{r['findings']:,}",
                r["digest"],
            ]
        )
    text = (
        "# Local engine vs --engine dask (LocalCluster)\n\n"
        f"`python benchmarks/engine_compare.py --lines-per-file {args.lines_per_file}`: "
        f"{results[0][2]['segments']:,} segments, rules without language verdicts, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end. The cluster's start-up is included.\n\n"
        + md_table(rows)
        + "\n"
    )
    emit(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
