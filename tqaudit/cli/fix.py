"""``tqaudit fix INPUT``: apply safe fixes and write the result, or show them as a diff."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from tqaudit.cli.common import handle_errors, split_codes
from tqaudit.config import load_config
from tqaudit.fix import FixResult
from tqaudit.fix import fix as run_fix
from tqaudit.io.readers import detect_format
from tqaudit.io.writers import write_text


def _table_for_output(result: FixResult) -> pd.DataFrame:
    """The fixed table with the input's column names (``id``), without derived columns."""
    table = result.segments.assign(target=result.fixed)
    keep = [c for c in table.columns if c != "line" and table[c].astype(bool).any()]
    keep = list(dict.fromkeys(["segment_id", *keep, "target"]))
    return table[keep].rename(columns={"segment_id": "id"})


def render_fixed(result: FixResult, fmt: str) -> str:
    """The fixed input in its own format (txt, tsv, csv or jsonl)."""
    if fmt == "txt":
        return "".join(t + "\n" for t in result.fixed)
    table = _table_for_output(result)
    if fmt in ("tsv", "csv"):
        return table.to_csv(index=False, sep="\t" if fmt == "tsv" else ",", lineterminator="\n")
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in table.to_dict("records"))


def render_diff(result: FixResult, name: str) -> str:
    """A unified diff of the targets, one line per segment."""
    before = [t + "\n" for t in result.original]
    after = [t + "\n" for t in result.fixed]
    return "".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"))


@handle_errors
def fix(
    input: Annotated[Path, typer.Argument(help="Target text (.txt) or table (.tsv/.csv/.jsonl).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the fixed file here [default: stdout].")
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff instead of the fixed file.")
    ] = False,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Rule codes or prefixes to fix.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Rule codes or prefixes not to fix.")
    ] = None,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="Also apply fixes marked unsafe.")
    ] = False,
    src: Annotated[Path | None, typer.Option("--src", help="Line-aligned source file.")] = None,
    src_lang: Annotated[str, typer.Option("--src-lang", help="Source language (ISO 639-1).")] = "",
    tgt_lang: Annotated[str, typer.Option("--tgt-lang", help="Target language (ISO 639-1).")] = "",
    config: Annotated[
        Path | None, typer.Option("--config", help="tqaudit.toml or pyproject.toml to read.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="txt, tsv, csv or jsonl.")
    ] = None,
) -> None:
    """Apply the SAFE fixes (and UNSAFE ones with --unsafe-fixes) to INPUT."""
    fmt = detect_format(input, input_format)
    if fmt == "parquet" and not diff and output is None:
        from tqaudit.errors import ConfigError

        raise ConfigError("fixing a Parquet file needs --output FILE.tsv or --diff")
    cfg = load_config(config).replace(select=split_codes(select), ignore=split_codes(ignore))
    result = run_fix(
        input,
        cfg,
        unsafe=unsafe_fixes,
        src=src,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        input_format=input_format,
    )
    text = (
        render_diff(result, input.name) if diff else render_fixed(result, "tsv" if fmt == "parquet" else fmt)
    )
    if output is not None and not diff:
        write_text(output, text)
    else:
        sys.stdout.write(text)
    counts = ", ".join(f"{code} {n}" for code, n in sorted(result.applied.items())) or "none"
    typer.echo(f"fixed {result.changed} of {len(result.original)} segments ({counts})", err=True)
