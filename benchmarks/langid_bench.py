"""Language identification on the WMT22 test sets: throughput, accuracy, rule false positives.

Usage::

    python benchmarks/langid_bench.py [WMT_DIR] [--backends langdetect,py3langid,lingua,fasttext]
                                      [--out benchmarks/results/langid.md] [--examples N]
                                      [--no-rules]

WMT_DIR (default ``../shared/data/wmt``) holds one folder per pair ``<src>-<tgt>`` with
``src.<src>``, ``ref.<tgt>`` and optionally ``ref2.<tgt>``; every text's language is known
from its file name. The script measures

- throughput in segments per second (wall clock and per CPU-second) over every source and
  reference line: cold (a new ``Identifier``) in this process and in two worker processes
  (chunks through ``tqaudit.executor``, each worker with its ``identifier_for``, as the
  engine runs them), and warm (everything cached), with no declared language; and with each
  line's language declared (as in an audit), with the fast paths off (langdetect's own
  ``Detector``, ``function_words = 0``: tqaudit before them) and on, counting the verdicts
  that differ between the two;
- per-language accuracy (correct / segments given a verdict) and no-verdict rate, overall
  and on short segments (at most 60 characters), for each backend installed;
- findings of the LG rules on each human reference (with its source): false positives, with
  the fast paths on and off (the findings must be the same).

It writes a Markdown report to stdout and to ``--out``.

``--audit N`` measures instead what language identification costs a whole audit, against the
issue's yardstick: the first N segments of the system-output feed of ``audit_speed.py``
(every system file of every pair, up to ``--audit-lines`` lines each, with its source and its
reference), each run in a fresh child process: raw single-process langdetect
(``detect_langs``, seeded) on the targets, and ``tqaudit.audit`` with every rule, language
identification, BLEU and chrF per segment at ``--jobs 1`` and ``--jobs 2`` (CPU time of the
workers included), with the model calls and a hash of the findings.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tqaudit import langid  # noqa: E402
from tqaudit.executor import Executor  # noqa: E402
from tqaudit.io.writers import write_text  # noqa: E402
from tqaudit.rules import RULES, load_rules  # noqa: E402

SHORT = 60  # characters: what counts as a short segment


def read_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").lstrip("\ufeff").splitlines()


def load_wmt(wmt: Path) -> tuple[list[tuple[str, str, str]], list[pd.DataFrame]]:
    """(text, language, file) for every source and reference line; and one table per reference."""
    texts: list[tuple[str, str, str]] = []
    tables: list[pd.DataFrame] = []
    for pair in sorted(p for p in wmt.iterdir() if p.is_dir() and "-" in p.name):
        src_lang, tgt_lang = pair.name.split("-")
        sources = read_lines(pair / f"src.{src_lang}")
        texts += [(t, src_lang, f"{pair.name}/src.{src_lang}") for t in sources]
        for ref_name in (f"ref.{tgt_lang}", f"ref2.{tgt_lang}"):
            ref_path = pair / ref_name
            if not ref_path.exists():
                continue
            refs = read_lines(ref_path)
            texts += [(t, tgt_lang, f"{pair.name}/{ref_name}") for t in refs]
            n = len(refs)
            table = pd.DataFrame(
                {
                    "segment_id": [str(i + 1) for i in range(n)],
                    "doc_id": [""] * n,
                    "source": sources,
                    "target": refs,
                    "reference": [""] * n,
                    "src_lang": [src_lang] * n,
                    "tgt_lang": [tgt_lang] * n,
                }
            )
            table.attrs["file"] = f"{pair.name}/{ref_name}"
            tables.append(table)
    return texts, tables


def frame_of(texts: list[tuple[str, str, str]]) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "segment_id": [str(i) for i in range(n)],
            "source": [""] * n,
            "target": [t for t, _, _ in texts],
            "tgt_lang": [""] * n,
            "src_lang": [""] * n,
        }
    )


def with_languages(table: pd.DataFrame, ident: langid.Identifier) -> pd.DataFrame:
    """``table`` with the identifier's language columns joined, as a chunk the LG rules read."""
    columns = ident.annotate(
        table["target"], table.get("source"), table.get("src_lang"), table.get("tgt_lang")
    )
    return pd.concat([table.reset_index(drop=True), columns], axis=1)


