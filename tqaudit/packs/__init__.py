"""Data packs: the knowledge rules read (toponyms, calques, boilerplate, quote styles).

A pack is a TOML file named ``<category>.<lang>.toml`` (or ``<category>.<src>-<tgt>.toml``
for a language pair) with a ``[pack]`` table and a list of ``[[entry]]`` tables. Every entry
has ``pattern``, ``suggestion``, ``note`` and ``source``. Packs ship inside the package
(``tqaudit/packs/``) and users add their own from config (``packs = ["my.toml"]``);
a user pack with the same name extends the built-in one. Packs are validated at load and
an error names the file and the entry index.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tqaudit.errors import ConfigError
from tqaudit.io.readers import read_text

if sys.version_info >= (3, 11):
    import re._parser as sre_parse

    import tomllib
else:  # pragma: no cover - Python 3.10
    import sre_parse

    import tomli as tomllib

ENTRY_KEYS = frozenset({"pattern", "suggestion", "note", "source"})
OPTIONAL_ENTRY_KEYS = frozenset({"after", "alternatives", "before", "languages"})
# Entry keys that hold regular expressions (RP001's contexts), checked at load.
REGEX_ENTRY_KEYS = ("before", "after")


@dataclass(frozen=True)
class Pack:
    """One pack: its name (``transliteration.en``), header table and entries."""

    name: str
    header: dict[str, Any]
    entries: tuple[dict[str, Any], ...]
    digest: str

    def patterns(self) -> list[str]:
        return [e["pattern"] for e in self.entries]

    def mapping(self) -> dict[str, str]:
        """``{pattern: suggestion}``: the pack as a lookup table."""
        return {e["pattern"]: e["suggestion"] for e in self.entries}

    def by_language(self) -> dict[str, set[str]]:
        """``{language: patterns}`` from each entry's ``languages`` (``*`` when it has none)."""
        out: dict[str, set[str]] = {}
        for entry in self.entries:
            for lang in entry.get("languages", ["*"]):
                out.setdefault(lang, set()).add(entry["pattern"])
        return out


def _nested_repeat(parsed: Any, inside_unbounded: bool = False) -> bool:
    """Whether ``parsed`` (an ``sre_parse`` tree) has a repeat inside an unbounded repeat:
    ``(a+)+``, ``(\\w+\\s?)*``, the shape that backtracks exponentially on a near miss.
    POSSESSIVE_REPEAT and ATOMIC_GROUP never backtrack into their body, so they are allowed."""
    for op, av in parsed:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            _, high, body = av
            if inside_unbounded and high > 1:
                return True
            children = [(body, inside_unbounded or high == sre_parse.MAXREPEAT)]
        elif name == "SUBPATTERN":
            children = [(av[3], inside_unbounded)]
        elif name == "BRANCH":
            children = [(branch, inside_unbounded) for branch in av[1]]
        elif name in ("ASSERT", "ASSERT_NOT"):
            children = [(av[1], inside_unbounded)]
        else:
            continue
        if any(_nested_repeat(child, unbounded) for child, unbounded in children):
            return True
    return False


def check_linear_regex(pattern: object, where: str) -> None:
    """Refuse a pack regex that does not compile or that can backtrack catastrophically.

    Python's ``re`` backtracks, so a user's ``(\\w+\\s?)+`` could stall an audit on one
    segment; nested unbounded quantifiers are the shape that does it, and they are refused
    (write the inner one possessive, ``\\w++``, or drop a level). Overlapping alternatives
    under a star (``(a|ab)*``) are not detected; the shipped packs use neither.
    """
    if not isinstance(pattern, str):
        raise ConfigError(f"{where} must be a string (a regular expression)")
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression ({exc})") from None
    if _nested_repeat(parsed):
        raise ConfigError(
            f"{where}: {pattern!r} nests one repeat inside another (like '(a+)+'), which can take "
            "exponential time on one segment; make the inner one possessive ('a++') or drop it"
        )


