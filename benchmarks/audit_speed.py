"""Audit throughput: tqaudit (library call, all rules, with source) against translate-toolkit's pofilter.

Usage::

    python benchmarks/audit_speed.py [WMT_DIR] [--lines-per-file N] [--out benchmarks/results/audit_speed.md]
    python benchmarks/audit_speed.py [WMT_DIR] --lines-per-file N --pairs K [--out FILE]

WMT_DIR (default ``../shared/data/wmt`` relative to the repository root) holds one folder per
pair ``<src>-<tgt>`` with ``src.<src>`` and ``sys/*.<tgt>``. Every system output of every pair
is concatenated into one feed (about 100k segments; ``--lines-per-file N`` keeps the first N
lines of each file, 0 = all), with its source and its languages.

What each side does (each measurement runs in a fresh child process, so caches start cold and
peak memory belongs to that measurement alone):

- **tqaudit**: ``tqaudit.audit(frame, Config(fail_on="never", jobs=J))`` on the whole feed as a
  segments DataFrame (built before the clock starts): every registered rule, language
  identification of target and source (langdetect, cached per distinct text within a process),
  findings table with excerpts. Measured at ``jobs=1`` and ``jobs=2``, plus ``jobs=1`` without
  the rules that read language-identification verdicts (``langid_rules()``: LG001, LG002,
  LG005) to show what the language model costs.
- **pofilter**: one PO file per system output (``msgid`` = source, ``msgstr`` = target), written to
  a temporary folder before the clock starts. Then, as the ``pofilter`` command does per file:
  parse the PO file and run ``pocheckfilter.filterfile`` with the default checkers
  (``StandardChecker`` + ``StandardUnitChecker``, all their filters: the list is printed) and
  ``--language`` set to the target language. Measured in one process, and in two processes
  (the files split over a ``multiprocessing`` pool of 2) to compare with ``jobs=2``.
  Writing pofilter's output file is not timed (tqaudit's reports are not timed either).
  The ``pofilter`` command itself is also timed end to end on the same files (one invocation
  per pair, output files written, interpreter start-up included) as a cross-check.

``--pairs K`` measures only the ratio of tqaudit without the language model to pofilter in one
process, K times, each time the two children one right after the other: the speed of a shared
VM drifts by a tenth or more within minutes, which shifts a ratio of runs made minutes apart;
a pair's two runs see the same machine. It prints each pair's ratio and their median.

Peak memory is ``resource.getrusage(...).ru_maxrss`` of the measuring child (and of its largest
pool worker for ``jobs=2``), with the RSS after loading the data and the libraries shown apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tqaudit.io.writers import write_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WMT = ROOT.parent / "shared" / "data" / "wmt"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "audit_speed.md"


# --------------------------------------------------------------------------- data


def read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 file, verbatim (a BOM stays: both tools see the same text), split on
    ``\n`` only; a last line without its newline is kept. The one line reader of the
    benchmarks that read WMT files as the rules see them."""
    lines = path.read_text("utf-8").split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def system_files(wmt: Path) -> list[tuple[str, str, str, Path, Path]]:
    """(pair, src_lang, tgt_lang, source file, system file) for every system output."""
    out = []
    for pair in sorted(p for p in wmt.iterdir() if p.is_dir() and "-" in p.name):
        src_lang, tgt_lang = pair.name.split("-")
        for sys_file in sorted((pair / "sys").iterdir()):
            out.append((pair.name, src_lang, tgt_lang, pair / f"src.{src_lang}", sys_file))
    return out


def load_rows(wmt: Path, limit: int) -> list[tuple[str, str, str, str, str, str]]:
    """(segment_id, file label, source, target, src_lang, tgt_lang) for the whole feed."""
    rows = []
    for pair, src_lang, tgt_lang, src_file, sys_file in system_files(wmt):
        sources, targets = read_lines(src_file), read_lines(sys_file)
        if limit:
            sources, targets = sources[:limit], targets[:limit]
        label = f"{pair}/{sys_file.stem}"
        for i, (s, t) in enumerate(zip(sources, targets, strict=True)):
            rows.append((f"{label}:{i + 1}", label, s, t, src_lang, tgt_lang))
    return rows


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class TreeSampler:
    """CPU seconds and peak RSS of this process's descendants, sampled from /proc.

    tqaudit's worker processes come from a fork server: they are not this process's
    children, so ``RUSAGE_CHILDREN`` never sees them. A thread reads every descendant's
    ``/proc/<pid>/stat`` and ``status`` every ``interval`` seconds and keeps the last CPU time
    and the peak RSS seen per process (a worker's last ``interval`` before it exits is lost).
    """

    def __init__(self, interval: float = 0.05) -> None:
        import threading

        self.interval = interval
        self.cpu: dict[int, float] = {}
        self.peak_mb: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _descendants(self) -> list[int]:
        parent: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            kids = [p for p, pp in parent.items() if pp == pid]
            found += kids
            todo += kids
        return found

    def _sample(self) -> None:
        for pid in self._descendants():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_mb[pid] = max(self.peak_mb.get(pid, 0.0), int(line.split()[1]) / 1024)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# --------------------------------------------------------------------------- measurements (children)


