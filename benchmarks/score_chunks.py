"""Check that corpus scores summed chunk by chunk equal the one-shot scores on WMT22, bit for bit.

For every pair folder and every system output in ``sys/``, against the primary reference,
against all references (where a second one exists) and against a variable set (the second
reference removed from every third segment, sacrebleu's ``nrefs:var``), this scores

* one-shot: sacrebleu's own API, ``Metric(...).corpus_score(hyps, refs)`` (lines
  ``rstrip()``-ed as sacrebleu's command line reads them), score and signature;
* chunked: ``tqaudit.scoring.score_chunk`` on each chunk, ``merge_sums``, ``corpus_scores``,
  for several chunkings (3 / 4 / rest, and fixed sizes),

and requires ``==`` on the float score and equal name and signature, for BLEU, chrF,
chrF++ (``chrf_word_order=2``) and TER. TER is slow in sacrebleu, so by default it runs on
the first system of each pair only (``--ter all`` for every output).

Usage: python benchmarks/score_chunks.py /path/to/wmt [--ter first|all|none] [--jobs N]
       [--pairs cs-en,de-en] [--sizes 500,97] [--systems N]
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from wmt_data import add_wmt_arguments, pair_folders, read_lines, with_ter

from tqaudit import scoring
from tqaudit.executor import Executor, run_in

VARIANTS: dict[str, dict[str, Any]] = {
    "bleu": {"metrics": "bleu"},
    "chrf": {"metrics": "chrf"},
    "chrf++": {"metrics": "chrf", "chrf_word_order": 2},
    "ter": {"metrics": "ter"},
}


def chunkings(n: int, sizes: list[int]) -> dict[str, list[slice]]:
    out = {"3/4/rest": [slice(0, 3), slice(3, 7), slice(7, n)]}
    for size in sizes:
        out[f"by {size}"] = [slice(i, min(i + size, n)) for i in range(0, n, size)]
    return out


Task = tuple[str, list[str], list[list[str | None]], list[int]]


def check(task: Task) -> list[tuple[str, bool, str]]:
    """One variant: chunked corpus scores, each chunking, against sacrebleu's one-shot score."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    variant, hyps, refs, sizes = task
    options = VARIANTS[variant]
    metric = {"bleu": BLEU(), "chrf": CHRF(), "chrf++": CHRF(word_order=2), "ter": TER()}[variant]
    one = metric.corpus_score(hyps, refs)
    sig = metric.get_signature().format()
    out = []
    for label, parts in chunkings(len(hyps), sizes).items():
        chunks = [scoring.score_chunk(hyps[s], [r[s] for r in refs], options) for s in parts]
        merged = scoring.merge_sums(chunks)
        (ours,) = scoring.corpus_scores(merged, options, sentence_signature=False).values()
        same = ours.score == one.score and ours.name == one.name and ours.signature == sig
        shown = f"{ours.score!r}" if same else f"{one.score!r} / {ours.score!r} MISMATCH"
        out.append((f"{variant} {label}", same, shown))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_wmt_arguments(parser)
    parser.add_argument("--sizes", default="500", help="Fixed chunk sizes, comma-separated.")
    parser.add_argument("--systems", type=int, default=0, help="First N systems per pair (0: all).")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    started = time.perf_counter()
    rows: list[tuple[str, str, str, int, int, str]] = []
    with Executor(args.jobs) as executor:
        for pair in pair_folders(args):
            ref = read_lines(next(pair.glob("ref.*")))
            ref2_paths = sorted(pair.glob("ref2.*"))
            ref_sets: dict[str, list[list[str | None]]] = {"ref": [list(ref)]}
            if ref2_paths:
                ref2 = read_lines(ref2_paths[0])
                ref_sets["ref+ref2"] = [list(ref), list(ref2)]
                ref_sets["ref+ref2 (var)"] = [
                    list(ref),
                    [None if i % 3 == 0 else r for i, r in enumerate(ref2)],
                ]
            systems = sorted((pair / "sys").iterdir())
            for i, hyp_path in enumerate(systems[: args.systems or None]):
                hyps = read_lines(hyp_path)
                ter = with_ter(args, i)
                variants = [v for v in VARIANTS if v != "ter" or ter]
                for set_name, refs in ref_sets.items():
                    tasks: list[Task] = [(v, hyps, refs, sizes) for v in variants]
                    results = [r for part in run_in(executor, check, tasks) for r in part]
                    ok = sum(same for _, same, _ in results)
                    bad = "; ".join(f"{what}: {shown}" for what, same, shown in results if not same)
                    rows.append((pair.name, hyp_path.stem, set_name, ok, len(results), bad))
                    print(f"  {pair.name} {hyp_path.stem} {set_name}: {ok}/{len(results)}", file=sys.stderr)
    print("| pair | system | refs | equal checks | mismatches |")
    print("|---|---|---|---:|---|")
    for pair_name, system, set_name, ok, total, bad in rows:
        print(f"| {pair_name} | {system} | {set_name} | {ok} / {total} | {bad or '-'} |")
    ok_all, total_all = sum(r[3] for r in rows), sum(r[4] for r in rows)
    print()
    print(
        f"{ok_all} of {total_all} chunked corpus scores equal sacrebleu's one-shot corpus_score exactly "
        f"(float ==, name and signature; chunkings 3/4/rest and {', '.join(f'by {s}' for s in sizes)})."
    )
    print(f"Runtime {time.perf_counter() - started:.0f} s.")
    return 0 if ok_all == total_all else 1


if __name__ == "__main__":
    sys.exit(main())
