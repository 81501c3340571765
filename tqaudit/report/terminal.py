"""What ``tqaudit audit`` prints: the findings, ruff-style, then counts and the verdict.

``--output-format`` picks the listing:

- ``concise`` (default): one line per finding, ``path:line:col: CODE message``, errors first
  then warnings then notes, each in input order; capped at ``--limit`` with a count of the rest.
- ``full``: the same, each followed by the segment with the flagged span underlined, the
  suggested fix and the source.
- ``grouped``: one heading per input file, the findings under it as ``line:col CODE message``.
- ``json`` / ``json-lines``: every finding (never capped) with its location, for scripts.
- ``github``, ``gitlab``, ``rdjson``, ``sarif``, ``junit``: the CI formats of ``--format``, on
  standard output.

The human formats are followed by the summary table and the verdict; with a machine format
the summary goes to standard error, so standard output stays parseable. Colour follows the
terminal and ``NO_COLOR`` (rich decides).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from tqaudit.audit import AuditResult
from tqaudit.errors import ConfigError
from tqaudit.findings import CATEGORIES, SEVERITIES, SEVERITY_RANK
from tqaudit.report.locations import Location, input_path, located
from tqaudit.report.printable import json_c1_escaped, printable

HUMAN_FORMATS = ("concise", "full", "grouped")
MACHINE_FORMATS = ("json", "json-lines", "github", "gitlab", "rdjson", "sarif", "junit")
OUTPUT_FORMATS = HUMAN_FORMATS + MACHINE_FORMATS
STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def check_output_format(name: str) -> str:
    if name not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown --output-format {name!r} (known: {', '.join(OUTPUT_FORMATS)})")
    return name


Listed = tuple[dict[str, Any], Location, int]  # a finding, its place, the index of its run


def ordered(results: Sequence[AuditResult]) -> list[Listed]:
    """Findings of every run with their locations: most severe first, then input order (stable)."""
    out: list[Listed] = []
    for run, result in enumerate(results):
        out += [(row, where, run) for _, row, where in located(result)]
    out.sort(key=lambda f: (SEVERITY_RANK[str(f[0]["severity"])], f[2], f[1].line, f[1].column))
    return out


def _head(row: dict[str, Any], where: Location, with_path: bool) -> Text:
    text = Text()
    if with_path:
        text.append(printable(where.path), style="bold")
        text.append(":")
    text.append(f"{where.line}:{where.column}:", style="dim")
    text.append(" ")
    text.append(str(row["rule"]), style=STYLES[str(row["severity"])])
    text.append(" ")
    text.append(printable(str(row["message"])))
    if where.place:  # a feed: the article, paragraph and offset beside the file's line
        text.append(f" [{printable(where.place)}]", style="dim")
    return text


def _underlined(row: dict[str, Any], target: str, source: str) -> Iterator[Text]:
    """The segment, a caret line under the flagged span, the fix and the source."""
    start, end = int(row["start"]), int(row["end"])
    flat = printable(target.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    yield Text("  | ", style="dim") + Text(flat)
    if start >= 0:  # terminal cells, so wide (CJK) characters keep the carets under the span
        pad, width = cell_len(flat[:start]), max(cell_len(flat[start:end]), 1)
        yield Text("  | ", style="dim") + Text(" " * pad + "^" * width, style=STYLES[str(row["severity"])])
    if row["fix"] != "none":
        shown = f"'{printable(str(row['suggestion']))}'" if row["suggestion"] else "delete it"
        yield Text(f"  = fix ({row['fix']}): {shown}", style="green")
    elif row["suggestion"]:
        yield Text(f"  = consider: '{printable(str(row['suggestion']))}'", style="green")
    if source:
        yield Text("  source: ", style="dim") + Text(printable(source.replace("\n", " ")), style="dim")


def print_findings(results: Sequence[AuditResult], console: Console, fmt: str, limit: int) -> None:
    """The findings in a human format (``concise``, ``full``, ``grouped``), capped at ``limit``."""
    found = ordered(results)
    shown = found if limit <= 0 else found[:limit]
    if fmt == "grouped":
        for path in dict.fromkeys(where.path for _, where, _ in shown):
            console.print(Text(printable(path), style="bold underline"))
            for row, where, _ in shown:
                if where.path == path:
                    console.print(Text("  ") + _head(row, where, with_path=False), soft_wrap=True)
            console.print()
    else:
        segments = [r.flagged_rows.segments.set_index("segment_id") for r in results]
        for row, where, run in shown:
            console.print(_head(row, where, with_path=True), soft_wrap=True)
            if fmt == "full":
                seg = segments[run].loc[row["segment_id"]]
                for line in _underlined(row, str(seg["target"]), str(seg["source"])):
                    console.print(line, soft_wrap=True)
                console.print()
    rest = len(found) - len(shown)
    if rest:
        console.print(Text(f"… and {rest:,} more (--limit 0 shows all; every finding is in the reports)"))


def _record(row: dict[str, Any], where: Location) -> dict[str, Any]:
    out = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
    location = {"path": where.path, "line": where.line, "column": where.column}
    if where.exact:
        location["end_column"] = where.end_column
    if where.place:
        location["place"] = where.place
    return {"location": location, **out}


def render_machine(results: Sequence[AuditResult], fmt: str) -> str:
    """The findings of every run in a machine format, as the text to print on standard output."""
    if fmt in ("json", "json-lines"):
        records = [_record(row, where) for row, where, _ in ordered(results)]
        if fmt == "json":
            return json_c1_escaped(json.dumps(records, ensure_ascii=False, indent=2)) + "\n"
        return "".join(json_c1_escaped(json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    if fmt == "gitlab":
        from tqaudit.report import gitlab

        return json.dumps([i for r in results for i in gitlab.issues(r)], ensure_ascii=False, indent=2) + "\n"
    if fmt == "rdjson":
        from tqaudit.report import rdjson

        return rdjson.dumps([d for r in results for d in rdjson.diagnostics(r)])
    if fmt == "sarif":
        from tqaudit.report import sarif

        return sarif.dumps([sarif.run_of(r) for r in results])
    if fmt == "junit" and len(results) > 1:
        raise ConfigError(
            "--output-format junit takes one input (each input's report folder has a junit.xml)"
        )
    from tqaudit.report import RENDERERS, whole

    return "".join(whole(text) for r in results for text in RENDERERS[fmt](r).values())


def print_statistics(results: Sequence[AuditResult], console: Console) -> None:
    """Findings per rule over every run, most frequent first (ruff's ``--statistics``)."""
    f = pd.concat([r.findings for r in results], ignore_index=True)
    if not len(f):
        return
    catalogue = {code: info for r in results for code, info in r.catalogue.items()}
    counts = f.groupby(["rule", "severity"]).size().reset_index(name="n")
    counts = counts.sort_values(["n", "rule"], ascending=[False, True], kind="mergesort")
    table = Table(title="findings per rule")
    for name, justify in (("count", "right"), ("rule", "left"), ("severity", "left"), ("name", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in counts.itertuples():
        info = catalogue.get(str(row.rule))
        table.add_row(str(row.n), str(row.rule), str(row.severity), info.name if info else "")
    console.print(table)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def print_overview(
    results: Sequence[AuditResult], console: Console, written: Sequence[Sequence[str]]
) -> None:
    """One line per input (segments, findings, reports folder, verdict), then the overall verdict."""
    for result, files in zip(results, written, strict=True):
        f = result.findings
        errors = int((f["severity"] == "error").sum())
        where = str(Path(files[0]).parent) if files else ""
        verdict = Text("PASSED", style="bold green") if result.passed else Text("FAILED", style="bold red")
        counts = f"{_plural(result.segment_count, 'segment')}, {_plural(len(f), 'finding')}"
        line = Text(f"{printable(input_path(result))}: {counts} ({_plural(errors, 'error')}) ")
        line += verdict + Text(f"  {where}" if where else "", style="dim")
        console.print(line, soft_wrap=True)
    failed = sum(not r.passed for r in results)
    if failed:
        console.print(Text(f"FAILED: {failed} of {len(results)} inputs failed the gate", style="bold red"))
    else:
        console.print(Text(f"PASSED: {len(results)} inputs", style="bold green"))


PROGRESS_FROM = 5000  # segments: smaller inputs finish before a bar is worth drawing


class ProgressBar:
    """A rich progress bar on standard error, for ``audit(progress=...)``: rows, rows/s, time left.

    It draws only on a terminal and for inputs of ``PROGRESS_FROM`` segments or more, so
    pipes, CI logs and ``--quiet`` runs stay clean; use it as a context manager.
    """

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int | None) -> None:
        """``total`` None: the input streams and its size is not known (an open-ended bar)."""
        if self._bar is None:
            if (total if total is not None else done) < PROGRESS_FROM or not self.console.is_terminal:
                return
            self._bar = Progress(
                TextColumn("auditing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("segments"),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("audit", total=total, rate="")
        assert self._task is not None
        self._bar.update(self._task, completed=done)
        speed = self._bar.tasks[0].speed
        self._bar.update(self._task, rate=f"{speed:,.0f}/s" if speed else "")

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def print_summary(result: AuditResult, console: Console, written: list[str]) -> None:
    """Counts by category and severity, corpus scores, files written, and the verdict."""
    f = result.findings
    table = Table(title=f"tqaudit: {result.segment_count} segments, {len(f)} findings")
    table.add_column("category")
    for sev in SEVERITIES:
        table.add_column(sev, justify="right")
    counts: pd.Series = f.groupby(["category", "severity"]).size()
    for cat in CATEGORIES:
        row = [int(counts.get((cat, sev), 0)) for sev in SEVERITIES]
        if any(row):
            table.add_row(cat, *map(str, row))
    if len(f):
        console.print(table)
    for name, score in result.corpus_scores.items():
        label = score.name or name
        signature = score.signature
        console.print(f"{label} {score.score:.2f}  [dim]{signature}[/dim]", highlight=False)
    for path in written:
        console.print(f"wrote {printable(path)}", style="dim", markup=False, highlight=False)
    if result.passed:
        console.print("[bold green]PASSED[/bold green]")
    else:
        for msg in result.gate_failures:
            console.print(f"[bold red]FAILED[/bold red]: {escape(printable(msg))}", highlight=False)
