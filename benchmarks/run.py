"""tqaudit and its peers side by side on N pairs built from WMT22: speed, CPU and peak memory.

Usage::

    python benchmarks/run.py --corpus ../shared/data/wmt --segments 10000 [--segments 100000,1000000]
                             [--only rules-j1,pofilter,...] [--out benchmarks/results]

``--corpus`` holds one folder per pair ``<src>-<tgt>`` with ``src.<src>``, ``ref.<tgt>`` and
``sys/*.<tgt>``. N pairs (source, system output, primary reference, languages) are taken line
by line across every system output of every pair (line 1 of each file, then line 2, ...), so any
N mixes all pairs; when N exceeds the data the rows repeat with distinct segment ids (``r2/...``)
and documents. The same N pairs are written, before any clock starts, as

- ``feed.jsonl`` (segment_id, doc_id, source, target, reference, src_lang, tgt_lang) and
  ``feed-src.jsonl`` (the same without the reference: nothing to score) for ``tqaudit audit``;
- ``hyp.txt`` / ``ref.txt`` (targets and references, line-aligned) for ``sacrebleu -sl`` and
  ``tqaudit score --sentence-level``;
- PO files for pofilter, one per target language (``msgid`` source, ``msgstr`` target,
  ``msgctxt`` the segment id): pofilter checks a file with one ``--language``.

Rows (``--only`` takes a comma list of these names, run in the order given):

``rules-j1``, ``rules-j2``
    ``tqaudit audit feed-src.jsonl`` with every rule but those that read language verdicts
    (no language model), ``--jobs 1`` / ``2``; reports written (csv, json, md).
``dask``
    the same with ``--engine dask --jobs 2`` (a LocalCluster of 2 workers, start-up included).
``full-j1``, ``full-j2``
    ``tqaudit audit feed.jsonl``: every rule, language identification (langdetect), BLEU and chrF
    per segment and per corpus against the references.
``pofilter``
    translate-toolkit's checks on the PO files in one process (audit_speed's ``measure_pofilter``:
    parse + ``pocheckfilter`` with the default checkers; writing its output is not timed).
``sacrebleu``
    ``sacrebleu ref.txt -i hyp.txt -m bleu -sl`` then ``-m chrf -sl`` (two runs).
``score-j1``
    ``tqaudit score hyp.txt --ref ref.txt -m bleu,chrf --sentence-level`` (stdout route).
``langdetect``
    raw ``langdetect.detect`` on every target, one process (seed 0).

Every row runs in a fresh child process of this script, which times it and samples the
process tree (audit_speed's ``TreeSampler``): *CPU s* is user + system time of every process of
the row (the larger of the rusage of waited-for children and the /proc samples, both lower
bounds), *peak RSS* the largest process's high-water mark and, for several processes, the sum of
their peaks. On a shared machine the CPU figures are the ones to compare. The tables are
printed and written to ``OUT/run-N.md`` with the raw numbers in ``OUT/run-N.json``; ``OUT/run.md``
collects every ``run-*.json`` in OUT into the curve of time and memory against N.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import (
    TreeSampler,
    cpu_seconds,
    current_rss_mb,
    emit,
    langid_rules,
    md_table,
    measure_pofilter,
    read_lines,
    rss_mb,
    system_files,
)

from tqaudit.io.writers import write_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results"
ROWS = (
    "rules-j1",
    "rules-j2",
    "dask",
    "full-j1",
    "full-j2",
    "pofilter",
    "sacrebleu",
    "score-j1",
    "langdetect",
)
WHAT = {
    "rules-j1": "tqaudit audit, rules without language model, jobs 1",
    "rules-j2": "tqaudit audit, rules without language model, jobs 2",
    "dask": "tqaudit audit --engine dask (LocalCluster of 2), rules without language model",
    "full-j1": "tqaudit audit, all rules + langdetect + BLEU/chrF vs reference, jobs 1",
    "full-j2": "tqaudit audit, all rules + langdetect + BLEU/chrF vs reference, jobs 2",
    "pofilter": "pofilter checks (parse PO + default checkers), 1 process",
    "sacrebleu": "sacrebleu -sl, BLEU run + chrF run",
    "score-j1": "tqaudit score --sentence-level -m bleu,chrf, jobs 1",
    "langdetect": "raw langdetect.detect on every target, 1 process",
}
# (row, peer): the ratios the issue asks for; > 1 means the first row is faster
RATIOS = (
    ("rules-j1", "pofilter"),
    ("rules-j2", "pofilter"),
    ("full-j1", "langdetect"),
    ("full-j2", "langdetect"),
    ("score-j1", "sacrebleu"),
    ("dask", "rules-j2"),
)


# --------------------------------------------------------------------------- data


Pair = tuple[str, str, str, str, str, str, str]  # id, doc, source, target, reference, src, tgt


def corpus_rows(corpus: Path) -> list[Pair]:
    """Every system segment of ``corpus`` with its source and primary reference, interleaved.

    Line i of every system file comes before line i + 1 of any, so the first N rows cover all
    pairs and systems. A BOM at the start of a file is dropped (sacrebleu would keep it).
    """
    files = []
    for pair, src_lang, tgt_lang, src_file, sys_file in system_files(corpus):
        sources = read_lines(src_file)
        refs = read_lines(src_file.parent / f"ref.{tgt_lang}")
        targets = read_lines(sys_file)
        if not len(sources) == len(refs) == len(targets):
            raise SystemExit(
                f"{sys_file}: {len(targets)} lines, source {len(sources)}, reference {len(refs)}"
            )
        files.append((f"{pair}/{sys_file.stem}", src_lang, tgt_lang, sources, targets, refs))
    rows: list[Pair] = []
    for i in range(max(len(f[3]) for f in files)):
        for label, src_lang, tgt_lang, sources, targets, refs in files:
            if i < len(targets):
                source, target, ref = (
                    t.lstrip("\ufeff") if i == 0 else t for t in (sources[i], targets[i], refs[i])
                )
                rows.append((f"{label}:{i + 1}", label, source, target, ref, src_lang, tgt_lang))
    return rows


def take(rows: list[Pair], n: int) -> Iterator[Pair]:
    """The first ``n`` rows, cycling through ``rows`` with distinct ids and documents past its end."""
    for k in range(n):
        seg, doc, *rest = rows[k % len(rows)]
        rep = k // len(rows)
        if rep:
            seg, doc = f"r{rep + 1}/{seg}", f"r{rep + 1}/{doc}"
        yield (seg, doc, *rest)  # type: ignore[misc]


def clean(text: str) -> str:
    """A line for a line-aligned text file: line breaks inside a segment become spaces."""
    return (
        " ".join(text.splitlines())
        if any(c in text for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        else text
    )


def write_data(corpus: Path, n: int, work: Path, with_po: bool = True) -> dict[str, Any]:
    """The feeds, text files and (``with_po``) PO files of ``n`` pairs under ``work``; what they hold."""
    from translate.storage import po

    rows = corpus_rows(corpus)
    stores: dict[str, Any] = {}
    langs: dict[str, int] = {}
    with (
        open(work / "feed.jsonl", "w", encoding="utf-8") as feed,
        open(work / "feed-src.jsonl", "w", encoding="utf-8") as feed_src,
        open(work / "hyp.txt", "w", encoding="utf-8") as hyp,
        open(work / "ref.txt", "w", encoding="utf-8") as ref,
    ):
        for seg, doc, source, target, reference, src_lang, tgt_lang in take(rows, n):
            record = {"segment_id": seg, "doc_id": doc, "source": source, "target": target}
            langs_part = {"src_lang": src_lang, "tgt_lang": tgt_lang}
            feed_src.write(json.dumps({**record, **langs_part}, ensure_ascii=False) + "\n")
            feed.write(
                json.dumps({**record, "reference": reference, **langs_part}, ensure_ascii=False) + "\n"
            )
            hyp.write(clean(target) + "\n")
            ref.write(clean(reference) + "\n")
            langs[tgt_lang] = langs.get(tgt_lang, 0) + 1
            if not with_po:
                continue
            if tgt_lang not in stores:
                stores[tgt_lang] = po.pofile()
                stores[tgt_lang].settargetlanguage(tgt_lang)
            unit = stores[tgt_lang].addsourceunit(source)
            unit.target = target
            unit.setcontext(seg)  # msgctxt keeps repeated sources distinct
    for lang, store in sorted(stores.items()):
        folder = work / "po" / f"feed-{lang}"  # measure_pofilter reads the language from the folder
        folder.mkdir(parents=True)
        (folder / "feed.po").write_bytes(bytes(store))
    return {"segments": n, "distinct": min(n, len(rows)), "target_languages": dict(sorted(langs.items()))}


# --------------------------------------------------------------------------- measurements (children)


def tree_run(command: list[str]) -> dict[str, Any]:
    """Run ``command``, timing it and sampling its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with TreeSampler(interval=0.5) as tree:  # a scan of /proc costs CPU on a busy machine
        proc = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
        )
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "seconds": seconds,
        "cpu_seconds": max(waited, sum(tree.cpu.values())),  # both are lower bounds
        "peak_mb": max([*tree.peak_mb.values(), after.ru_maxrss / 1024]),
        "peak_sum_mb": max(sum(tree.peak_mb.values()), after.ru_maxrss / 1024),
        "processes": len(tree.peak_mb),
    }


