"""``tqaudit audit INPUT``: run the rules, write the reports, set the exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tqaudit.audit import audit as run_audit
from tqaudit.cli.common import handle_errors, split_codes
from tqaudit.config import FAIL_ON, load_config
from tqaudit.errors import ConfigError
from tqaudit.report import DEFAULT_FORMATS, parse_formats, write_reports


@handle_errors
def audit(
    input: Annotated[Path, typer.Argument(help="Target text (.txt) or table (.tsv/.csv/.jsonl/.parquet).")],
    src: Annotated[Path | None, typer.Option("--src", help="Line-aligned source file.")] = None,
    ref: Annotated[
        list[Path] | None, typer.Option("--ref", help="Line-aligned reference file (repeatable).")
    ] = None,
    src_lang: Annotated[str, typer.Option("--src-lang", help="Source language (ISO 639-1).")] = "",
    tgt_lang: Annotated[str, typer.Option("--tgt-lang", help="Target language (ISO 639-1).")] = "",
    out: Annotated[
        Path | None, typer.Option("--out", help="Report folder [default: reports/INPUT-NAME].")
    ] = None,
    formats: Annotated[
        str,
        typer.Option("--format", help="Reports, comma-separated: csv, json, md, html, sarif, junit, github."),
    ] = ",".join(DEFAULT_FORMATS),
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help=f"Fail on findings at this level or above: {'|'.join(FAIL_ON)} [default: error].",
        ),
    ] = None,
    min_bleu: Annotated[
        float | None, typer.Option("--min-bleu", help="Fail if corpus BLEU is below X.")
    ] = None,
    min_chrf: Annotated[
        float | None, typer.Option("--min-chrf", help="Fail if corpus chrF is below X.")
    ] = None,
    max_ter: Annotated[float | None, typer.Option("--max-ter", help="Fail if corpus TER is above X.")] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rule codes or prefixes to run (comma-separated).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rule codes or prefixes to skip.")
    ] = None,
    glossary: Annotated[
        Path | None, typer.Option("--glossary", help="TSV/CSV glossary (source, target) for TM001.")
    ] = None,
    langid_backend: Annotated[
        str | None,
        typer.Option("--langid", help="Language identifier: langdetect (default), py3langid or lingua."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="findings.csv of known findings to leave out.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="tqaudit.toml or pyproject.toml to read.")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            help="txt, tsv, csv, jsonl, parquet, xliff, tmx or po (default: from the extension).",
        ),
    ] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Audit INPUT: find MT artifacts, write reports, exit 1 if the gate fails."""
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    chosen_formats = parse_formats(formats)
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
    result = run_audit(
        input,
        cfg,
        src=src,
        refs=ref or (),
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        input_format=input_format,
    )
    folder = out if out is not None else Path("reports") / input.stem
    written = write_reports(result, folder, chosen_formats)
    if not quiet:
        from tqaudit.report.terminal import print_summary

        print_summary(result, Console(), [str(p) for p in written])
    raise typer.Exit(0 if result.passed else 1)
