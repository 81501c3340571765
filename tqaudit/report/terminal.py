"""The short terminal summary: counts by category and severity, and the verdict."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from tqaudit.audit import AuditResult
from tqaudit.findings import CATEGORIES, SEVERITIES


def print_summary(result: AuditResult, console: Console, written: list[str]) -> None:
    f = result.findings
    table = Table(title=f"tqaudit: {len(result.segments)} segments, {len(f)} findings")
    table.add_column("category")
    for sev in SEVERITIES:
        table.add_column(sev, justify="right")
    counts = f.groupby(["category", "severity"]).size()
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
        console.print(f"wrote {path}", style="dim", markup=False, highlight=False)
    if result.passed:
        console.print("[bold green]PASSED[/bold green]")
    else:
        for msg in result.gate_failures:
            console.print(f"[bold red]FAILED[/bold red]: {msg}", highlight=False)
