"""Data packs: the knowledge rules read (toponyms, calques, boilerplate, quote styles).

A pack is a TOML file named ``<category>.<lang>.toml`` (or ``<category>.<src>-<tgt>.toml``
for a language pair) with a ``[pack]`` table and a list of ``[[entry]]`` tables. Every entry
has ``pattern``, ``suggestion``, ``note`` and ``source``; an entry with ``regex = true``
holds a regular expression, checked at load (it compiles, and no group repeated without
bound holds a quantifier: such a pattern can backtrack catastrophically). Packs ship inside the package
(``tqaudit/packs/``) and users add their own from config (``packs = ["my.toml", "my-packs/"]``,
files or folders of them); a user pack with the same name extends the built-in one, and
config edits (``[packs."boilerplate.en"]`` with ``extra`` and ``disable``) add entries to a
pack or switch entries off by pattern or ``id``. Packs are validated at load and an error
names the file and the entry index.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tqaudit.errors import ConfigError
from tqaudit.io.readers import read_text

if sys.version_info >= (3, 11):
    import re._parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

# tomli's wheels are compiled (mypyc): it parses the packs of a run about 3x faster than
# the standard library's pure-Python tomllib (0.03 against 0.10 CPU-s for all of them),
# with the same result; tomllib stands in where tomli is not installed
try:
    import tomli as tomllib
except ImportError:  # pragma: no cover - an install without the dependency
    import tomllib  # type: ignore[no-redef]

ENTRY_KEYS = frozenset({"pattern", "suggestion", "note", "source"})
# ``forms`` (CQ001), ``except``, ``native`` (TL001) and ``source_pattern`` (both) are read by those rules.
OPTIONAL_ENTRY_KEYS = frozenset(
    {"after", "alternatives", "before", "except", "forms", "languages", "native", "source_pattern"}
)
# How an entry matches (read by the rules that support them; BP001/BP002 do): ``id`` names
# it for ``disable``, ``regex`` makes ``pattern`` a regular expression, ``anywhere`` and
# ``rest`` say where in a sentence the phrase counts (see ``boilerplate.en.toml``).
MATCH_KEYS = frozenset({"id", "regex", "anywhere", "rest"})
_FLAG_KEYS = ("regex", "anywhere", "rest")
# What a config edit of one pack may hold (``[packs."boilerplate.en"]``).
EDIT_KEYS = ("extra", "disable")
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
        unknown = sorted(set(entry) - ENTRY_KEYS - OPTIONAL_ENTRY_KEYS - MATCH_KEYS)
        if unknown:
            raise ConfigError(f"{origin}: entry {i} has unknown key {unknown[0]!r}")
        if not isinstance(entry["pattern"], str) or not entry["pattern"]:
            raise ConfigError(f"{origin}: entry {i} has an empty pattern")
        _check_match_keys(entry, f"{origin}: entry {i}")
        for key in REGEX_ENTRY_KEYS:
            if key in entry:
                check_linear_regex(entry[key], f"{origin}: entry {i} {key!r}")
    raw = repr((sorted(header.items()), entries)).encode()
    return Pack(name, header, tuple(entries), hashlib.sha256(raw).hexdigest()[:12])


def _check_match_keys(entry: Mapping[str, Any], where: str) -> None:
    for key in _FLAG_KEYS:
        if key in entry and not isinstance(entry[key], bool):
            raise ConfigError(f"{where}: {key!r} must be true or false, got {entry[key]!r}")
    if "id" in entry and (not isinstance(entry["id"], str) or not entry["id"]):
        raise ConfigError(f"{where}: 'id' must be a non-empty string")
    if entry.get("regex"):
        check_regex(entry["pattern"], where)


# A quantifier that repeats: ``*``, ``+``, ``{n,}``, ``{n,m}``.
_QUANTIFIER = re.compile(r"[*+]|\{(\d*),(\d*)\}|\{(\d+)\}")


def _quantified(pattern: str, at: int) -> tuple[bool, bool, int]:
    """Whether a quantifier at ``pattern[at]`` repeats, whether without bound, and its end."""
    m = _QUANTIFIER.match(pattern, at)
    if m is None:
        return False, False, at
    if m.group() in ("*", "+"):
        return True, True, m.end()
    if m.group(3) is not None:  # {n}: one way to match, however large n is
        return False, False, m.end()
    high = m.group(2)
    return (not high or int(high) > 1), not high, m.end()


def check_regex(pattern: str, where: str) -> re.Pattern[str]:
    """``pattern`` compiled, or a one-line ConfigError naming ``where``.

    Rejects a group repeated without bound that itself holds a repeating quantifier
    (``(\\w+\\s?)+``, ``(a*)*``): such nested quantifiers can take exponential time on a
    text that almost matches. A static check of the pattern's text, not a proof:
    overlapping alternatives (``(a|aa)+``) pass it.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regex {pattern!r} ({exc})") from None
    stack: list[bool] = [False]  # per open group: does it hold a repeating quantifier?
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "(":
            stack.append(False)
            i += 1
            continue
        inner = False
        if char == "\\":
            end = i + 2
        elif char == "[":  # a character class: one atom up to its closing bracket
            end = _class_end(pattern, i)
        elif char == ")" and len(stack) > 1:
            inner, end = stack.pop(), i + 1
        else:
            end = i + 1
        repeats, unbounded, i = _quantified(pattern, end)
        if inner and unbounded:
            raise ConfigError(
                f"{where}: regex {pattern!r} repeats a group that repeats inside "
                "(nested quantifiers backtrack catastrophically)"
            )
        stack[-1] = stack[-1] or repeats or inner
    return compiled


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at ``pattern[start]``."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


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
    pack = _validate(name, f"pack {name}.toml", _read(ref.read_text("utf-8"), f"pack {name}.toml"))
    return replace(pack, digest=_builtin_digest(name))