def in_sequence(commands: list[list[str]]) -> dict[str, Any]:
    """``commands`` one after the other: times added, the larger peak (they never overlap)."""
    runs = [tree_run(command) for command in commands]
    return {
        "seconds": sum(r["seconds"] for r in runs),
        "cpu_seconds": sum(r["cpu_seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "peak_sum_mb": max(r["peak_sum_mb"] for r in runs),
        "processes": max(r["processes"] for r in runs),
    }


def tqaudit_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tqaudit", *args]


def audit_row(work: Path, row: str) -> dict[str, Any]:
    """One ``tqaudit audit`` run of ``row``; its findings counted and hashed from findings.csv."""
    full = row.startswith("full")
    out = work / f"report-{row}"
    args = [str(work / ("feed.jsonl" if full else "feed-src.jsonl")), "--out", str(out)]
    args += ["--fail-on", "never", "--quiet", "--format", "csv,json,md"]
    args += ["--jobs", "1" if row.endswith("j1") else "2"]
    if not full:
        args += ["--ignore", ",".join(langid_rules())]
    if row == "dask":
        args += ["--engine", "dask"]
    result = tree_run(tqaudit_command("audit", *args))
    findings = out / "findings.csv"
    with open(findings, encoding="utf-8", newline="") as fh:
        result["findings"] = sum(1 for _ in csv.reader(fh)) - 1
    result["findings_hash"] = hashlib.sha256(findings.read_bytes()).hexdigest()[:16]
    return result


def raw_langdetect(targets: list[str]) -> dict[str, Any]:
    """``langdetect.detect`` per target, as a script calling the library directly would."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect("warm-up: the profiles load on the first call")  # not part of the per-segment cost
    before = current_rss_mb()
    none = 0
    cpu0, start = cpu_seconds(), time.perf_counter()
    for text in targets:
        try:
            detect(text)
        except LangDetectException:
            none += 1
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    return {"seconds": seconds, "cpu_seconds": cpu, "no_verdict": none, "rss_before_mb": before}


def measure(work: Path, row: str) -> dict[str, Any]:
    """The measurement of ``row`` on the data in ``work`` (run in a fresh child process)."""
    with open(work / "hyp.txt", encoding="utf-8") as fh:
        n = sum(1 for _ in fh)
    if row in ("rules-j1", "rules-j2", "dask", "full-j1", "full-j2"):
        result = audit_row(work, row)
    elif row == "pofilter":
        raw = measure_pofilter(work / "po", 1)
        result = {k: raw[k] for k in ("seconds", "cpu_seconds", "failing_units", "rss_before_mb")}
        result["segments"] = raw["segments"]
    elif row == "sacrebleu":
        hyp, ref = str(work / "hyp.txt"), str(work / "ref.txt")
        result = in_sequence([["sacrebleu", ref, "-i", hyp, "-m", m, "-sl"] for m in ("bleu", "chrf")])
    elif row == "score-j1":
        hyp, ref = str(work / "hyp.txt"), str(work / "ref.txt")
        cmd = ["score", hyp, "--ref", ref, "-m", "bleu,chrf", "--sentence-level", "--jobs", "1"]
        result = tree_run(tqaudit_command(*cmd))
    elif row == "langdetect":
        with open(work / "feed-src.jsonl", encoding="utf-8") as fh:
            targets = [json.loads(line)["target"] for line in fh]
        result = raw_langdetect(targets)
    else:
        raise SystemExit(f"unknown row {row!r}; rows: {', '.join(ROWS)}")
    if "peak_mb" not in result:  # measured in this process
        result["peak_mb"] = result["peak_sum_mb"] = rss_mb()
        result["processes"] = 1
    result.setdefault("segments", n)
    if result["segments"] != n:
        raise SystemExit(f"{row}: {result['segments']} segments measured, {n} in the data")
    return result


def run_child(work: Path, row: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", row, "--work", str(work)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"row {row} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


# --------------------------------------------------------------------------- report


def rate(r: dict[str, Any]) -> float:
    return float(r["segments"]) / float(r["seconds"])


def cpu_rate(r: dict[str, Any]) -> float:
    return float(r["segments"]) / float(r["cpu_seconds"])


def note(row: str, r: dict[str, Any]) -> str:
    text = _result(row, r)
    if "rss_before_mb" in r:  # measured in the child itself, whose imports include tqaudit's
        text += f"; RSS {r['rss_before_mb']:.0f} MB before the work"
    return text.lstrip("; ")


def _result(row: str, r: dict[str, Any]) -> str:
    if "findings" in r:
        return f"{r['findings']:,} findings ({r['findings_hash']})"
    if row == "pofilter":
        return f"{r['failing_units']:,} failing units"
    if row == "langdetect":
        return f"{r['no_verdict']:,} without verdict"
    return ""


def table_for(run: dict[str, Any]) -> str:
    """The Markdown report of one N: throughput, memory and ratios."""
    n, results = run["segments"], run["results"]
    out = [f"# tqaudit and its peers on {n:,} WMT22 pairs", ""]
    data = run["data"]
    out.append(
        f"`python benchmarks/run.py --corpus {run['corpus']} --segments {n}`: {data['distinct']:,} distinct "
        f"system segments of {run['files']} system outputs (line by line across all pairs"
        + (", repeated with distinct ids" if n > data["distinct"] else "")
        + "); target languages "
        + ", ".join(f"{k} {v:,}" for k, v in data["target_languages"].items())
        + "."
    )
    out.append(
        f"{run['machine']}; tqaudit {run['tqaudit']}, code of commit {git_commit(run['commit'])}; "
        f"run started {run['started']}, "
        f"load average {run['load'][0]:.1f} before and {run['load'][1]:.1f} after (the machine was shared: "
        "compare segments per CPU-second). Each row ran in a fresh child process."
    )
    out += ["", md_table(rows_table(results)), ""]
    missing = [row for row in run.get("rows", results) if row not in results]
    if missing:
        out += [f"Not measured (the run was stopped before them): {', '.join(missing)}.", ""]
    ratios = ratio_lines(results)
    if ratios:
        out += [
            "Ratios (> 1: the first is faster): segments per CPU-second, the measure on a shared "
            "machine; wall-clock segments per second in brackets:",
            "",
        ]
        out += [*ratios, ""]
    hashes = {results[r]["findings_hash"] for r in ("rules-j1", "rules-j2", "dask") if r in results}
    if len(hashes) > 1:
        out += ["**The rules runs (local jobs 1/2, dask) wrote different findings.csv.**", ""]
    elif len(hashes) == 1 and len([r for r in ("rules-j1", "rules-j2", "dask") if r in results]) > 1:
        out += ["The rules runs (local jobs 1/2 and dask, those measured) wrote identical findings.csv.", ""]
    return "\n".join(out)


def rows_table(results: dict[str, dict[str, Any]]) -> list[list[str]]:
    head = [
        "row",
        "what",
        "wall s",
        "segments/s",
        "CPU s",
        "segments/CPU-s",
        "peak RSS MB",
        "sum of peaks MB",
    ]
    rows = [[*head, "result"]]
    for row in ROWS:
        if row not in results:
            continue
        r = results[row]
        total = f"{r['peak_sum_mb']:.0f} ({r['processes']} proc.)" if r["processes"] > 1 else "-"
        rows.append(
            [
                f"`{row}`",
                WHAT[row],
                f"{r['seconds']:.1f}",
                f"{rate(r):,.0f}",
                f"{r['cpu_seconds']:.1f}",
                f"{cpu_rate(r):,.0f}",
                f"{r['peak_mb']:.0f}",
                total,
                note(row, r),
            ]
        )
    return rows


def ratio_lines(results: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for row, peer in RATIOS:
        if row in results and peer in results:
            a, b = results[row], results[peer]
            lines.append(
                f"- `{row}` / `{peer}`: **{cpu_rate(a) / cpu_rate(b):.2f}×** ({rate(a) / rate(b):.2f}×); "
                f"peak RSS {a['peak_mb']:.0f} / {b['peak_mb']:.0f} MB"
            )
    return lines


def curve(runs: list[dict[str, Any]]) -> str:
    """Time and memory against N for every row measured at two or more N."""
    runs = sorted(runs, key=lambda r: r["segments"])
    sizes = [r["segments"] for r in runs]
    out = ["# tqaudit and its peers against N (WMT22 pairs)", ""]
    out.append(
        "Collected from `run-N.json` (one `python benchmarks/run.py --segments N` each; the tables per N "
        "are in `run-N.md`). CPU-seconds and peak RSS (largest process) per row and N; "
        "*µs/seg* is CPU time per segment, *KB/seg* the peak above the smallest N's, per added segment."
    )
    out += [""]
    head = ["row", *[f"{n:,}: CPU s / peak MB" for n in sizes], "µs/seg (largest N)", "KB/seg"]
    rows = [head]
    for row in ROWS:
        cells, have = [], []
        for run in runs:
            r = run["results"].get(row)
            cells.append(f"{r['cpu_seconds']:.1f} / {r['peak_mb']:.0f}" if r else "-")
            if r:
                have.append((run["segments"], r))
        if not have:
            continue
        (n0, r0), (n1, r1) = have[0], have[-1]
        per_seg = f"{1e6 * r1['cpu_seconds'] / n1:,.0f}"
        growth = f"{1024 * (r1['peak_mb'] - r0['peak_mb']) / (n1 - n0):.2f}" if n1 > n0 else "-"
        rows.append([f"`{row}`", *cells, per_seg, growth])
    out += [md_table(rows), ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- parent


def git_commit(rev: str = "HEAD") -> str:
    """The last commit at or before ``rev`` that changed ``tqaudit/`` (the code measured).

    ``+changes`` marks uncommitted changes there; a commit of the benchmarks alone keeps the name.
    """
    proc = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h", rev.split("+")[0], "--", "tqaudit"],
        capture_output=True,
        text=True,
    )
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "tqaudit"], capture_output=True, text=True
    )
    changed = dirty.stdout.strip() if rev == "HEAD" else "+changes" in rev
    return proc.stdout.strip() + ("+changes" if changed else "")


def run_size(
    corpus: Path,
    n: int,
    rows: list[str],
    say: Callable[[str], None],
    save: Callable[[dict[str, Any]], None],
    earlier: dict[str, Any] | None = None,
) -> None:
    """Measure ``rows`` on ``n`` pairs; ``save`` gets the run after every row (a partial run counts).

    ``earlier`` (the saved run of the same N) keeps its other rows when it measured the same code
    on the same corpus: ``--only`` completes a stopped run. Each row records when it started.
    """
    import tqaudit

    run: dict[str, Any] = {
        "segments": n,
        "corpus": str(corpus),
        "files": len(system_files(corpus)),
        "rows": rows,
        "results": {},
        "tqaudit": tqaudit.__version__,
        "commit": git_commit(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": [os.getloadavg()[0], os.getloadavg()[0]],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    if earlier and (git_commit(earlier["commit"]), earlier["corpus"]) == (run["commit"], run["corpus"]):
        run["results"] = {k: v for k, v in earlier["results"].items() if k not in rows}
        run["rows"] = list(dict.fromkeys([*earlier.get("rows", earlier["results"]), *rows]))
        run["started"] = f"{earlier['started']} (rows {', '.join(rows)}: {run['started']})"
        run["load"][0] = min(run["load"][0], earlier["load"][0])
    with tempfile.TemporaryDirectory(prefix="tqaudit-run-") as tmp:
        work = Path(tmp)
        say(f"N={n:,}: writing the data …")
        run["data"] = write_data(corpus, n, work, with_po="pofilter" in rows)
        for row in rows:
            say(f"N={n:,}: {row} …")
            started = time.strftime("%H:%M UTC", time.gmtime())
            r = run["results"][row] = {**run_child(work, row), "started": started}
            run["load"][1] = os.getloadavg()[0]
            save(run)
            say(f"    {r['seconds']:.1f} s, {r['cpu_seconds']:.1f} CPU s, peak {r['peak_mb']:.0f} MB")


def sizes(values: list[str]) -> list[int]:
    out = []
    for value in values:
        for part in filter(None, value.split(",")):
            n = int(float(part.replace("_", "")))
            if n < 1:
                raise SystemExit(f"--segments must be at least 1, got {part}")
            out.append(n)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "wmt")
    parser.add_argument("--segments", action="append", default=[], help="N (repeatable or comma list)")
    parser.add_argument("--only", default="", help=f"rows to run, in this order: {', '.join(ROWS)}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for run-N.md/json and run.md")
    parser.add_argument("--render", action="store_true", help="only rewrite the tables from OUT/run-*.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.work, args.child)))
        return 0
    rows = [r for r in args.only.split(",") if r] or list(ROWS)
    unknown = sorted(set(rows) - set(ROWS))
    if unknown:
        raise SystemExit(f"unknown rows {', '.join(unknown)}; rows: {', '.join(ROWS)}")
    rows = list(dict.fromkeys(rows))  # in the order given: a run stopped early keeps the first ones
    if not args.corpus.is_dir() or not system_files(args.corpus):
        raise SystemExit(f"{args.corpus}: no <src>-<tgt>/sys/ folders")
    args.out.mkdir(parents=True, exist_ok=True)
    for n in [] if args.render else sizes(args.segments or ["10000"]):
        saved = args.out / f"run-{n}.json"
        earlier = json.loads(saved.read_text("utf-8")) if saved.exists() else None
        say = partial(print, file=sys.stderr, flush=True)
        run_size(args.corpus, n, rows, say, partial(save, args.out), earlier)
        print(table_for(json.loads((args.out / f"run-{n}.json").read_text("utf-8"))))
    runs = [json.loads(p.read_text("utf-8")) for p in sorted(args.out.glob("run-*.json"))]
    if args.render:
        for run in runs:
            write_text(args.out / f"run-{run['segments']}.md", table_for(run))
    emit(curve(runs), args.out / "run.md")
    return 0


def save(out: Path, run: dict[str, Any]) -> None:
    """``run`` so far as OUT/run-N.json and OUT/run-N.md (atomic writes: a stopped run keeps its rows)."""
    n = run["segments"]
    write_text(out / f"run-{n}.json", json.dumps(run, indent=1, sort_keys=True) + "\n")
    write_text(out / f"run-{n}.md", table_for(run))


if __name__ == "__main__":
    raise SystemExit(main())
