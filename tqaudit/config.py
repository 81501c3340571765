"""Configuration: ``[tool.tqaudit]`` in pyproject.toml or a ``tqaudit.toml`` file.

Precedence is CLI, then config file, then defaults (ruff's). Unknown keys are rejected by
name so that a typo never silently does nothing. Keys are kebab-case in files
(``fail-on``) and snake_case in Python.

Example ``tqaudit.toml``::

    select = ["ALL"]
    ignore = ["WS"]
    fail-on = "warning"
    packs = ["my-toponyms.toml"]
    min-chrf = 45.0

    [rules.TL001]
    severity = "warning"

    [langid]
    min-chars = 20
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any

from tqaudit.errors import ConfigError
from tqaudit.findings import SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FAIL_ON = (*SEVERITIES, "never")


def path_matches(path: Path, patterns: Sequence[str]) -> bool:
    """Whether ``path``, one of its trailing sub-paths or one of its folders matches a pattern.

    The matching of ``exclude`` and ``per-file-ignores`` (fnmatch, posix separators): ``drafts``
    matches any file under a ``drafts`` folder, ``*/archive/*.tsv`` one below an ``archive``.
    """
    posix = PurePosixPath(path.as_posix())
    tails = {"/".join(posix.parts[i:]) for i in range(len(posix.parts))}
    return any(fnmatch(tail, pat) for pat in patterns for tail in tails | set(posix.parts))


@dataclass(frozen=True)
class Config:
    """Everything that decides what an audit does, besides its input."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()  # fnmatch patterns: files a folder or pattern input skips
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    untranslated: bool = False  # report entries a localisation file leaves untranslated
    fuzzy: bool = True  # audit entries a PO file marks fuzzy
    fail_on: str = "error"
    severity: Mapping[str, str] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    packs: tuple[Path, ...] = ()
    baseline: Path | None = None
    glossary: Path | None = None
    langid: Mapping[str, Any] = field(default_factory=dict)
    scoring: Mapping[str, Any] = field(default_factory=dict)
    min_bleu: float | None = None
    min_chrf: float | None = None
    max_ter: float | None = None
    jobs: int = 1

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"fail-on must be one of {', '.join(FAIL_ON)}, got {self.fail_on!r}")
        for code, sev in self.severity.items():
            if sev not in SEVERITIES:
                raise ConfigError(f"severity of {code} must be one of {', '.join(SEVERITIES)}, got {sev!r}")
        if self.jobs < 1:
            raise ConfigError(f"jobs must be at least 1, got {self.jobs}")
        for name, top in (("min_bleu", 100.0), ("min_chrf", 100.0), ("max_ter", float("inf"))):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= top:  # NaN fails both comparisons
                limit = f"between 0 and {top:g}" if top < float("inf") else "a number from 0 up"
                raise ConfigError(f"{name.replace('_', '-')} must be {limit}, got {value!r}")

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied; ``None`` values leave a field as it is."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def for_path(self, path: str | Path) -> Config:
        """This config for one input file: the codes of matching ``per-file-ignores`` ignored too.

        A pattern matches the path as given (posix separators) or any trailing part of it, as
        the ``exclude`` patterns do (``"drafts/*"``, ``"*.po"``, ``"legacy-feed.txt"``).
        """
        extra = [
            code
            for pattern, codes in self.per_file_ignores.items()
            if path_matches(Path(path), [pattern])
            for code in codes
        ]
        return self if not extra else dataclasses.replace(self, ignore=(*self.ignore, *extra))

    def options_used(self) -> dict[str, Any]:
        """The configuration as plain JSON data, for summary.json."""
        out = dataclasses.asdict(self)
        out["packs"] = [str(p) for p in self.packs]
        out["baseline"] = str(self.baseline) if self.baseline else None
        out["glossary"] = str(self.glossary) if self.glossary else None
        return out


_SCALARS = {"fail_on": str, "min_bleu": float, "min_chrf": float, "max_ter": float, "jobs": int}
_LISTS = ("select", "ignore", "extend_select", "exclude")
_TABLES = ("langid", "scoring")
_BOOLS = ("untranslated", "fuzzy")
# Every key a config file may hold (``-`` or ``_``); the README documents each.
KEYS = (*_LISTS, *_SCALARS, *_TABLES, *_BOOLS, "packs", "baseline", "glossary", "per_file_ignores", "rules")


def _key(name: str) -> str:
    return name.replace("-", "_")


def from_mapping(data: Mapping[str, Any], origin: str, base_dir: Path) -> Config:
    """Build a Config from a ``[tool.tqaudit]``-shaped mapping; errors name ``origin``."""
    kwargs: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = _key(raw_key)
        if key in _LISTS:
            kwargs[key] = tuple(_str_list(value, raw_key, origin))
        elif key in _SCALARS:
            kwargs[key] = _scalar(value, _SCALARS[key], raw_key, origin)
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: {raw_key!r} must be true or false, got {value!r}")
            kwargs[key] = value
        elif key == "packs":
            kwargs[key] = tuple(base_dir / p for p in _str_list(value, raw_key, origin))
        elif key in ("baseline", "glossary"):
            kwargs[key] = base_dir / _scalar(value, str, raw_key, origin)
        elif key in _TABLES:
            kwargs[key] = {_key(k): v for k, v in _table(value, raw_key, origin).items()}
        elif key == "rules":
            kwargs["severity"], kwargs["rule_options"] = _rules(value, origin)
        elif key == "per_file_ignores":
            kwargs[key] = {
                str(pattern): tuple(
                    c.upper() for c in _str_list(codes, f"per-file-ignores.{pattern}", origin)
                )
                for pattern, codes in _table(value, raw_key, origin).items()
            }
        else:
            raise ConfigError(f"{origin}: unknown key {raw_key!r}")
    return Config(**kwargs)


def _str_list(value: Any, key: str, origin: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: {key!r} must be a list of strings")
    return value


def _scalar(value: Any, kind: type, key: str, origin: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{origin}: {key!r} must be {kind.__name__}, got {value!r}")
    return value


def _table(value: Any, key: str, origin: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: {key!r} must be a table")
    return value


def _rules(value: Any, origin: str) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    severity: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for code, table in _table(value, "rules", origin).items():
        table = dict(_table(table, f"rules.{code}", origin))
        if "severity" in table:
            severity[code] = table.pop("severity")
        options[code] = {_key(k): v for k, v in table.items()}
    return severity, options


def find_config(start: Path) -> Path | None:
    """The nearest ``tqaudit.toml``, or ``pyproject.toml`` with ``[tool.tqaudit]``, upwards."""
    for folder in (start, *start.parents):
        own = folder / "tqaudit.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "tool" in _load(pyproject) and "tqaudit" in _load(pyproject)["tool"]:
            return pyproject
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:  # a folder, an unreadable file
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None


def load_config(path: Path | None = None, *, search_from: Path | None = None) -> Config:
    """Config from ``path``, or from the nearest config file, or the defaults."""
    if path is None:
        path = find_config(search_from or Path.cwd())
        if path is None:
            return Config()
    data = _load(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("tqaudit", {})
    return from_mapping(data, str(path), path.parent)
