"""Segment-level BLEU + chrF throughput: tqaudit against sacrebleu's own sentence scoring.

Builds one big line-aligned file pair in a temporary folder from every system output of the
chosen WMT pairs (each against its primary reference), then times

* in one process, best of ``--repeat``:
  - sacrebleu's API as ``sacrebleu -sl`` uses it: ``BLEU(effective_order=True)`` and
    ``CHRF()``, one ``sentence_score`` call per segment, both metrics;
  - ``tqaudit.scoring.segment_scores`` (segment scores only, the ``-sl`` equivalent) at
    jobs 1 and 2;
  - ``tqaudit.scoring.score_texts(sentence_level=True)`` (segment scores *and* corpus scores
    with signatures, as ``tqaudit score --sentence-level`` prints) at jobs 1 and 2;
* the command lines, once each: ``sacrebleu REF -i HYP -m bleu -sl`` plus ``-m chrf -sl``
  against ``tqaudit score HYP --ref REF -m bleu,chrf --sentence-level --out CSV``.

Every tqaudit result is checked to equal sacrebleu's numbers before its time is reported.
Issue 13's floor: segment-level BLEU + chrF at least 3x ``sacrebleu -sl`` at jobs 1 on the
stdout and the ``--out`` routes, and at least 5x at jobs 2 (wall clock: measure on a quiet
machine).

Usage: python benchmarks/score_speed.py /path/to/wmt [--pairs ru-en,de-en] [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqaudit import scoring
from tqaudit.executor import Executor
from tqaudit.scoring.stats import WORKER_MODULES

CLI_APP = (
    "import sys, typer\n"
    "from tqaudit.cli import app\n"
    "names = {c.name for c in app.registered_commands}\n"
    "if 'score' not in names:\n"
    "    from tqaudit.cli import score as s\n"
    "    app = typer.Typer(); app.command('score')(s.score); app.command('compare')(s.compare)\n"
    "app(sys.argv[1:])\n"
)


def read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="\n") as fh:
        return [line.rstrip() for line in fh]


def build(wmt: Path, pairs: list[str], folder: Path) -> tuple[Path, Path]:
    hyps, refs = [], []
    for pair in pairs:
        ref = read_lines(next((wmt / pair).glob("ref.*")))
        for hyp in sorted((wmt / pair / "sys").iterdir()):
            lines = read_lines(hyp)
            # sacrebleu keeps a BOM that tqaudit's reader drops; keep the files comparable
            hyps += [lines[0].lstrip("\ufeff"), *lines[1:]]
            refs += ref
    hyp_path, ref_path = folder / "hyp.txt", folder / "ref.txt"
    hyp_path.write_text("\n".join(hyps) + "\n", encoding="utf-8")
    ref_path.write_text("\n".join(refs) + "\n", encoding="utf-8")
    return hyp_path, ref_path


CPU: dict[str, float] = {}


def best_of(repeat: int, func: Callable[[], Any], label: str = "") -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs; the CPU time of this process is kept in CPU[label]."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = func()
        elapsed = time.perf_counter() - started
        if elapsed < best:
            best, CPU[label] = elapsed, time.process_time() - cpu
    return best, result


def sacrebleu_sl(hyps: list[str], refs: list[str]) -> dict[str, list[float]]:
    from sacrebleu.metrics import BLEU, CHRF

    bleu, chrf = BLEU(effective_order=True), CHRF()
    return {
        "bleu": [bleu.sentence_score(h, [r]).score for h, r in zip(hyps, refs, strict=True)],
        "chrf": [chrf.sentence_score(h, [r]).score for h, r in zip(hyps, refs, strict=True)],
    }


def wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wmt", type=Path)
    parser.add_argument("--pairs", default="ru-en,de-en")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hyp, ref = build(args.wmt, args.pairs.split(","), Path(tmp))
        hyps, refs = read_lines(hyp), read_lines(ref)
        n = len(hyps)
        print(
            f"{n} segments ({args.pairs}, every system vs its primary reference); "
            f"{os.cpu_count()} CPUs; Python {platform.python_version()}; best of {args.repeat}."
        )
        print()
        load = os.getloadavg()[0]
        base_label = "sacrebleu API, sentence_score per segment (bleu + chrf)"
        base_t, base = best_of(args.repeat, lambda: sacrebleu_sl(hyps, refs), base_label)
        rows: list[tuple[str, float, float | None]] = [(base_label, base_t, None)]
        for jobs in (1, 2):
            label = f"tqaudit segment_scores, jobs {jobs}"
            # one pool per row, preloading what `tqaudit score` preloads: its start-up is timed
            with Executor(jobs, preload=WORKER_MODULES) as ex:
                t, seg = best_of(
                    args.repeat,
                    functools.partial(
                        scoring.segment_scores, hyps, [refs], {"metrics": "bleu,chrf"}, executor=ex
                    ),
                    label,
                )
            assert list(seg["bleu"]) == base["bleu"] and list(seg["chrf"]) == base["chrf"]
            rows.append((label, t, base_t / t))
        for jobs in (1, 2):
            with Executor(jobs, preload=WORKER_MODULES) as ex:
                t, res = best_of(
                    args.repeat,
                    functools.partial(
                        scoring.score_texts,
                        hyps,
                        [refs],
                        {"metrics": "bleu,chrf"},
                        sentence_level=True,
                        executor=ex,
                    ),
                    label := f"tqaudit score_texts (segments + corpus), jobs {jobs}",
                )
            assert list(res.segments["bleu"]) == base["bleu"]
            assert list(res.segments["chrf"]) == base["chrf"]
            rows.append((label, t, base_t / t))
        print(
            f"Load average (1 min) at the start: {load:.2f}; at the end of this table: "
            f"{os.getloadavg()[0]:.2f}."
        )
        print()
        print("| in one process | wall s | segments/s | speed-up (wall) | CPU s of this process |")
        print("|---|---:|---:|---:|---:|")
        for name, t, ratio in rows:
            shown = "1.00x (baseline)" if ratio is None else f"{ratio:.2f}x"
            cpu = f"{CPU[name]:.2f}" + (" (workers not counted)" if "jobs 2" in name else "")
            print(f"| {name} | {t:.2f} | {n / t:,.0f} | {shown} | {cpu} |")

        sl = sum(wall(["sacrebleu", str(ref), "-i", str(hyp), "-m", m, "-sl"]) for m in ("bleu", "chrf"))
        cli: list[tuple[str, float, float | None]] = [
            ("sacrebleu -sl -m bleu, then -sl -m chrf (two runs)", sl, None)
        ]
        base = [sys.executable, "-c", CLI_APP, "score", str(hyp), "--ref", str(ref), "-m", "bleu,chrf"]
        for jobs in (1, 2):
            t = wall([*base, "--sentence-level", "--jobs", str(jobs)])
            cli.append(
                (f"tqaudit score --sentence-level --jobs {jobs} (segments, as sacrebleu -sl)", t, sl / t)
            )
        for jobs in (1, 2):
            out = Path(tmp) / f"seg{jobs}.csv"
            t = wall([*base, "--sentence-level", "--out", str(out), "--jobs", str(jobs)])
            cli.append(
                (f"tqaudit score --sentence-level --out CSV --jobs {jobs} (adds corpus scores)", t, sl / t)
            )
        print()
        print("| command line (one run each, includes start-up) | seconds | speed-up vs sacrebleu |")
        print("|---|---:|---:|")
        for name, t, ratio in cli:
            print(f"| {name} | {t:.2f} | {'1.00x (baseline)' if ratio is None else f'{ratio:.2f}x'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