@cache
def _builtin_names() -> frozenset[str]:
    """The names of the packs shipped in the package, listed once per process: the folder
    does not change while it runs, and rules ask for the names of a category once per
    language pair (listing it 72 times cost 20 ms of a 0.6 CPU-s audit of 48 rows)."""
    return frozenset(
        p.name.removesuffix(".toml")
        for p in resources.files("tqaudit.packs").iterdir()
        if p.name.endswith(".toml")
    )


@cache
def _builtin_digest(name: str) -> str:
    """A built-in pack's digest: the hash of its file's bytes, read without parsing it, so
    that the run signature of an audit that reads three packs does not parse all fifty."""
    data = resources.files("tqaudit.packs").joinpath(f"{name}.toml").read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


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
    # Config edits by pack name: ``{"boilerplate.en": {"extra": [...], "disable": [...]}}``.
    edits: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    _user: dict[str, Pack] = field(default_factory=dict, init=False)
    _edited: dict[str, Pack | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for path in _pack_files(self.user_files):
            text = read_text(Path(path))  # one reader: missing, empty or non-UTF-8 is a clear error
            name = Path(path).name.removesuffix(".toml")
            data = _read(text, str(path))
            name = data.get("pack", {}).get("name", name)
            self._user[name] = _merge(self._user.get(name), _validate(name, str(path), data))
        for name in sorted(self.edits):  # every edit checked now: a typo is an error up front
            self.get(name)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> PackSet:
        return cls()

    def get(self, name: str) -> Pack | None:
        """The pack called ``name`` (built-in merged with the user's, then edited), or None."""
        if name not in self._edited:
            base = _builtin(name)
            extra = self._user.get(name)
            pack = _merge(base, extra) if extra else base
            edit = self.edits.get(name)
            self._edited[name] = _edit(name, pack, edit) if edit is not None else pack
        return self._edited[name]

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
        """Every pack name: built-in, the user's, and those a config edit names."""
        return sorted(_builtin_names() | self._user.keys() | self.edits.keys())

    def _digest(self, name: str) -> str:
        """``name``'s digest; a built-in pack that no user pack or edit changes is not parsed."""
        if name in self._user or name in self.edits or name in self._edited:
            pack = self.get(name)
            return pack.digest if pack is not None else ""
        return _builtin_digest(name)

    def signature(self) -> str:
        """One hash over every pack and glossary in use: part of the run signature."""
        digests = "".join(self._digest(n) for n in self.names())
        digests += "".join(hashlib.sha256(read_text(g).encode()).hexdigest() for g in self.glossaries)
        return hashlib.sha256(digests.encode()).hexdigest()[:12]


def _pack_files(paths: Sequence[Path]) -> list[Path]:
    """``paths`` with each folder replaced by its ``*.toml`` files (sorted: a stable order)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                raise ConfigError(f"{path}: a packs folder without any .toml pack")
            out += found
        else:
            out.append(path)
    return out


def _edit(name: str, pack: Pack | None, edit: Mapping[str, Any]) -> Pack | None:
    """``pack`` with a config edit applied: ``disable`` drops entries, ``extra`` adds some.

    ``disable`` names entries by ``id`` or by ``pattern``; naming none of the pack's entries
    is an error (a typo never silently does nothing). ``extra`` entries need a ``pattern``;
    ``suggestion`` and ``note`` default to empty and ``source`` to "user config".
    """
    origin = f"config [packs.{name}]"
    unknown = sorted(set(edit) - set(EDIT_KEYS))
    if unknown:
        raise ConfigError(f"{origin}: unknown key {unknown[0]!r} (known: {', '.join(EDIT_KEYS)})")
    disable = edit.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise ConfigError(f"{origin}: 'disable' must be a list of entry ids or patterns")
    extra = edit.get("extra", [])
    if not isinstance(extra, list) or not all(isinstance(e, dict) for e in extra):
        raise ConfigError(f"{origin}: 'extra' must be a list of entry tables")
    entries = pack.entries if pack is not None else ()
    known = {e.get("id") for e in entries} | {e["pattern"] for e in entries}
    for key in disable:
        if key not in known:
            raise ConfigError(
                f"{origin}: cannot disable {key!r}: pack {name} has no entry with that id or pattern"
            )
    off = set(disable)
    kept = [e for e in entries if e["pattern"] not in off and e.get("id") not in off]
    added = [{"suggestion": "", "note": "", "source": "user config", **e} for e in extra]
    header = pack.header if pack is not None else {"description": "user entries from config"}
    edited = _validate(name, origin, {"pack": header, "entry": kept + added})
    if pack is not None:
        digest = hashlib.sha256((pack.digest + edited.digest).encode()).hexdigest()[:12]
        edited = Pack(name, edited.header, edited.entries, digest)
    return edited


_LANGS = re.compile(r"^(?:([a-z]{2,3})-)?([a-z]{2,3})$")


def languages_of(pack: Pack) -> list[str]:
    """The languages a pack is for: from its name (``calque.ru-en``: ru, en; ``boilerplate.de``:
    de) and its header's ``source_languages``; empty for a pack of every language."""
    _, _, suffix = pack.name.partition(".")
    m = _LANGS.match(suffix)
    found = [lang for lang in (m.groups() if m else ()) if lang]
    found += [lang for lang in pack.header.get("source_languages", ()) if lang not in found]
    return found


def pack_record(pack: Pack, entries: bool = False) -> dict[str, Any]:
    """What ``tqaudit packs`` shows of one pack: name, description, languages, entry count and
    sources (the header's and each distinct entry source, in order); with ``entries`` every
    entry too."""
    sources = [pack.header["source"]] if isinstance(pack.header.get("source"), str) else []
    for entry in pack.entries:
        if entry["source"] and entry["source"] not in sources:
            sources.append(entry["source"])
    record: dict[str, Any] = {
        "name": pack.name,
        "description": str(pack.header.get("description", "")),
        "languages": languages_of(pack),
        "entries": len(pack.entries),
        "sources": sources,
        "digest": pack.digest,
    }
    if entries:
        record["entry"] = [dict(e) for e in pack.entries]
    return record


def describe_packs(packs: PackSet, name: str | None = None) -> list[dict[str, Any]]:
    """Records of every pack (``name`` None), of one pack, or of the packs whose name starts
    with ``name`` and a dot (``boilerplate``: every boilerplate pack); one pack's record
    lists its entries. An unknown name is a ConfigError that suggests a close one."""
    names = list(packs.names())
    if name is None:
        return [pack_record(p) for n in names if (p := packs.get(n)) is not None]
    if name in names:
        pack = packs.get(name)
        return [pack_record(pack, entries=True)] if pack is not None else []
    family = [n for n in names if n.startswith(f"{name}.")]
    if family:
        return [pack_record(p) for n in family if (p := packs.get(n)) is not None]
    import difflib

    near = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    raise ConfigError(f"unknown pack {name!r}{hint}")