def _validate(name: str, origin: str, data: dict[str, Any]) -> Pack:
    header = data.get("pack", {})
    if not isinstance(header, dict):
        raise ConfigError(f"{origin}: [pack] must be a table")
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{origin}: 'entry' must be an array of tables ([[entry]])")
    for i, entry in enumerate(entries):
        missing = sorted(ENTRY_KEYS - set(entry))
        if missing:
            raise ConfigError(f"{origin}: entry {i} lacks {', '.join(missing)}")
        unknown = sorted(set(entry) - ENTRY_KEYS - OPTIONAL_ENTRY_KEYS)
        if unknown:
            raise ConfigError(f"{origin}: entry {i} has unknown key {unknown[0]!r}")
        if not isinstance(entry["pattern"], str) or not entry["pattern"]:
            raise ConfigError(f"{origin}: entry {i} has an empty pattern")
        for key in REGEX_ENTRY_KEYS:
            if key in entry:
                check_linear_regex(entry[key], f"{origin}: entry {i} {key!r}")
    raw = repr((sorted(header.items()), entries)).encode()
    return Pack(name, header, tuple(entries), hashlib.sha256(raw).hexdigest()[:12])


def _read(path_text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML ({exc})") from None


@cache
def _builtin(name: str) -> Pack | None:
    ref = resources.files("tqaudit.packs").joinpath(f"{name}.toml")
    if not ref.is_file():
        return None
    return _validate(name, f"pack {name}.toml", _read(ref.read_text("utf-8"), f"pack {name}.toml"))


def _merge(base: Pack | None, extra: Pack) -> Pack:
    if base is None:
        return extra
    header = {**base.header, **extra.header}
    for key, value in extra.header.items():
        if isinstance(value, list) and isinstance(base.header.get(key), list):
            header[key] = [*base.header[key], *value]
    entries = base.entries + extra.entries
    digest = hashlib.sha256((base.digest + extra.digest).encode()).hexdigest()[:12]
    return Pack(base.name, header, entries, digest)


@dataclass
class PackSet:
    """The knowledge rules read: built-in packs, the user's packs and glossaries.

    Glossaries are the user's own terminology (``--glossary``); they travel with the packs
    so that a rule reads every kind of knowledge the same way and the run signature
    covers their contents.
    """

    user_files: tuple[Path, ...] = ()
    glossaries: tuple[Path, ...] = ()
    _user: dict[str, Pack] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for path in self.user_files:
            text = read_text(Path(path))  # one reader: missing, empty or non-UTF-8 is a clear error
            name = Path(path).name.removesuffix(".toml")
            data = _read(text, str(path))
            name = data.get("pack", {}).get("name", name)
            self._user[name] = _merge(self._user.get(name), _validate(name, str(path), data))

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> PackSet:
        return cls()

    def get(self, name: str) -> Pack | None:
        """The pack called ``name`` (built-in merged with the user's), or None."""
        base = _builtin(name)
        extra = self._user.get(name)
        return _merge(base, extra) if extra else base

    def for_languages(self, category: str, src: str, tgt: str) -> list[Pack]:
        """The packs of ``category`` for a segment translated from ``src`` into ``tgt``.

        The one convention: ``<category>.<src>-<tgt>`` (a pair pack, which may also name more
        ``source_languages`` in its header: Ukrainian shares Russian's calques) and then
        ``<category>.<tgt>``. An unknown source language (``""``) takes every pair pack into
        ``tgt``. Built-in and user packs are found alike.
        """
        if not tgt:
            return []
        found: list[Pack] = []
        prefix, suffix = f"{category}.", f"-{tgt}"
        for name in self.names():
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            pack = self.get(name)
            pair_src = name[len(prefix) : -len(suffix)]
            if pack is None or "-" in pair_src:
                continue
            if not src or src in (pair_src, *pack.header.get("source_languages", ())):
                found.append(pack)
        own = self.get(f"{category}.{tgt}")
        if own is not None:
            found.append(own)
        return found

    def names(self) -> Sequence[str]:
        builtin = [
            p.name.removesuffix(".toml")
            for p in resources.files("tqaudit.packs").iterdir()
            if p.name.endswith(".toml")
        ]
        return sorted(set(builtin) | set(self._user))

    def signature(self) -> str:
        """One hash over every pack and glossary in use: part of the run signature."""
        digests = "".join(p.digest for n in self.names() if (p := self.get(n)) is not None)
        digests += "".join(hashlib.sha256(read_text(g).encode()).hexdigest() for g in self.glossaries)
        return hashlib.sha256(digests.encode()).hexdigest()[:12]
