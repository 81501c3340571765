"""The ``tqaudit`` command line: a thin Typer layer over the library.

Each command parses options, builds a ``Config``, calls one library function and hands the
result to a renderer. Errors derived from ``TqauditError`` become one ``Error: …`` line on
stderr and exit code 2 (:func:`tqaudit.cli.common.handle_errors`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from tqaudit import __version__
from tqaudit.cli import audit as audit_cmd
from tqaudit.cli import fix as fix_cmd
from tqaudit.cli import packs as packs_cmd
from tqaudit.cli import rules as rules_cmd
from tqaudit.cli import score as score_cmd

app = typer.Typer(
    name="tqaudit",
    help="Audit machine-translated text: find MT artifacts, score against references, gate CI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain: `[default: …]` must not be read as markup
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tqaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Audit machine-translated text."""


app.command("audit")(audit_cmd.audit)
app.command("score")(score_cmd.score)
app.command("compare")(score_cmd.compare)
app.command("fix")(fix_cmd.fix)
app.command("rules")(rules_cmd.rules)
app.command("packs")(packs_cmd.packs)


def main() -> None:
    """Console-script entry point."""
    app()