def langid_rules() -> tuple[str, ...]:
    """Codes of the rules that read language-identification verdicts (``requires`` a language column).

    "Without language identification" leaves all of them out: one such rule alone makes the
    engine load and run the language model (LG005 on its subset of rows, for instance).
    """
    from tqaudit.chunk import LANGUAGE_COLUMNS
    from tqaudit.rules import load_rules

    rules = sorted(load_rules().items())
    return tuple(code for code, cls in rules if set(cls.requires) & set(LANGUAGE_COLUMNS))


def measure_tqaudit(wmt: Path, limit: int, jobs: int, no_langid: bool) -> dict[str, Any]:
    import pandas as pd

    import tqaudit

    rows = load_rows(wmt, limit)
    frame = pd.DataFrame(
        {
            "segment_id": [r[0] for r in rows],
            "doc_id": [r[1] for r in rows],  # one system file = one corpus for CN001
            "source": [r[2] for r in rows],
            "target": [r[3] for r in rows],
            "src_lang": [r[4] for r in rows],
            "tgt_lang": [r[5] for r in rows],
        }
    )
    ignore = langid_rules() if no_langid else ()
    config = tqaudit.Config(fail_on="never", jobs=jobs, ignore=ignore)
    before = current_rss_mb()
    load = os.getloadavg()[0]
    cpu0, start = cpu_seconds(), time.perf_counter()
    with TreeSampler() as tree:  # worker processes (fork server children) included
        result = tqaudit.audit(frame, config)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0 + sum(tree.cpu.values())
    return {
        "segments": len(frame),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load": [load, os.getloadavg()[0]],
        "findings": len(result.findings),
        "by_rule": {str(k): int(v) for k, v in result.findings["rule"].value_counts().sort_index().items()},
        "rules": result.rules,
        "signature": result.signature,
        "module": tqaudit.__file__,
        "rss_before_mb": before,
        "peak_self_mb": rss_mb(),
        "peak_children_mb": max([rss_mb(resource.RUSAGE_CHILDREN), *tree.peak_mb.values()]),
    }


class _Options:
    """The pofilter command's defaults (``pofilter --language L in out``)."""

    excludefilters: dict[str, Any] = {}  # noqa: RUF012 - mirrors optparse's attribute
    limitfilters = None
    includefuzzy = True
    includereview = True
    autocorrect = False
    addnotes = True


def _checkfilter(lang: str) -> Any:
    from translate.filters import checks, pofilter

    config = checks.CheckerConfig(targetlanguage=lang)
    return pofilter.pocheckfilter(_Options(), None, config)


def pofilter_file(job: tuple[str, str]) -> tuple[int, int, dict[str, int], float]:
    """Parse one PO file and run pofilter's checks on it: (units, failing units, per check, parse s)."""
    from translate.storage import po

    path, lang = job
    start = time.perf_counter()
    store = po.pofile.parsefile(path)
    parsed = time.perf_counter() - start
    checker = _checkfilter(lang)
    units = failing = 0
    per_check: dict[str, int] = {}
    for unit in store.units:
        if unit.isheader():
            continue
        units += 1
        failures = checker.filterunit(unit)
        if failures:
            failing += 1
            for name in failures:
                per_check[name] = per_check.get(name, 0) + 1
    return units, failing, per_check, parsed


def measure_pofilter(po_dir: Path, processes: int) -> dict[str, Any]:
    jobs = [(str(p), p.parent.name.split("-")[1]) for p in sorted(po_dir.glob("*/*.po"))]
    before = current_rss_mb()
    load = os.getloadavg()[0]
    cpu0, start = cpu_seconds(), time.perf_counter()
    if processes > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(pofilter_file, jobs, chunksize=1)
    else:
        results = [pofilter_file(job) for job in jobs]
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu0
    per_check: dict[str, int] = {}
    for _, _, checks_hit, _ in results:
        for name, n in checks_hit.items():
            per_check[name] = per_check.get(name, 0) + n
    filters = sorted(_checkfilter("en").checker.getfilters())
    return {
        "segments": sum(r[0] for r in results),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load": [load, os.getloadavg()[0]],
        "parse_seconds": sum(r[3] for r in results),
        "failing_units": sum(r[1] for r in results),
        "by_check": dict(sorted(per_check.items())),
        "filters": filters,
        "rss_before_mb": before,
        "peak_self_mb": rss_mb(),
        "peak_children_mb": rss_mb(resource.RUSAGE_CHILDREN),
    }