# Options that turn the function-word fast path off; ``slow_detector`` restores langdetect's
# own Detector class: together, tqaudit's language identification before the fast paths.
SLOW = {"function_words": 0}


@contextlib.contextmanager
def slow_detector(on: bool = True) -> Iterator[None]:
    """Use langdetect's own ``Detector`` (not tqaudit's numpy loop) inside the block."""
    backend = langid.get_backend("langdetect")
    fast = backend._detector  # type: ignore[attr-defined]
    if on:
        from langdetect.detector import Detector

        backend._detector = Detector  # type: ignore[attr-defined]
    try:
        yield
    finally:
        backend._detector = fast  # type: ignore[attr-defined]


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


Chunk = tuple[langid.Settings, list[str], list[str]]  # settings, targets, declared languages


def annotate_chunk(chunk: Chunk) -> tuple[pd.DataFrame, int, float]:
    """One chunk in a worker process, with the worker's identifier (as the engine does).

    Also the worker's pid and CPU time so far: workers are children of the fork server, not
    of this process, so ``RUSAGE_CHILDREN`` here does not see them.
    """
    settings, targets, declared = chunk
    out = langid.identifier_for(settings).annotate(targets, tgt_langs=declared)
    return out, os.getpid(), time.process_time()


def timed(
    ident: langid.Identifier, targets: list[str], declared: list[str], jobs: int = 1
) -> tuple[float, float, pd.DataFrame]:
    """Annotate ``targets`` with ``ident``, or in ``jobs`` worker processes (pool start included)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    if jobs <= 1:
        out = ident.annotate(targets, tgt_langs=declared)
    else:
        size = max(1, -(-len(targets) // (jobs * 4)))
        chunks = [
            (ident.settings, targets[i : i + size], declared[i : i + size])
            for i in range(0, len(targets), size)
        ]
        with Executor(jobs) as executor:
            done = executor.map_list(annotate_chunk, chunks)
        out = pd.concat([frame for frame, _, _ in done], ignore_index=True)
        workers: dict[int, float] = {}
        for _, pid, used in done:
            workers[pid] = max(used, workers.get(pid, 0.0))
        return time.perf_counter() - start, cpu_seconds() - cpu + sum(workers.values()), out
    return time.perf_counter() - start, cpu_seconds() - cpu, out


def throughput(
    texts: list[tuple[str, str, str]], backend: str
) -> tuple[list[tuple[str, float, float, int]], str]:
    """(run, seconds, CPU seconds, segments) rows, and the verdict agreement of fast/slow."""
    targets = [t for t, _, _ in texts]
    undeclared = [""] * len(texts)  # measure the detector, not the fallback and fast paths
    options: dict[str, object] = {"backend": backend}
    ident = langid.Identifier.from_options(options)
    rows = []
    for label, jobs in (("cold, jobs=1", 1), ("cold, jobs=2", 2), ("cached, jobs=1", 1)):
        seconds, cpu, _ = timed(ident, targets, undeclared, jobs)  # jobs=2: fresh workers, cold
        rows.append((label, seconds, cpu, len(texts)))
    if backend != "langdetect":
        return rows, ""
    declared = [lang for _, lang, _ in texts]
    slow = langid.Identifier.from_options({**options, **SLOW})
    with slow_detector():
        seconds, cpu, before = timed(slow, targets, declared)
    slow_calls = sum(slow.model_calls.values())
    rows.append(("declared, cold, jobs=1, fast paths off (before)", seconds, cpu, len(texts)))
    fast = langid.Identifier.from_options(options)
    seconds, cpu, after = timed(fast, targets, declared)
    fast_calls = sum(fast.model_calls.values())
    rows.append(("declared, cold, jobs=1, fast paths on (after)", seconds, cpu, len(texts)))
    old, new = list(before["target_lang"]), list(after["target_lang"])
    changed = [(a, b, t) for a, b, t in zip(old, new, targets, strict=True) if a != b]
    note = (
        f"Declared runs: {slow_calls:,} model calls before, {fast_calls:,} after; "
        f"**{len(changed)} of {len(old):,} verdicts differ** between them"
    )
    if changed:
        pairs = Counter((a or "-", b or "-") for a, b, _ in changed)
        note += " (before->after: " + ", ".join(f"{a}->{b} {n}" for (a, b), n in pairs.most_common()) + ")"
        note += f"; e.g. {changed[0][2][:70]!r}"
    return rows, note + "."


def accuracy(
    texts: list[tuple[str, str, str]], backend: str, options: dict[str, object] | None = None
) -> dict[str, Counter[str]]:
    """Per language: n, correct, wrong, none (no verdict); overall and short segments."""
    ident = langid.Identifier.from_options({"backend": backend, **(options or {})})
    verdicts = ident.identify_many([t for t, _, _ in texts])
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for (text, lang, _), v in zip(texts, verdicts, strict=True):
        keys = [lang, "all"] + ([f"{lang} short", "all short"] if len(text) <= SHORT else [])
        outcome = "none" if not v.lang else "correct" if v.lang == lang else "wrong"
        for key in keys:
            stats[key]["n"] += 1
            stats[key][outcome] += 1
    return stats


def confusions(texts: list[tuple[str, str, str]], backend: str, limit: int) -> list[str]:
    ident = langid.Identifier.from_options({"backend": backend})
    wrong: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for text, lang, _ in texts:
        v = ident.identify(text)
        if v.lang and v.lang != lang:
            wrong[(lang, v.lang)] += 1
            examples.setdefault((lang, v.lang), text[:70])
    return [f"{a}->{b}: {n} (e.g. {examples[(a, b)]!r})" for (a, b), n in wrong.most_common(limit)]


def rule_findings(
    tables: list[pd.DataFrame], examples: int, slow: bool = False
) -> tuple[list[list[str]], list[str], list[tuple[str, str, int, str]]]:
    load_rules()
    codes = sorted(c for c in RULES if c.startswith("LG"))
    rules = [RULES[c]() for c in codes]
    rows, shown, hits_all = [], [], []
    ident = langid.Identifier.from_options(SLOW if slow else None)  # cold, and its own cache
    for table in tables:
        with slow_detector(slow):
            annotated = with_languages(table, ident)
        counts = []
        for rule in rules:
            hits = list(rule.check(annotated))
            counts.append(str(len(hits)))
            hits_all += [(table.attrs["file"], rule.code, h.row, h.message) for h in hits]
            for h in hits[:examples]:
                shown.append(
                    f"{table.attrs['file']}:{h.row + 1} {rule.code} {h.message} "
                    f"| {str(annotated.at[h.row, 'target'])[:80]!r}"
                )
        rows.append([table.attrs["file"], str(len(table)), *counts])
    return [["reference", "segments", *codes], *rows], shown, hits_all


def monolingual_findings(texts: list[tuple[str, str, str]]) -> list[list[str]]:
    """LG rule findings on each source file taken as a target in its own language."""
    load_rules()
    codes = sorted(c for c in RULES if c.startswith("LG"))
    rules = [RULES[c]() for c in codes]
    by_file: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for item in texts:
        if "/src." in item[2]:
            by_file[item[2]].append(item)
    rows = [["source file as target", "segments", *codes]]
    ident = langid.Identifier()
    for name, items in sorted(by_file.items()):
        frame = frame_of(items)
        frame["tgt_lang"] = items[0][1]
        annotated = with_languages(frame, ident)
        rows.append([name, str(len(items)), *(str(len(list(r.check(annotated)))) for r in rules)])
    return rows


def md_table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def accuracy_rows(stats: dict[str, dict[str, Counter[str]]]) -> list[list[str]]:
    backends = list(stats)
    langs = sorted({k for s in stats.values() for k in s if " " not in k and k != "all"})
    head = ["language", "segments"]
    for b in backends:
        head += [f"{b} acc %", f"{b} no-verdict %", f"{b} short acc %", f"{b} short no-verdict %"]
    rows = [head]
    for lang in [*langs, "all"]:
        first = stats[backends[0]]
        row = [lang, str(first[lang]["n"])]
        for b in backends:
            s, short = stats[b][lang], stats[b][f"{lang} short"]
            row += [
                pct(s["correct"], s["correct"] + s["wrong"]),
                pct(s["none"], s["n"]),
                pct(short["correct"], short["correct"] + short["wrong"]) + f" (n={short['n']})",
                pct(short["none"], short["n"]),
            ]
        rows.append(row)
    return rows


def audit_feed(wmt: Path, n: int, lines: int) -> pd.DataFrame:
    """The first ``n`` segments of the system-output feed, each with its source and reference."""
    from audit_speed import read_lines as raw_lines
    from audit_speed import system_files

    rows = []
    for pair, src_lang, tgt_lang, src_file, sys_file in system_files(wmt):
        refs = raw_lines(wmt / pair / f"ref.{tgt_lang}")[:lines]
        sources, targets = raw_lines(src_file)[:lines], raw_lines(sys_file)[:lines]
        label = f"{pair}/{sys_file.stem}"
        for i, (s, t, r) in enumerate(zip(sources, targets, refs, strict=True)):
            rows.append((f"{label}:{i + 1}", label, s, t, r, src_lang, tgt_lang))
    names = ("segment_id", "doc_id", "source", "target", "reference", "src_lang", "tgt_lang")
    return pd.DataFrame(rows[:n], columns=list(names))


def audit_child(wmt: Path, n: int, lines: int, mode: str) -> dict[str, object]:
    """One measurement (in a fresh process): ``raw`` langdetect, or ``jobs=J`` audits."""
    import hashlib

    from audit_speed import TreeSampler
    from audit_speed import cpu_seconds as tree_cpu

    frame = audit_feed(wmt, n, lines)
    if mode == "raw":
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = langid.SEED
        detect_langs("load the profiles before the clock starts")
        cpu0, start = tree_cpu(), time.perf_counter()
        for text in frame["target"]:
            with contextlib.suppress(LangDetectException):
                detect_langs(text)
        return {"seconds": time.perf_counter() - start, "cpu": tree_cpu() - cpu0, "n": len(frame)}
    import tqaudit

    config = tqaudit.Config(fail_on="never", jobs=int(mode.split("=")[1]))
    cpu0, start = tree_cpu(), time.perf_counter()
    with TreeSampler() as tree:  # the worker processes are no children of this one
        result = tqaudit.audit(frame, config)
    seconds = time.perf_counter() - start
    calls = sum(langid.identifier_for(langid.Settings()).model_calls.values())
    return {
        "seconds": seconds,
        "cpu": tree_cpu() - cpu0 + sum(tree.cpu.values()),
        "n": len(frame),
        "findings": len(result.findings),
        "hash": hashlib.sha256(result.findings.to_csv(index=False).encode()).hexdigest()[:12],
        "model_calls": calls if mode == "jobs=1" else "-",
    }


def audit_report(wmt: Path, n: int, lines: int, out: Path) -> int:
    """Raw langdetect and full audits at jobs 1 and 2, each in a fresh child process."""
    import json
    import subprocess

    rows = [
        [
            "run",
            "segments",
            "seconds",
            "segments/s",
            "CPU s",
            "segments/CPU-s",
            "load",
            "model calls",
            "findings",
        ]
    ]
    for mode in ("raw", "jobs=1", "jobs=2"):
        load = os.getloadavg()[0]
        argv = [sys.executable, __file__, str(wmt), "--audit", str(n), "--audit-lines", str(lines)]
        done = subprocess.run([*argv, "--audit-child", mode], capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        label = "raw langdetect, 1 process" if mode == "raw" else f"tqaudit audit, {mode}"
        found = f"{r['findings']} ({r['hash']})" if "hash" in r else "-"
        rows.append(
            [
                label,
                f"{r['n']:,}",
                f"{r['seconds']:.1f}",
                f"{r['n'] / r['seconds']:,.0f}",
                f"{r['cpu']:.1f}",
                f"{r['n'] / r['cpu']:,.0f}",
                f"{load:.1f}/{os.getloadavg()[0]:.1f}",
                str(r.get("model_calls", "-")),
                found,
            ]
        )
    lines_out = [
        "# Full audit vs raw langdetect on the same targets",
        "",
        f"First {n:,} segments of the WMT22 system outputs (first {lines} lines of each file, with "
        "source and reference); every rule, language identification, BLEU and chrF per segment.",
        "",
        md_table(rows),
        "",
    ]
    return emit_report(lines_out, [], out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wmt", nargs="?", default=str(ROOT.parent / "shared" / "data" / "wmt"))
    parser.add_argument("--backends", default="langdetect,py3langid,lingua,fasttext")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "langid.md"))
    parser.add_argument("--examples", type=int, default=0, help="rule findings to print per file")
    parser.add_argument(
        "--no-rules",
        action="store_true",
        help="backends only: skip langdetect's confusions and the LG rules' findings (minutes)",
    )
    parser.add_argument("--audit", type=int, default=0, help="full audit vs raw langdetect on N segments")
    parser.add_argument("--audit-lines", type=int, default=84, help="lines per system file for --audit")
    parser.add_argument("--audit-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.audit_child:
        import json

        print(json.dumps(audit_child(Path(args.wmt), args.audit, args.audit_lines, args.audit_child)))
        return 0
    if args.audit:
        return audit_report(Path(args.wmt), args.audit, args.audit_lines, Path(args.out))
    texts, tables = load_wmt(Path(args.wmt))
    backends = []
    for name in args.backends.split(","):
        try:
            langid.get_backend(name)
            backends.append(name)
        except Exception as exc:  # an optional backend that is not installed
            print(f"skipping backend {name}: {exc}", file=sys.stderr)

    out = ["# Language identification on WMT22 (sources and references)", ""]
    out.append(
        f"{len(texts)} segments ({len({t for t, _, _ in texts})} distinct) from "
        f"{len(tables)} reference files and their sources; default options "
        f"({langid.Settings()}); short = at most {SHORT} characters."
    )
    out += ["", "## Throughput (segments/second, `Identifier.annotate` on every segment)", ""]
    rows = [["backend", "run", "seconds", "segments/s", "CPU s", "segments/CPU-s"]]
    notes = []
    for b in backends:
        measured, note = throughput(texts, b)
        for label, seconds, cpu, n in measured:
            rows.append(
                [
                    b,
                    label,
                    f"{seconds:.2f}",
                    f"{n / seconds:,.0f}",
                    f"{cpu:.2f}",
                    f"{n / cpu:,.0f}" if cpu else "-",
                ]
            )
        notes += [note] if note else []
    out += [md_table(rows), ""]
    out += [
        "CPU s counts this process and its workers: other load on the shared machine "
        "inflates the wall clock, not this.",
        "",
    ]
    out += notes + ([""] if notes else [])

    out += ["## Accuracy (correct / segments given a verdict) and no-verdict rate", ""]
    stats = {b: accuracy(texts, b) for b in backends}
    out += [md_table(accuracy_rows(stats)), ""]
    out += [
        "Ungated (`min_letters=1`, `max_name_ratio=1`, `min_letter_ratio=0`): the models "
        "alone on the short segments.",
        "",
    ]
    ungated: dict[str, object] = {"min_letters": 1, "max_name_ratio": 1.0, "min_letter_ratio": 0.0}
    short_texts = [t for t in texts if len(t[0]) <= SHORT]
    ustats = {b: accuracy(short_texts, b, ungated) for b in backends}
    rows = [["backend", "short segments", "accuracy %", "no-verdict %"]]
    for b in backends:
        s = ustats[b]["all"]
        rows.append([b, str(s["n"]), pct(s["correct"], s["correct"] + s["wrong"]), pct(s["none"], s["n"])])
    out += [md_table(rows), ""]
    if args.no_rules:
        return emit_report(out, [], Path(args.out))
    out += ["Most frequent confusions (langdetect, default options):", ""]
    out += [f"- {line}" for line in confusions(texts, "langdetect", 8)] + [""]

    out += ["## Findings of the language rules on human references (false positives)", ""]
    table, shown, hits = rule_findings(tables, args.examples)
    out += [md_table(table), ""]
    if "langdetect" in backends:
        _, _, slow_hits = rule_findings(tables, 0, slow=True)
        same = "identical" if slow_hits == hits else "DIFFERENT"
        out += [
            f"With the fast paths off (langdetect's own Detector, `function_words = 0`) the "
            f"{len(slow_hits)} findings are **{same}** to the {len(hits)} above "
            f"(same file, rule, segment and message).",
            "",
        ]
    out += [
        "Each source file taken as a target in its declared language (no source): "
        "LG001 on human text in seven languages.",
        "",
    ]
    out += [md_table(monolingual_findings(texts)), ""]
    return emit_report(out, shown, Path(args.out))


def emit_report(lines: list[str], shown: list[str], path: Path) -> int:
    """Print the report (and the findings shown, to stderr) and write it to ``path``."""
    report = "\n".join(lines)
    print(report)
    for line in shown:
        print(line, file=sys.stderr)
    write_text(path, report)  # atomic: never a half-written result file
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
