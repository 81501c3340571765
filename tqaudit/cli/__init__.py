"""The ``tqaudit`` command line: a thin Typer layer over the library.

Each command parses options, builds a ``Config``, calls one library function and hands the
result to a renderer. Errors derived from ``TqauditError`` become one ``Error: …`` line on
stderr and exit code 2 (:func:`tqaudit.cli.common.handle_errors`).
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
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


# 128 + SIGTERM, what a shell reports for a process ended by it.
TERMINATED = 128 + signal.SIGTERM
_MAIN_PID = [0]


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a CI timeout, ``kill``) ends the run like Ctrl-C does: by an exception, so
    every ``finally`` runs and no hidden temporary report folder or file is left behind.
    A worker process (``--jobs``, forked with this handler) just ends, as by default."""
    if os.getpid() != _MAIN_PID[0]:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    sys.stderr.write("Error: terminated (SIGTERM); the previous reports, if any, are kept\n")
    raise SystemExit(TERMINATED)


def main() -> None:
    """Console-script entry point."""
    _MAIN_PID[0] = os.getpid()
    signal.signal(signal.SIGTERM, _terminate)
    app()
