"""``tqaudit packs [NAME]``: list the knowledge packs, or print one with its entries."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tqaudit.cli.common import ConfigOpt, ListingFormatOpt, check_listing_format, handle_errors
from tqaudit.config import load_config
from tqaudit.engine import packs_for
from tqaudit.packs import describe_packs


def _table(records: list[dict[str, Any]]) -> None:
    table = Table(box=None, pad_edge=False)
    for col in ("name", "entries", "languages", "sources", "description"):
        table.add_column(col, overflow="fold")
    for r in records:
        table.add_row(
            r["name"], str(r["entries"]), ",".join(r["languages"]), str(len(r["sources"])), r["description"]
        )
    Console(width=160).print(table)


def _one(record: dict[str, Any]) -> None:
    """One pack as text: its header lines, then an entry a line (pattern, note, source)."""
    typer.echo(f"# {record['name']}: {record['description']}")
    typer.echo(f"languages: {', '.join(record['languages']) or 'any'} · entries: {record['entries']}")
    if not record.get("entry"):  # a table pack: its header names the source
        for source in record["sources"]:
            typer.echo(f"source: {source}")
    for entry in record.get("entry", []):
        flags = [k for k in ("regex", "anywhere", "rest") if entry.get(k)]
        ident = f"[{entry['id']}] " if entry.get("id") else ""
        flag_text = f" ({', '.join(flags)})" if flags else ""
        typer.echo(f"- {ident}{entry['pattern']!r}{flag_text}: {entry['note']} — {entry['source']}")


@handle_errors
def packs(
    name: Annotated[
        str | None,
        typer.Argument(metavar="NAME", help="A pack (boilerplate.en) or a category (boilerplate)."),
    ] = None,
    output_format: ListingFormatOpt = "text",
    config: ConfigOpt = None,
) -> None:
    """List the knowledge packs (built-in and the config's), or print one pack's entries."""
    check_listing_format(output_format)
    records = describe_packs(packs_for(load_config(config)), name)
    single = name is not None and len(records) == 1 and "entry" in records[0]
    if output_format == "json":
        data: Any = records[0] if single else records
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    elif single:
        _one(records[0])
    else:
        _table(records)
