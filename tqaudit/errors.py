"""Errors that reach the user.

One base class with the exit code it maps to (after click's ``ClickException``), so that
the CLI catches it in one place and prints one line, never a traceback.
"""

from __future__ import annotations

from typing import ClassVar


class TqauditError(Exception):
    """Base of every error tqaudit reports to the user."""

    exit_code: ClassVar[int] = 2


class InputError(TqauditError):
    """An input file or table that cannot be read as segments (exit code 2)."""


class ConfigError(TqauditError):
    """A bad option, config key, rule code or data pack (exit code 2)."""


class OutputError(TqauditError):
    """A report or output file that cannot be written (exit code 2)."""


class RuleError(TqauditError):
    """A rule crashed; the message names the rule code and the segment (exit code 2)."""
