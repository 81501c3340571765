"""What every command shares: turning a ``TqauditError`` into one line and exit code 2."""

from __future__ import annotations

import errno
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tqaudit.errors import ConfigError, TqauditError
from tqaudit.report.printable import printable

F = TypeVar("F", bound=Callable[..., Any])
# Write errors that no writer of a file catches because they hit the terminal stream: a
# full disk (``> /dev/full``), a quota, a file-size limit, a closed pipe.
_FULL_OR_CLOSED = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EPIPE})
# click's ClickException (typer vendors click in newer releases; both have this MRO):
# usage errors already print themselves as one line with exit 2.
_CLICK_EXCEPTION: type[Exception] = typer.BadParameter.__mro__[2]


def handle_errors(func: F) -> F:
    """Run a command; a ``TqauditError`` prints ``Error: <message>`` on stderr and exits 2.

    Any other exception is a bug, but CI reads exit 1 as "the gate failed", so it too is one
    line (``Error: internal error: <type>: <message>``) and exit 2, never a traceback.
    Click's own exceptions (``typer.Exit``, usage errors) pass through untouched.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        logging.basicConfig(format="tqaudit: %(levelname)s: %(message)s", level=logging.WARNING)
        try:
            return func(*args, **kwargs)
        except TqauditError as exc:
            typer.echo(f"Error: {_one_line(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, _CLICK_EXCEPTION):
            raise
        except Exception as exc:  # the last line of defence, see the docstring
            typer.echo(f"Error: {_unexpected(exc)}", err=True)
            raise typer.Exit(TqauditError.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _unexpected(exc: Exception) -> str:
    """The one line for an exception no tqaudit code turned into a ``TqauditError``."""
    if isinstance(exc, OSError) and exc.errno in _FULL_OR_CLOSED:
        where = f"{exc.filename}: " if exc.filename else "standard output: "
        return _one_line(f"{where}cannot write ({exc.strerror or exc})")
    return _one_line(f"internal error ({type(exc).__name__}: {exc}); please report it")


def _one_line(message: str) -> str:
    """``message`` on one line, with control characters and lone surrogates shown escaped."""
    return printable(message.replace("\r\n", " ").replace("\n", " "), keep="\t")


def split_codes(values: list[str] | None) -> tuple[str, ...] | None:
    """``["MK,PU002", "WS"]`` -> ``("MK", "PU002", "WS")``; None when the option was not given."""
    if not values:
        return None
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


# Options that several commands take, declared once (same flag, metavar and help everywhere).
SrcOpt = Annotated[Path | None, typer.Option("--src", metavar="FILE", help="Line-aligned source file.")]
SrcLangOpt = Annotated[str, typer.Option("--src-lang", metavar="LANG", help="Source language (ISO 639-1).")]
TgtLangOpt = Annotated[str, typer.Option("--tgt-lang", metavar="LANG", help="Target language (ISO 639-1).")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", metavar="FILE", help="tqaudit.toml or pyproject.toml to read.")
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        metavar="FORMAT",
        help="txt, tsv, csv, jsonl, parquet, xliff, tmx, po, or a feed: rss, atom, articles (JSON Lines "
        "of articles), html (a file or a folder of articles) [default: from the extension].",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="NAME",
        help="Encoding of text inputs (cp1251, utf-16, …) [default: UTF-8, or UTF-16/32 by BOM].",
    ),
]
DialectOpt = Annotated[
    str | None,
    typer.Option(
        "--dialect",
        metavar="NAME",
        help="TSV/CSV quoting: auto, literal (every byte is text) or quoted (as spreadsheets write) "
        "[default: auto: CSV quoted, TSV literal unless it is evidently quoted].",
    ),
]
# ``tqaudit rules`` and ``tqaudit packs``: a listing as text or as JSON for scripts.
LISTING_FORMATS = ("text", "json")
ListingFormatOpt = Annotated[str, typer.Option("--output-format", metavar="FORMAT", help="text or json.")]


def check_listing_format(value: str) -> None:
    """One line (exit 2) for an ``--output-format`` a listing does not have."""
    if value not in LISTING_FORMATS:
        raise ConfigError(f"unknown --output-format {value!r} (known: {', '.join(LISTING_FORMATS)})")
