"""``tqaudit audit INPUT``: run the rules, write the reports, set the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tqaudit.audit import AuditResult
from tqaudit.audit import audit as run_audit
from tqaudit.baseline import write_baseline
from tqaudit.cli.common import handle_errors, split_codes
from tqaudit.config import FAIL_ON, load_config
from tqaudit.errors import ConfigError
from tqaudit.report import DEFAULT_FORMATS, default_folder, parse_formats, write_reports
from tqaudit.report.terminal import (
    MACHINE_FORMATS,
    ProgressBar,
    check_output_format,
    print_findings,
    print_statistics,
    print_summary,
    render_machine,
)


@handle_errors
def audit(
    input: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Target text (.txt) or table (.tsv/.csv/.jsonl/.parquet).")
    ],
    src: Annotated[
        Path | None, typer.Option("--src", metavar="FILE", help="Line-aligned source file.")
    ] = None,
    ref: Annotated[
        list[Path] | None,
        typer.Option("--ref", metavar="FILE", help="Line-aligned reference file (repeatable)."),
    ] = None,
    src_lang: Annotated[
        str, typer.Option("--src-lang", metavar="LANG", help="Source language (ISO 639-1).")
    ] = "",
    tgt_lang: Annotated[
        str, typer.Option("--tgt-lang", metavar="LANG", help="Target language (ISO 639-1).")
    ] = "",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help="Report folder, replaced as a whole [default: reports/INPUT-PATH]."
        ),
    ] = None,
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="LIST",
            help="Reports, comma-separated: csv, json, md, html, sarif, junit, gitlab, rdjson, github.",
        ),
    ] = ",".join(DEFAULT_FORMATS),
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="LEVEL",
            help=f"Fail on findings at this level or above: {'|'.join(FAIL_ON)} [default: error].",
        ),
    ] = None,
    min_bleu: Annotated[
        float | None, typer.Option("--min-bleu", metavar="X", help="Fail if corpus BLEU is below X.")
    ] = None,
    min_chrf: Annotated[
        float | None, typer.Option("--min-chrf", metavar="X", help="Fail if corpus chrF is below X.")
    ] = None,
    max_ter: Annotated[
        float | None, typer.Option("--max-ter", metavar="X", help="Fail if corpus TER is above X.")
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODES", help="Rule codes or prefixes to run (comma-separated)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="CODES", help="Rule codes or prefixes to skip.")
    ] = None,
    glossary: Annotated[
        Path | None,
        typer.Option("--glossary", metavar="FILE", help="TSV/CSV glossary (source, target) for TM001."),
    ] = None,
    langid_backend: Annotated[
        str | None,
        typer.Option(
            "--langid", metavar="NAME", help="Language identifier: langdetect (default), py3langid or lingua."
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Known findings to leave out: a file of --write-baseline (or an earlier findings.csv).",
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", metavar="FILE", help="tqaudit.toml or pyproject.toml to read.")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            metavar="FORMAT",
            help="txt, tsv, csv, jsonl, parquet, xliff, tmx or po (default: from the extension).",
        ),
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", help="Worker processes.")] = None,
    write_baseline_to: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record this run's findings as a baseline for --baseline.",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--output-format",
            metavar="FORMAT",
            help="What to print: concise (one line per finding), full (with the segment and its source), "
            "grouped, json, json-lines, github, gitlab, rdjson, sarif or junit.",
        ),
    ] = "concise",
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help="Findings to print in concise/full/grouped (0 = all).")
    ] = 50,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print counts per rule instead of the findings.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Audit INPUT: find MT artifacts, write reports, exit 1 if the gate fails."""
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    chosen_formats = parse_formats(formats)
    check_output_format(output_format)
    cfg = load_config(config)
    if langid_backend is not None:
        cfg = cfg.replace(langid={**cfg.langid, "backend": langid_backend})
    cfg = cfg.replace(
        select=split_codes(select),
        ignore=split_codes(ignore),
        fail_on=fail_on,
        min_bleu=min_bleu,
        min_chrf=min_chrf,
        max_ter=max_ter,
        jobs=jobs,
        baseline=baseline,
        glossary=glossary,
    )
    with ProgressBar() as bar:
        result = run_audit(
            input,
            cfg,
            src=src,
            refs=ref or (),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            input_format=input_format,
            progress=None if quiet else bar,
        )
    folder = out if out is not None else default_folder(input)
    written = write_reports(result, folder, chosen_formats)
    if write_baseline_to is not None:
        write_baseline(write_baseline_to, result.all_findings(), result.targets())
        written.append(write_baseline_to)
    if not quiet:
        show(result, [str(p) for p in written], output_format, limit, statistics)
    raise typer.Exit(0 if result.passed else 1)


def show(result: AuditResult, written: list[str], output_format: str, limit: int, statistics: bool) -> None:
    """Print the findings in ``output_format`` (or per-rule counts), then the summary."""
    console = Console()
    if output_format in MACHINE_FORMATS:
        if not statistics:
            sys.stdout.write(render_machine(result, output_format))
        console = Console(stderr=True)  # standard output stays parseable
    elif not statistics:
        print_findings(result, console, output_format, limit)
    if statistics:
        print_statistics(result, console)
    print_summary(result, console, written)
