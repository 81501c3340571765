"""``tqaudit rules [CODE]``: list the rules, or print one rule's documentation."""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tqaudit.cli.common import ListingFormatOpt, check_listing_format, handle_errors
from tqaudit.errors import ConfigError
from tqaudit.rules import load_rules
from tqaudit.rules.base import Rule


def _record(rule: type[Rule]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity,
        "fix": rule.fix.value,
        "preview": rule.preview,
        "summary": rule.summary(),
        "options": dict(rule.options),
        "documentation": rule.documentation(),
    }


def _table(rules: list[type[Rule]]) -> None:
    table = Table(box=None, pad_edge=False)
    for col in ("code", "name", "category", "severity", "fix", "summary"):
        table.add_column(col, overflow="fold")
    for rule in rules:
        summary = ("(preview) " if rule.preview else "") + rule.summary()
        table.add_row(rule.code, rule.name, rule.category, rule.severity, rule.fix.value, summary)
    Console(width=160).print(table)


def _pick(code: str | None, registry: dict[str, type[Rule]]) -> tuple[list[type[Rule]], bool]:
    """The rules CODE names (a code, a name or a prefix like ``MK``) and whether it is one rule."""
    if code is None:
        return [registry[c] for c in sorted(registry)], False
    wanted = code.strip().upper()
    by_name = {rule.name: c for c, rule in registry.items()}
    wanted = by_name.get(code.strip(), wanted)
    if wanted in registry:
        return [registry[wanted]], True
    prefixed = [registry[c] for c in sorted(registry) if c.startswith(wanted)]
    if wanted and prefixed:
        return prefixed, False
    near = difflib.get_close_matches(wanted, list(registry) + list(by_name), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ConfigError(f"unknown rule code or prefix {code!r}{hint}")


@handle_errors
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="A rule code (MK001), a prefix (MK) or a rule name."),
    ] = None,
    output_format: ListingFormatOpt = "text",
) -> None:
    """List the rules (all, or those of a prefix), or print the documentation of one."""
    check_listing_format(output_format)
    picked, single = _pick(code, load_rules())
    if output_format == "json":
        data: Any = _record(picked[0]) if single else [_record(r) for r in picked]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    elif single:
        typer.echo(picked[0].documentation(), nl=False)
    else:
        _table(picked)