# --------------------------------------------------------------------------- parent


def write_po_files(wmt: Path, limit: int, out: Path) -> int:
    """One PO file per system output under ``out/<pair>/``; returns the number of units."""
    from translate.storage import po

    total = 0
    for pair, _src_lang, tgt_lang, src_file, sys_file in system_files(wmt):
        sources, targets = read_lines(src_file), read_lines(sys_file)
        if limit:
            sources, targets = sources[:limit], targets[:limit]
        store = po.pofile()
        store.settargetlanguage(tgt_lang)
        for i, (s, t) in enumerate(zip(sources, targets, strict=True)):
            unit = store.addsourceunit(s)
            unit.target = t
            unit.setcontext(f"{sys_file.stem}:{i + 1}")  # msgctxt keeps repeated sources distinct
        folder = out / pair
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{sys_file.stem}.po").write_bytes(bytes(store))
        total += len(sources)
    return total


def run_child(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def time_pofilter_cli(po_dir: Path) -> tuple[float, int] | None:
    exe = shutil.which("pofilter")
    if exe is None:
        return None
    out_dir = po_dir.parent / "pofilter-out"
    out_dir.mkdir(exist_ok=True)
    start = time.perf_counter()
    runs = 0
    for pair_dir in sorted(p for p in po_dir.iterdir() if p.is_dir()):
        lang = pair_dir.name.split("-")[1]
        command = [exe, "--language", lang, "--progress", "none"]
        command += ["-i", str(pair_dir), "-o", str(out_dir / pair_dir.name)]
        subprocess.run(command, check=True, capture_output=True)
        runs += 1
    return time.perf_counter() - start, runs


def paired_ratio(wmt: Path, limit: int, pairs: int) -> str:
    """The rules-only ratio (tqaudit without the language model / pofilter, segments per
    CPU-second, one process each) from ``pairs`` runs of the two children back to back."""
    common = [str(wmt), "--lines-per-file", str(limit)]
    rows = [["pair", "tqaudit CPU s", "pofilter CPU s", "ratio", "load"]]
    ratios = []
    with tempfile.TemporaryDirectory(prefix="tqaudit-bench-") as tmp:
        po_dir = Path(tmp) / "po"
        write_po_files(wmt, limit, po_dir)
        for i in range(1, pairs + 1):
            load = os.getloadavg()[0]
            tq = run_child([*common, "--child", "tqaudit", "--jobs", "1", "--no-langid"])
            pf = run_child([*common, "--child", "pofilter", "--jobs", "1", "--po-dir", str(po_dir)])
            assert tq["segments"] == pf["segments"], (tq["segments"], pf["segments"])
            ratio = pf["cpu_seconds"] / tq["cpu_seconds"]  # same segments: the ratio of rates
            ratios.append(ratio)
            rows.append(
                [
                    str(i),
                    f"{tq['cpu_seconds']:.2f}",
                    f"{pf['cpu_seconds']:.2f}",
                    f"{ratio:.2f}×",
                    f"{load:.1f}",
                ]
            )
            print(f"pair {i}: {ratio:.2f}×", file=sys.stderr)
    return (
        f"# tqaudit without the language model vs pofilter, {pairs} pairs of runs\n\n"
        f"{tq['segments']:,} segments (first {limit} lines of each WMT22 system output); each pair's two "
        f"children ran back to back; per CPU-second. {_provenance()}\n\n"
        f"{md_table(rows)}\n\n**Median ratio: {statistics.median(ratios):.2f}×** "
        f"(from {min(ratios):.2f}× to {max(ratios):.2f}×)\n"
    )


def _provenance() -> str:
    """When, where and at which commit a measurement ran (for a results file)."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True, check=False
    ).stdout.strip()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    return f"Run {when} at commit {commit or 'unknown'} on {machine}."


def emit(text: str, out: str | Path | None) -> None:
    """A benchmark's results: printed, and written atomically to ``out`` when given."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if out:
        write_text(Path(out), text)


def md_table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wmt", nargs="?", default=str(DEFAULT_WMT))
    parser.add_argument("--lines-per-file", type=int, default=0, help="first N lines of each file (0 = all)")
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--child", choices=["tqaudit", "pofilter"], help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--no-langid", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--po-dir", help=argparse.SUPPRESS)
    parser.add_argument(
        "--pairs", type=int, default=0, help="only the rules-only ratio, from K interleaved pairs"
    )
    args = parser.parse_args(argv)
    wmt, limit = Path(args.wmt), args.lines_per_file

    if args.child == "tqaudit":
        print(json.dumps(measure_tqaudit(wmt, limit, args.jobs, args.no_langid)))
        return 0
    if args.child == "pofilter":
        print(json.dumps(measure_pofilter(Path(args.po_dir), args.jobs)))
        return 0

    if args.pairs:  # printed; written only to an --out named on the command line
        emit(paired_ratio(wmt, limit, args.pairs), args.out if args.out != str(DEFAULT_OUT) else None)
        return 0
    common = [str(wmt), "--lines-per-file", str(limit)]

    import translate

    import tqaudit

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="tqaudit-bench-") as tmp:
        po_dir = Path(tmp) / "po"
        n_po = write_po_files(wmt, limit, po_dir)
        for procs in (1, 2):
            print(f"pofilter, {procs} process(es) …", file=sys.stderr)
            results[f"pofilter p{procs}"] = run_child(
                [*common, "--child", "pofilter", "--jobs", str(procs), "--po-dir", str(po_dir)]
            )
        cli = time_pofilter_cli(po_dir)
        for jobs, no_langid in ((1, False), (2, False), (1, True)):
            print(f"tqaudit, jobs={jobs}{' no langid' if no_langid else ''} …", file=sys.stderr)
            extra = ["--no-langid"] if no_langid else []
            results[f"tqaudit j{jobs}{' nolg' if no_langid else ''}"] = run_child(
                [*common, "--child", "tqaudit", "--jobs", str(jobs), *extra]
            )

    tq1, tq2, tqn = results["tqaudit j1"], results["tqaudit j2"], results["tqaudit j1 nolg"]
    pf1, pf2 = results["pofilter p1"], results["pofilter p2"]
    n = tq1["segments"]
    signatures = {r["signature"] for r in (tq1, tq2)}
    assert n == pf1["segments"] == n_po, (n, pf1["segments"], n_po)

    def rate(r: dict[str, Any]) -> float:
        return float(r["segments"]) / float(r["seconds"])

    def cpu_rate(r: dict[str, Any]) -> float:
        return float(r["segments"]) / float(r["cpu_seconds"])

    out = ["# Audit throughput: tqaudit vs pofilter (translate-toolkit)", ""]
    subset = f"first {limit} lines of each file" if limit else "every line"
    out.append(
        f"Feed: every WMT22 system output of the 8 pairs in `{wmt.name}/` concatenated ({subset}): "
        f"**{n:,} segments** from {len(system_files(wmt))} files, with their sources."
    )
    out.append(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; tqaudit {tqaudit.__version__}, translate-toolkit "
        f"{translate.__version__.sver}. Each row ran in a fresh child process (cold caches)."
    )
    where = Path(tq1["module"]).parent
    out.append(f"tqaudit run signature: {', '.join(sorted(signatures))} (package at `{where}`).")
    if len(signatures) > 1:
        out.append("**Warning: the tqaudit runs used different rule sets; the code changed during the run.**")
    out += ["", "## Throughput", ""]
    out.append(
        "*segments/s* is wall-clock throughput; *segments/CPU-s* divides by the CPU time (user + "
        "system) of the measuring process and its workers, which other load on the machine does not "
        "inflate. *load* is the 1-minute load average before/after the run: with more than "
        f"{os.cpu_count()} the machine was shared and the wall-clock figures are pessimistic."
    )
    out.append("")
    rows = [
        [
            "tool",
            "what runs",
            "processes",
            "seconds",
            "segments/s",
            "CPU s",
            "segments/CPU-s",
            "load",
            "findings / failing units",
        ]
    ]
    entries = [
        (
            "tqaudit",
            f"{len(tq1['rules'])} rules incl. langid (target + source)",
            "1",
            tq1,
            f"{tq1['findings']:,} findings",
        ),
        (
            "tqaudit",
            f"{len(tq2['rules'])} rules incl. langid (target + source)",
            "2 (jobs=2)",
            tq2,
            f"{tq2['findings']:,} findings",
        ),
        (
            "tqaudit",
            f"{len(tqn['rules'])} rules, {'/'.join(langid_rules())} off (no language model)",
            "1",
            tqn,
            f"{tqn['findings']:,} findings",
        ),
        (
            "pofilter",
            f"{len(pf1['filters'])} checks, parse PO + check",
            "1",
            pf1,
            f"{pf1['failing_units']:,} units",
        ),
        (
            "pofilter",
            f"{len(pf2['filters'])} checks, parse PO + check",
            "2 (pool)",
            pf2,
            f"{pf2['failing_units']:,} units",
        ),
    ]
    for tool, what, processes, r, found in entries:
        rows.append(
            [
                tool,
                what,
                processes,
                f"{r['seconds']:.1f}",
                f"{rate(r):,.0f}",
                f"{r['cpu_seconds']:.1f}",
                f"{cpu_rate(r):,.0f}",
                "/".join(f"{x:.1f}" for x in r["load"]),
                found,
            ]
        )
    if cli:
        rows.append(
            [
                "`pofilter` command",
                "same, plus writing output PO, 1 run per pair",
                "1",
                f"{cli[0]:.1f}",
                f"{n / cli[0]:,.0f}",
                "-",
                "-",
                "-",
                "-",
            ]
        )
    out += [md_table(rows), ""]
    out.append(
        f"pofilter spent {pf1['parse_seconds']:.1f} s of its single-process time parsing PO "
        f"files; checks alone: {n / (pf1['seconds'] - pf1['parse_seconds']):,.0f} segments/s."
    )
    out += ["", "**Throughput ratio tqaudit / pofilter** (wall segments/s; per CPU-second in brackets):", ""]

    def both(a: dict[str, Any], b: dict[str, Any]) -> str:
        return (
            f"{rate(a):,.0f} / {rate(b):,.0f} = **{rate(a) / rate(b):.2f}×** "
            f"({cpu_rate(a):,.0f} / {cpu_rate(b):,.0f} = {cpu_rate(a) / cpu_rate(b):.2f}×)"
        )

    out.append(f"- 1 process: {both(tq1, pf1)}")
    out.append(f"- 2 processes: {both(tq2, pf2)}")
    out.append(f"- tqaudit without the language model, 1 process: {both(tqn, pf1)}")
    out.append(f"- tqaudit jobs=2 speed-up over jobs=1 (wall): {rate(tq2) / rate(tq1):.2f}×")

    out += ["", "## Peak memory (ru_maxrss)", ""]
    rows = [
        ["run", "RSS after loading data (MB)", "peak, measuring process (MB)", "peak, largest worker (MB)"]
    ]
    for key, label in (
        ("tqaudit j1", "tqaudit jobs=1"),
        ("tqaudit j2", "tqaudit jobs=2"),
        ("tqaudit j1 nolg", f"tqaudit jobs=1, no {'/'.join(langid_rules())}"),
        ("pofilter p1", "pofilter, 1 process"),
        ("pofilter p2", "pofilter, pool of 2"),
    ):
        r = results[key]
        worker = f"{r['peak_children_mb']:.0f}" if r["peak_children_mb"] > 0 else "-"
        rows.append([label, f"{r['rss_before_mb']:.0f}", f"{r['peak_self_mb']:.0f}", worker])
    out += [md_table(rows), ""]
    out.append(
        "tqaudit's measuring process holds the whole feed as a DataFrame plus the findings table; "
        "pofilter's holds one parsed PO file at a time."
    )

    out += ["", "## What each side checked", ""]
    out.append(
        f"- tqaudit rules ({len(tq1['rules'])}): {', '.join(tq1['rules'])}. Findings by rule: "
        + ", ".join(f"{k} {v:,}" for k, v in tq1["by_rule"].items())
        + "."
    )
    out.append(
        f"- pofilter filters ({len(pf1['filters'])}, `StandardChecker` + `StandardUnitChecker`, "
        f"default options): {', '.join(pf1['filters'])}. `spellcheck` does nothing without an "
        "enchant dictionary; `isfuzzy`/`isreview`/`hassuggestion`/`nplurals` look at PO metadata. "
        "Failing units by check: " + ", ".join(f"{k} {v:,}" for k, v in pf1["by_check"].items()) + "."
    )
    out += [
        "",
        "The two tools overlap only partly: pofilter compares source and target (numbers, "
        "punctuation, capitals, placeholders, length) with string checks; tqaudit looks for MT "
        "artifacts in the target and runs a statistical language identifier on target and source, "
        f"which is most of its time (compare the row without {'/'.join(langid_rules())}).",
        "",
    ]
    report = "\n".join(out)
    print(report)
    write_text(Path(args.out), report)  # atomic: never a half-written result file
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
