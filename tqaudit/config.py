"""Configuration: ``[tool.tqaudit]`` in pyproject.toml or a ``tqaudit.toml`` file.

Precedence is CLI, then config file, then defaults (ruff's). Unknown keys are rejected by
name so that a typo never silently does nothing. Keys are kebab-case in files
(``fail-on``) and snake_case in Python.

Example ``tqaudit.toml``::

    select = ["ALL"]
    ignore = ["WS"]
    fail-on = "warning"
    min-chrf = 45.0

    [packs]
    paths = ["my-toponyms.toml", "my-packs/"]

    [packs."boilerplate.en"]
    disable = ["Read more:"]
    extra = [{ pattern = "Donate to keep us independent" }]

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
from tqaudit.executor import ENGINES
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
    pool: bool = False  # corpus rules (consistency) see all inputs of a run as one corpus
    fail_on: str = "error"
    severity: Mapping[str, str] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    packs: tuple[Path, ...] = ()
    # edits of packs by name: {"boilerplate.en": {"extra": [...], "disable": [...]}}
    pack_edits: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    baseline: Path | None = None
    glossary: tuple[Path, ...] = ()  # TM001/TM002's glossaries (TSV/CSV/TBX)
    langid: Mapping[str, Any] = field(default_factory=dict)
    scoring: Mapping[str, Any] = field(default_factory=dict)
    min_bleu: float | None = None
    min_chrf: float | None = None
    max_ter: float | None = None
    jobs: int = 1
    engine: str = "local"  # "dask": the per-chunk stages run on a Dask cluster
    scheduler: str | None = None  # address of a running Dask scheduler (else a LocalCluster)

    def __post_init__(self) -> None:
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"fail-on must be one of {', '.join(FAIL_ON)}, got {self.fail_on!r}")
        for code, sev in self.severity.items():
            if sev not in SEVERITIES:
                raise ConfigError(f"severity of {code} must be one of {', '.join(SEVERITIES)}, got {sev!r}")
        if self.jobs < 1:
            raise ConfigError(f"jobs must be at least 1, got {self.jobs}")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, got {self.engine!r}")
        if self.scheduler and self.engine != "dask":
            raise ConfigError("a Dask scheduler address goes with engine dask (--engine dask)")
        given: Any = self.glossary  # one path (the API before several were allowed), None or a list
        if given is None or isinstance(given, (str, Path)):
            object.__setattr__(self, "glossary", (Path(given),) if given else ())
        elif not isinstance(given, tuple):
            object.__setattr__(self, "glossary", tuple(Path(p) for p in given))
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
        out["glossary"] = [str(p) for p in self.glossary]
        return out


_SCALARS = {
    "fail_on": str,
    "min_bleu": float,
    "min_chrf": float,
    "max_ter": float,
    "jobs": int,
    "engine": str,
    "scheduler": str,
}
_LISTS = ("select", "ignore", "extend_select", "exclude")
_TABLES = ("langid", "scoring")
_BOOLS = ("untranslated", "fuzzy", "pool")
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
            kwargs["packs"], kwargs["pack_edits"] = _packs(value, base_dir, origin)
        elif key == "baseline":
            kwargs[key] = base_dir / _scalar(value, str, raw_key, origin)
        elif key == "glossary":  # one path or a list of them
            paths = [value] if isinstance(value, str) else _str_list(value, raw_key, origin)
            kwargs[key] = tuple(base_dir / p for p in paths)
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


def _packs(value: Any, base_dir: Path, origin: str) -> tuple[tuple[Path, ...], dict[str, dict[str, Any]]]:
    """``packs``: a list of pack files and folders, or a table with ``paths`` and one
    ``[packs.<pack name>]`` table of ``extra``/``disable`` per edited pack (the name dotted
    or quoted: ``[packs.boilerplate.en]`` is ``[packs."boilerplate.en"]``)."""
    if isinstance(value, list):
        return tuple(base_dir / p for p in _str_list(value, "packs", origin)), {}
    table = dict(_table(value, "packs", origin))
    paths = tuple(base_dir / p for p in _str_list(table.pop("paths", []), "packs.paths", origin))
    edits: dict[str, dict[str, Any]] = {}
    _pack_edits(table, (), edits, origin)
    return paths, edits


def _pack_edits(
    table: Mapping[str, Any], prefix: tuple[str, ...], out: dict[str, dict[str, Any]], origin: str
) -> None:
    """Collect the edit tables under ``[packs]``: a table holding ``extra`` or ``disable``
    edits the pack its dotted path names; any other leaf is an unknown key."""
    from tqaudit.packs import EDIT_KEYS

    for key, value in table.items():
        path = (*prefix, key)
        dotted = ".".join(path)
        if not isinstance(value, dict):
            hint = "[packs] holds paths; a [packs.NAME] table holds extra and disable"
            raise ConfigError(f"{origin}: unknown key 'packs.{dotted}' ({hint})")
        if set(value) & set(EDIT_KEYS):
            unknown = sorted(set(value) - set(EDIT_KEYS))
            if unknown:
                known = ", ".join(EDIT_KEYS)
                raise ConfigError(
                    f"{origin}: unknown key {unknown[0]!r} in [packs.{dotted}] (known: {known})"
                )
            out[dotted] = dict(value)
        else:
            _pack_edits(value, path, out, origin)


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
