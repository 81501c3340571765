"""``tqaudit audit INPUT``: run the rules, write the reports, set the exit code."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console

from tqaudit.audit import AuditResult, audit_pooled
from tqaudit.audit import audit as run_audit
from tqaudit.baseline import write_baseline
from tqaudit.cli.common import (
    ConfigOpt,
    DialectOpt,
    EncodingOpt,
    InputFormatOpt,
    SrcLangOpt,
    SrcOpt,
    TgtLangOpt,
    handle_errors,
    split_codes,
)
from tqaudit.config import FAIL_ON, Config, load_config
from tqaudit.errors import ConfigError
from tqaudit.io.discover import STDIN, expand
from tqaudit.io.writers import ended
from tqaudit.report import DEFAULT_FORMATS, REPORT_FILES, default_folder, parse_formats, write_reports
from tqaudit.report.terminal import (
    MACHINE_FORMATS,
    ProgressBar,
    check_output_format,
    print_findings,
    print_overview,
    print_statistics,
    print_summary,
    render_machine,
)


@handle_errors
def audit(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="Files (.txt, .tsv/.csv/.jsonl/.parquet tables, XLIFF/TMX/PO, .rss/.atom/.xml feeds, "
            ".html articles), folders (searched for those), glob patterns, or - for standard input.",
        ),
    ],
    src: SrcOpt = None,
    ref: Annotated[
        list[Path] | None,
        typer.Option("--ref", metavar="FILE", help="Line-aligned reference file (repeatable)."),
    ] = None,
    src_lang: SrcLangOpt = "",
    tgt_lang: TgtLangOpt = "",
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
            help=(
                "Reports, comma-separated: csv, json, md, html, sarif, junit, gitlab, rdjson, github, "
                "parquet."
            ),
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
    metrics: Annotated[
        str | None,
        typer.Option(
            "--metrics",
            metavar="LIST",
            help="Scores against references, comma-separated: bleu, chrf, ter "
            "[default: bleu,chrf; ter too with --max-ter].",
        ),
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
        list[Path] | None,
        typer.Option(
            "--glossary",
            metavar="FILE",
            help="Glossary for TM001/TM002: TSV/CSV (source, target or language columns) or TBX "
            "(repeatable; replaces the config's).",
        ),
    ] = None,
    langid_backend: Annotated[
        str | None,
        typer.Option(
            "--langid",
            metavar="NAME",
            help="Language identifier: langdetect (default), py3langid, lingua or fasttext.",
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
    config: ConfigOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
    dialect: DialectOpt = None,
    split: Annotated[
        str,
        typer.Option(
            "--split",
            metavar="UNIT",
            help="Feeds: audit article bodies by paragraphs or by sentences (pysbd).",
        ),
    ] = "paragraphs",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", help="Worker processes.")] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            metavar="NAME",
            help="Where the chunks run: local (this machine) or dask (a Dask cluster) [default: local].",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Dask scheduler address (tcp://host:8786) for --engine dask "
            "[default: a local cluster of --jobs workers].",
        ),
    ] = None,
    stdin_filename: Annotated[
        str,
        typer.Option(
            "--stdin-filename", metavar="NAME", help="Name of the text read from -: its format and location."
        ),
    ] = "stdin.txt",
    write_baseline_to: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record this run's findings as a baseline for --baseline.",
        ),
    ] = None,
    untranslated: Annotated[
        bool | None,
        typer.Option(
            "--untranslated/--no-untranslated",
            help="Report entries a localisation file leaves untranslated [default: no].",
            show_default=False,
        ),
    ] = None,
    fuzzy: Annotated[
        bool | None,
        typer.Option(
            "--fuzzy/--no-fuzzy", help="Audit PO entries marked fuzzy [default: yes].", show_default=False
        ),
    ] = None,
    pool: Annotated[
        bool | None,
        typer.Option(
            "--pool/--no-pool",
            help="Consistency rules see all INPUTs as one corpus (each input keeps its reports) "
            "[default: each input alone].",
            show_default=False,
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
    """Audit each INPUT: find MT artifacts, write reports, exit 1 if a gate fails."""
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON)}, got {fail_on!r}")
    chosen_formats = parse_formats(formats)
    check_output_format(output_format)
    cfg = load_config(config)
    if langid_backend is not None:
        cfg = cfg.replace(langid={**cfg.langid, "backend": langid_backend})
    if metrics is not None:
        cfg = cfg.replace(
            scoring={**cfg.scoring, "metrics": [m.strip() for m in metrics.split(",") if m.strip()]}
        )
    cfg = cfg.replace(
        select=split_codes(select),
        ignore=split_codes(ignore),
        fail_on=fail_on,
        min_bleu=min_bleu,
        min_chrf=min_chrf,
        max_ter=max_ter,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        baseline=baseline,
        glossary=tuple(glossary) if glossary else None,
        untranslated=untranslated,
        fuzzy=fuzzy,
        pool=pool,
    )
    files = expand(inputs, cfg.exclude, skip=REPORT_FILES, keep_folders=input_format == "html")
    if len(files) > 1 and (src or ref):
        raise ConfigError(
            "--src and --ref go with a single INPUT; give several inputs as tables with source columns"
        )
    if len(files) > 1 and output_format == "junit":
        raise ConfigError(
            "--output-format junit takes one input (each input's report folder has a junit.xml)"
        )
    read_options: dict[str, Any] = {"src": src, "refs": ref or [], "src_lang": src_lang, "tgt_lang": tgt_lang}
    read_options.update(input_format=input_format, encoding=encoding, dialect=dialect, split=split)
    runs: list[AuditResult] = []
    written: list[list[str]] = []
    shown = [Path(stdin_filename if name == STDIN else name) for name in files]
    if cfg.pool and len(files) > 1:
        with ProgressBar() as bar:
            pooled = _audit_pooled(files, shown, stdin_filename, cfg, read_options, None if quiet else bar)
    for index, name in enumerate(files):
        if cfg.pool and len(files) > 1:
            result = pooled[index]
        else:
            with ProgressBar() as bar:
                result = _audit_one(
                    name, stdin_filename, cfg.for_path(shown[index]), read_options, None if quiet else bar
                )
        folder = (
            out
            if (out is not None and len(files) == 1)
            else default_folder(shown[index], out or Path("reports"))
        )
        written.append([str(p) for p in write_reports(result, folder, chosen_formats)])
        runs.append(result)
    if write_baseline_to is not None:
        found = pd.concat([r.all_findings() for r in runs], ignore_index=True)
        write_baseline(write_baseline_to, found, {k: v for r in runs for k, v in r.targets().items()})
        if not quiet:
            Console(stderr=output_format in MACHINE_FORMATS).print(
                f"wrote baseline {write_baseline_to} ({len(found):,} findings)", markup=False, highlight=False
            )
    if not quiet:
        show(runs, written, output_format, limit, statistics)
    raise typer.Exit(0 if all(r.passed for r in runs) else 1)


def _audit_one(
    name: str, stdin_filename: str, cfg: Config, read_options: dict[str, Any], progress: ProgressBar | None
) -> AuditResult:
    """One input through the library; standard input goes through a private temporary file."""
    options = {**read_options, "progress": progress}
    if name != STDIN:
        return run_audit(Path(name), cfg, **options)
    with stdin_folder() as folder:
        result = run_audit(_stdin_copy(folder, stdin_filename), cfg, **options)
    result.inputs["input"] = stdin_filename
    return result


STDIN_PREFIX = "tqaudit-stdin-"


@contextlib.contextmanager
def stdin_folder(root: str | None = None) -> Iterator[Path]:
    """A private temporary folder for standard input, named with this process's id
    (``tqaudit-stdin-PID-XXXX``); the folders of runs that ended without removing theirs
    (kill -9) are removed first, so a killed run's copy of its input does not stay behind."""
    base = Path(root or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for old in base.glob(f"{STDIN_PREFIX}*-*"):
            pid = old.name[len(STDIN_PREFIX) :].partition("-")[0]
            if ended(pid) and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{STDIN_PREFIX}{os.getpid()}-", dir=root) as folder:
        yield Path(folder)


def _stdin_copy(folder: Path, stdin_filename: str) -> Path:
    """Standard input saved in ``folder`` (a private temporary one) under the name that gives
    its format, so that every reader reads it as a file."""
    path = folder / (Path(stdin_filename).name or "stdin.txt")
    path.write_bytes(sys.stdin.buffer.read())
    return path


def _audit_pooled(
    files: list[str],
    shown: list[Path],
    stdin_filename: str,
    cfg: Config,
    read_options: dict[str, Any],
    progress: ProgressBar | None,
) -> list[AuditResult]:
    """The inputs through the library as one corpus (``--pool``); standard input, if among
    them, goes through a private temporary file."""
    with stdin_folder() as folder:
        paths = []
        for name in files:
            path = Path(name)
            paths.append(_stdin_copy(folder, stdin_filename) if name == STDIN else path)
        items = [(path, cfg.for_path(where)) for path, where in zip(paths, shown, strict=True)]
        results = audit_pooled(items, [str(p) for p in shown], progress=progress, **read_options)
    for result, name in zip(results, files, strict=True):
        if name == STDIN:
            result.inputs["input"] = stdin_filename
    return results


def show(
    runs: list[AuditResult], written: list[list[str]], output_format: str, limit: int, statistics: bool
) -> None:
    """Print the findings in ``output_format`` (or per-rule counts), then the summary."""
    console = Console()
    if output_format in MACHINE_FORMATS:
        if not statistics:
            sys.stdout.write(render_machine(runs, output_format))
        console = Console(stderr=True)  # standard output stays parseable
    elif not statistics:
        print_findings(runs, console, output_format, limit)
    if statistics:
        print_statistics(runs, console)
    if len(runs) == 1:
        print_summary(runs[0], console, written[0])
    else:
        print_overview(runs, console, written)
