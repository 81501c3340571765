"""``tqaudit rules [CODE]``: list the rules, or print one rule's documentation."""

from __future__ import annotations

import difflib
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tqaudit.cli.common import handle_errors
from tqaudit.errors import ConfigError
from tqaudit.rules import load_rules


@handle_errors
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code, e.g. MK001.")] = None,
) -> None:
    """List every rule, or print the documentation of CODE."""
    registry = load_rules()
    if code is None:
        table = Table(box=None, pad_edge=False)
        for col in ("code", "name", "category", "severity", "fix", "summary"):
            table.add_column(col, overflow="fold")
        for rule_code, rule in sorted(registry.items()):
            summary = ("(preview) " if rule.preview else "") + rule.summary()
            table.add_row(rule_code, rule.name, rule.category, rule.severity, rule.fix.value, summary)
        Console(width=160).print(table)
        return
    wanted = code.strip().upper()
    by_name = {rule.name: c for c, rule in registry.items()}
    wanted = by_name.get(code.strip(), wanted)
    if wanted not in registry:
        near = difflib.get_close_matches(wanted, list(registry) + list(by_name), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ConfigError(f"unknown rule code {code!r}{hint}")
    typer.echo(registry[wanted].documentation(), nl=False)
