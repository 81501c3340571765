"""What every command shares: turning a ``TqauditError`` into one line and exit code 2."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from tqaudit.errors import TqauditError

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Run a command; a ``TqauditError`` prints ``Error: <message>`` on stderr and exits 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        logging.basicConfig(format="tqaudit: %(levelname)s: %(message)s", level=logging.WARNING)
        try:
            return func(*args, **kwargs)
        except TqauditError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


def split_codes(values: list[str] | None) -> tuple[str, ...] | None:
    """``["MK,PU002", "WS"]`` -> ``("MK", "PU002", "WS")``; None when the option was not given."""
    if not values:
        return None
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())
