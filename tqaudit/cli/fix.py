"""``tqaudit fix INPUT``: apply safe fixes and write INPUT back in its own format, or show a diff."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

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
from tqaudit.config import Config, load_config
from tqaudit.errors import ConfigError, OutputError
from tqaudit.fix import FixResult
from tqaudit.fix import fix as run_fix
from tqaudit.io.fixed import WRITABLE, render_fixed
from tqaudit.io.readers import detect_format
from tqaudit.io.writers import write_bytes


def render_diff(result: FixResult, name: str) -> str:
    """A unified diff of the targets, one line per segment."""
    before = [t + "\n" for t in result.original]
    after = [t + "\n" for t in result.fixed]
    return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _to_stdout(data: bytes) -> None:
    """Write ``data`` to standard output; a full disk or a closed pipe is one line (exit 2)."""
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except OSError as exc:
        raise OutputError(f"standard output: cannot write ({exc.strerror or exc})") from None


@handle_errors
def fix(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help="Target text (.txt), table (.tsv/.csv/.jsonl/.parquet) or XLIFF/TMX/PO; several with "
            "--in-place or --diff.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the fixed file here (default: standard output)."
        ),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", "-i", help="Write the fixed file over INPUT, keeping its mode.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff of the targets instead of the fixed file.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", metavar="CODES", help="Rule codes or prefixes to fix.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="CODES", help="Rule codes or prefixes not to fix.")
    ] = None,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")
    ] = False,
    src: SrcOpt = None,
    src_lang: SrcLangOpt = "",
    tgt_lang: TgtLangOpt = "",
    config: ConfigOpt = None,
    input_format: InputFormatOpt = None,
    encoding: EncodingOpt = None,
    dialect: DialectOpt = None,
) -> None:
    """Apply the SAFE fixes (and UNSAFE ones with --unsafe-fixes) to each INPUT.

    The output is INPUT's own format: only the fixed target texts change, every other byte
    is kept. No language identification or scoring runs.
    """
    if len(inputs) > 1 and not (in_place or diff):
        raise ConfigError("several inputs need --in-place or --diff")
    if len(inputs) > 1 and (output is not None or src is not None):
        raise ConfigError("--output and --src take a single INPUT")
    cfg = load_config(config).replace(select=split_codes(select), ignore=split_codes(ignore))
    for input in inputs:
        read_options = {"src": src, "src_lang": src_lang, "tgt_lang": tgt_lang}
        read_options.update(encoding=encoding, dialect=dialect)
        _fix_one(input, output, in_place, diff, cfg, unsafe_fixes, read_options, input_format)


def _fix_one(
    input: Path,
    output: Path | None,
    in_place: bool,
    diff: bool,
    cfg: Config,
    unsafe: bool,
    read_options: dict[str, Any],
    input_format: str | None,
) -> None:
    fmt = detect_format(input, input_format)
    if fmt not in WRITABLE and not diff:
        raise ConfigError(
            f"{input}: fixes are written back into text and localisation formats "
            f"({', '.join(WRITABLE)}), not into a feed ({fmt}); --diff shows them"
        )
    if in_place and output is not None and not _same_file(input, output):
        raise ConfigError("give either --in-place or --output, not both")
    if in_place:
        output = input
    if fmt == "parquet" and not diff and output is None:
        raise ConfigError("a Parquet file cannot go to standard output: give --output FILE or --in-place")
    result = run_fix(input, cfg, unsafe=unsafe, fmt=fmt, **read_options)
    if diff:
        _to_stdout(render_diff(result, input.name).encode("utf-8", "surrogateescape"))
    elif output is None:
        _to_stdout(
            render_fixed(input, fmt, result.changes, read_options["encoding"], read_options["dialect"])
        )
    elif result.changed or not _same_file(input, output):  # an unchanged file is not rewritten
        write_bytes(
            output,
            render_fixed(input, fmt, result.changes, read_options["encoding"], read_options["dialect"]),
        )
    counts = ", ".join(f"{code} {n}" for code, n in sorted(result.applied.items())) or "none"
    typer.echo(f"{input}: fixed {result.changed} of {len(result.original)} segments ({counts})", err=True)
