"""Check that tqaudit's scores equal the sacrebleu command line on every WMT system output.

For every pair folder in the WMT directory and every system output in ``sys/``, with the
primary reference alone and (where a second one exists) with all references, this runs

* ``sacrebleu REF... -i HYP -m bleu chrf [ter] -w 4 -f text`` and ``tqaudit.scoring.score_file``
  and compares metric name, signature and score at 4 decimals (and at sacrebleu's default 1);
* ``sacrebleu REF... -i HYP -m bleu -sl -b -w 10`` (and ``-m chrf``) and compares every
  segment score at 10 decimals with tqaudit's sentence scores, both with corpus scores
  (``score_file(..., sentence_level=True)``) and without (``segment_scores``, ``-sl``'s
  route). BLEU and chrF statistics are counted by tqaudit (``scoring/fastbleu.py``,
  ``scoring/charstats.py``), so this is their check against sacrebleu on real data.

TER is the slow metric (sacrebleu's TER takes ~10 s per 2,000 segments), so by default it is
checked on the first system of each pair only; ``--ter all`` checks every output.

Usage: python benchmarks/score_check.py /path/to/wmt [--ter first|all|none] [--jobs N]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from wmt_data import add_wmt_arguments, pair_folders, read_lines, with_ter

from tqaudit import scoring
from tqaudit.executor import Executor
from tqaudit.scoring.stats import WORKER_MODULES

LINE = re.compile(r"^\s*(?P<name>[^|\s]+)\|(?P<sig>\S+) = (?P<score>-?\d+\.\d+)")


def sacrebleu_corpus(refs: list[Path], hyp: Path, metrics: list[str]) -> dict[str, tuple[str, str, str]]:
    cmd = ["sacrebleu", *map(str, refs), "-i", str(hyp), "-m", *metrics, "-w", "4", "-f", "text"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if m:
            key = "CHRF" if m["name"].startswith("chrF") else m["name"]
            found[key] = (m["name"], m["sig"], m["score"])
    return found


def sacrebleu_sentences(refs: list[Path], hyp: Path, metric: str) -> list[str]:
    cmd = ["sacrebleu", *map(str, refs), "-i", str(hyp), "-m", metric, "-sl", "-b", "-w", "10"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()


def check_one(pair: Path, hyp: Path, refs: list[Path], ter: bool, executor: Executor) -> dict[str, object]:
    metrics = ["bleu", "chrf", *(["ter"] if ter else [])]
    cli = sacrebleu_corpus(refs, hyp, metrics)
    ours = scoring.score_file(
        str(hyp), [str(r) for r in refs], {"metrics": metrics}, sentence_level=True, executor=executor
    )
    row: dict[str, Any] = {"pair": pair.name, "system": hyp.stem, "refs": "+".join(r.stem for r in refs)}
    corpus_ok = True
    for key in ("BLEU", "CHRF", "TER"):
        if key.lower() not in metrics:
            row[key] = "-"
            continue
        name, sig, value = cli[key]
        entry = ours.corpus[key]
        mine = f"{entry.score:.4f}"
        same = name == entry.name and sig == entry.signature and mine == value
        same_1 = f"{entry.score:.1f}" == f"{float(value):.1f}"
        corpus_ok &= same and same_1
        row[key] = f"{value} / {mine}{'' if same else ' MISMATCH'}"
    assert ours.segments is not None
    fast = scoring.segment_scores(
        read_lines(hyp), [read_lines(r) for r in refs], {"metrics": "bleu,chrf"}, executor=executor
    )
    sent_ok = True
    for metric in ("bleu", "chrf"):
        cli_sent = sacrebleu_sentences(refs, hyp, metric)
        stats_path = [f"{v:.10f}" for v in ours.segments[metric]]
        fast_path = [f"{v:.10f}" for v in fast[metric]]
        sent_ok &= cli_sent == stats_path == fast_path
    row["sentence"] = "equal" if sent_ok else "MISMATCH"
    if hyp.read_bytes().startswith(b"\xef\xbb\xbf"):
        row["sentence"] += " (HYP starts with a BOM, kept as text by both)"
    row["ok"] = corpus_ok and sent_ok
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_wmt_arguments(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    segments = 0
    with Executor(args.jobs, preload=WORKER_MODULES) as executor:
        for pair in pair_folders(args):
            ref = next(pair.glob("ref.*"))
            ref2 = sorted(pair.glob("ref2.*"))
            ref_sets = [[ref]] + ([[ref, *ref2]] if ref2 else [])
            for i, hyp in enumerate(sorted((pair / "sys").iterdir())):
                for refs in ref_sets:
                    ter = with_ter(args, i)
                    rows.append(check_one(pair, hyp, refs, ter, executor))
                    print(
                        f"  {pair.name} {hyp.stem} {'+'.join(r.stem for r in refs)}: {rows[-1]['ok']}",
                        file=sys.stderr,
                    )
                segments += len(read_lines(hyp))
    print(
        "| pair | system | refs | BLEU (sacrebleu / tqaudit) | chrF | TER | sentence -sl bleu+chrf | match |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [r[k] for k in ("pair", "system", "refs", "BLEU", "CHRF", "TER", "sentence")]
        print("| " + " | ".join(map(str, cells)) + f" | {'yes' if r['ok'] else 'NO'} |")
    ok = sum(bool(r["ok"]) for r in rows)
    ter_rows = sum(r["TER"] != "-" for r in rows)
    print()
    print(
        f"{ok} of {len(rows)} system-output x reference-set checks match sacrebleu's CLI exactly "
        f"(corpus BLEU/chrF at 4 decimals and signatures; TER on {ter_rows} of them; every segment "
        f"score of -sl bleu and -sl chrf at 10 decimals, with and without corpus scores) over "
        f"{segments} segments (every system, primary reference)."
    )
    print(f"Runtime {time.perf_counter() - started:.0f} s.")
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
