"""Glossaries (term bases) as tables and as TBX: the user's terminology, for TM001/TM002.

Readers belong here; the terminology rules read the loaded :class:`Glossary` and never a
file. Three shapes are read, each into entries of one concept (its terms per language):

* a **bilingual table** (TSV or CSV, by the first line's tabs): columns ``source`` and
  ``target``, optional ``note``, ``case_sensitive`` and ``forbidden``. Several approved
  renderings of one source term are written either as separate rows with the same
  ``source`` or in one cell separated by ``|``; both mean the same. A row whose
  ``forbidden`` is true names a forbidden (deprecated) rendering of its ``source``; a
  forbidden row may leave ``source`` empty (a term forbidden in any target);
* a **multilingual table**: instead of ``source``/``target``, one column per language named
  by its code (``en``, ``ru``, ``de-DE``); each row is a concept, the pair of columns is
  chosen per segment from its languages (``--src-lang``/``--tgt-lang``, the table's own, or
  identified). Language columns are two-letter ISO 639-1 codes (with optional subtags);
  ``forbidden`` then lists the languages whose term in that row is forbidden (``en`` or
  ``en de``), so a row reads the same in both directions;
* **TBX** (TermBase eXchange, ISO 30042): TBX-Basic/TBX v2 (``martif``, ``termEntry``,
  ``langSet``, ``tig``/``ntig``) and TBX v3 (``tbx``, ``conceptEntry``, ``langSec``,
  ``termSec``). A term whose ``administrativeStatus`` or ``normativeAuthorization`` is
  ``deprecatedTerm`` or ``supersededTerm`` (with or without the ``-admn-sts`` suffix) is
  forbidden; every other term (preferred, admitted, none given) is approved.

Booleans are ``yes``/``no``, ``true``/``false``, ``1``/``0`` or empty (the default: not
forbidden; case-sensitive only for acronyms). Other columns are ignored (term-base exports
carry domains, definitions, dates). A bad glossary is one :class:`ConfigError` naming the
file and line.

TBX is parsed with lxml without resolving entities, loading a DTD or touching the network;
a file whose DTD declares entities is refused outright (billion laughs, external entities).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tqaudit.errors import ConfigError, InputError
from tqaudit.io.readers import read_text
from tqaudit.scripts import base_language

# The keys of a bilingual entry's terms (a multilingual entry's are language codes).
SOURCE, TARGET = "source", "target"
_BOOLS = {"": None, "yes": True, "y": True, "true": True, "1": True, "x": True, "no": False, "n": False}
_BOOLS.update({"false": False, "0": False})
# A header that names a language: an ISO 639 code with optional region/script subtags.
_LANGUAGE = re.compile(r"[a-z]{2}(?:[-_][a-z0-9]{2,8})*", re.IGNORECASE)
# Headers with a meaning of their own; never read as languages ("id" is not Indonesian here).
_RESERVED = frozenset({"id", "note", "notes", "case_sensitive", "forbidden", "source", "target"})
_STATUS = frozenset({"administrativeStatus", "normativeAuthorization"})
_FORBIDDEN_STATUS = frozenset({"deprecatedterm", "supersededterm"})
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Term:
    """One term of a concept in one language.

    ``case_sensitive`` None: the default, where acronyms (`ODKB`, `NATO`) are matched with
    their case and other words without.
    """

    text: str
    forbidden: bool = False
    case_sensitive: bool | None = None


@dataclass(frozen=True)
class Entry:
    """One concept: its terms by language (``source``/``target`` in a bilingual table)."""

    terms: Mapping[str, tuple[Term, ...]]
    note: str = ""
    origin: str = ""  # file:line, for messages

    @property
    def bilingual(self) -> bool:
        return SOURCE in self.terms or TARGET in self.terms


@dataclass(frozen=True)
class PairEntry:
    """What the rules read for one language pair: the source terms that call for the
    concept, its approved target renderings and its forbidden ones."""

    sources: tuple[Term, ...]
    approved: tuple[Term, ...]
    forbidden: tuple[Term, ...]
    note: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Glossary:
    """Every entry of the given files, in file and line order."""

    entries: tuple[Entry, ...] = ()
    _pairs: dict[tuple[str, str], tuple[PairEntry, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property
    def languages(self) -> tuple[str, ...]:
        """The languages of the multilingual entries (base codes, sorted)."""
        found = {lang for e in self.entries if not e.bilingual for lang in e.terms}
        return tuple(sorted(found))

    def resolve(self, src: str, tgt: str) -> tuple[str, str]:
        """The multilingual columns for segments from ``src`` into ``tgt`` ("" = unknown):
        an unknown side is the glossary's other language when it has exactly two; ("", "")
        when every entry is bilingual (the same entries serve every pair)."""
        langs = self.languages
        if not langs:
            return "", ""
        if len(langs) == 2:
            if not src and tgt in langs:
                src = langs[0] if tgt == langs[1] else langs[1]
            elif not tgt and src in langs:
                tgt = langs[0] if src == langs[1] else langs[1]
        return src, tgt

    def pair(self, src: str, tgt: str) -> tuple[PairEntry, ...]:
        """The entries for segments translated from ``src`` into ``tgt`` (base codes or "").

        Entries with the same source terms are merged (rows that list renderings one by
        one, a forbidden row next to its approved ones); forbidden-only entries stay apart.
        """
        key = self.resolve(src, tgt)
        if key not in self._pairs:
            self._pairs[key] = _merge(_pick(e, *key) for e in self.entries)
        return self._pairs[key]


def _pick(entry: Entry, src: str, tgt: str) -> PairEntry | None:
    s_key, t_key = (SOURCE, TARGET) if entry.bilingual else (src, tgt)
    if not entry.bilingual and (not src or not tgt or src == tgt):
        return None
    sources = tuple(t for t in entry.terms.get(s_key, ()))
    targets = entry.terms.get(t_key, ())
    approved = tuple(t for t in targets if not t.forbidden)
    forbidden = tuple(t for t in targets if t.forbidden)
    if not (sources and approved) and not forbidden:
        return None
    return PairEntry(sources, approved, forbidden, entry.note, entry.origin)


def _merge(picked: Iterable[PairEntry | None]) -> tuple[PairEntry, ...]:
    merged: dict[Any, PairEntry] = {}
    for entry in picked:
        if entry is None:
            continue
        key: Any = tuple(sorted({t.text.casefold() for t in entry.sources})) or object()
        old = merged.get(key)
        if old is None:
            merged[key] = entry
            continue
        merged[key] = PairEntry(
            old.sources,
            _unique(old.approved + entry.approved),
            _unique(old.forbidden + entry.forbidden),
            old.note or entry.note,
            old.origin,
        )
    return tuple(merged.values())


def _unique(terms: Sequence[Term]) -> tuple[Term, ...]:
    return tuple(dict.fromkeys(terms))


# --------------------------------------------------------------------------- reading


def load_glossaries(paths: Sequence[Path]) -> Glossary:
    """Every glossary in ``paths`` as one :class:`Glossary` (TBX by its extension or root)."""
    entries: list[Entry] = []
    for path in paths:
        entries += read_glossary(Path(path))
    return Glossary(tuple(entries))


def read_glossary(path: Path) -> list[Entry]:
    """The entries of one glossary file; errors are one line naming the file and line."""
    try:
        text = read_text(path)
    except InputError as exc:  # missing, empty, not UTF-8: a glossary is configuration
        raise ConfigError(f"glossary {exc}") from None
    if path.suffix.lower() in (".tbx", ".xml") or text.lstrip().startswith("<"):
        return read_tbx(text, str(path))
    return read_table(text, str(path))


def read_table(text: str, origin: str) -> list[Entry]:
    """The entries of a TSV/CSV glossary (bilingual or multilingual; see the module)."""
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip() for h in reader.fieldnames or []]
    reader.fieldnames = [h.lower() for h in header]
    bilingual = {SOURCE, TARGET} <= set(reader.fieldnames)
    languages = {h: base_language(h) for h in reader.fieldnames if _is_language(h)}
    if not bilingual and len(set(languages.values())) < 2:
        raise ConfigError(
            f"{origin}:1: a glossary needs 'source' and 'target' columns, or two or more "
            f"language columns (en, ru, de, ...); found {', '.join(map(repr, header)) or 'none'}"
        )
    entries = []
    try:
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            where = f"{origin}:{line}"
            columns = {SOURCE: SOURCE, TARGET: TARGET} if bilingual else languages
            entries.append(_table_entry(row, columns, bilingual, where))
    except csv.Error as exc:
        raise ConfigError(f"{origin}:{reader.line_num}: not a valid table ({exc})") from None
    if not entries:
        raise ConfigError(f"{origin}: a glossary with a header and no terms")
    return entries


def _is_language(header: str) -> bool:
    return header not in _RESERVED and _LANGUAGE.fullmatch(header) is not None


def _flag(row: Mapping[str, Any], column: str, where: str) -> bool | None:
    value = (row.get(column) or "").strip().lower()
    if value not in _BOOLS:
        raise ConfigError(f"{where}: {column} must be yes or no, got {value!r}")
    return _BOOLS[value]


def _cell(value: Any) -> tuple[str, ...]:
    """The terms of one cell: ``|``-separated renderings, blanks dropped."""
    return tuple(p.strip() for p in (value or "").split("|") if p.strip())


def _forbidden_languages(row: Mapping[str, Any], languages: Mapping[str, str], where: str) -> set[str]:
    """A multilingual row's ``forbidden``: the languages whose term in it is forbidden."""
    named = (row.get("forbidden") or "").replace(",", " ").split()
    codes = {base_language(c) for c in named}
    unknown = sorted(codes - set(languages.values()))
    if unknown:
        raise ConfigError(
            f"{where}: forbidden must list language columns of the table "
            f"({', '.join(sorted(set(languages.values())))}), got {unknown[0]!r}"
        )
    return codes


def _table_entry(row: Mapping[str, Any], columns: Mapping[str, str], bilingual: bool, where: str) -> Entry:
    if bilingual:
        forbidden = {TARGET} if _flag(row, "forbidden", where) else set()
    else:
        forbidden = _forbidden_languages(row, columns, where)
    case = _flag(row, "case_sensitive", where)
    terms: dict[str, list[Term]] = {}
    for column, lang in columns.items():
        for text in _cell(row.get(column)):
            terms.setdefault(lang, []).append(Term(text, lang in forbidden, case))
    if bilingual:
        if not terms.get(TARGET):
            raise ConfigError(f"{where}: empty target term")
        if not terms.get(SOURCE) and not forbidden:
            raise ConfigError(f"{where}: empty source term (only a forbidden row may leave it empty)")
    elif len(terms) < 1:
        raise ConfigError(f"{where}: no term in any language column")
    return Entry({k: tuple(v) for k, v in terms.items()}, (row.get("note") or "").strip(), where)


# --------------------------------------------------------------------------- TBX


def _local(tag: Any) -> str:
    """An element's name without its namespace (TBX v3 modules add their own)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_tbx(text: str, origin: str) -> list[Entry]:
    """The concepts of a TBX file (see the module for the versions and statuses read)."""
    from lxml import etree

    _refuse_entities(text, origin)
    # the declaration may name the file's encoding: the text is decoded already
    body = _XML_DECLARATION.sub(lambda m: "\n" * m.group().count("\n"), text, count=1)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise ConfigError(f"{origin}:{line}: not well-formed XML ({exc.msg})") from None
    if _local(root.tag) not in ("martif", "tbx"):
        name = _local(root.tag)
        raise ConfigError(f"{origin}:{root.sourceline}: not TBX (root <{name}>, not <martif> or <tbx>)")
    entries = [_concept(el, origin) for el in root.iter() if _local(el.tag) in ("termEntry", "conceptEntry")]
    if not entries:
        raise ConfigError(f"{origin}:{root.sourceline}: no <termEntry> or <conceptEntry> in the TBX file")
    return [e for e in entries if e.terms]


def _refuse_entities(text: str, origin: str) -> None:
    """A DTD that declares entities is refused before parsing (TBX needs none)."""
    at = text.find("<!ENTITY")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise ConfigError(f"{origin}:{line}: the DTD declares entities; refused (a TBX file needs none)")


def _concept(entry: Any, origin: str) -> Entry:
    terms: dict[str, list[Term]] = {}
    for lang_set in entry:
        if _local(lang_set.tag) not in ("langSet", "langSec"):
            continue
        code = lang_set.get("{http://www.w3.org/XML/1998/namespace}lang") or lang_set.get("lang") or ""
        if not code.strip():
            raise ConfigError(f"{origin}:{lang_set.sourceline}: <{_local(lang_set.tag)}> without xml:lang")
        for holder in lang_set.iter():
            if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                continue
            term = _term_of(holder, origin)
            if term is not None:
                terms.setdefault(base_language(code), []).append(term)
    note = next((_text(el) for el in entry.iter() if _is_note(el)), "")
    return Entry({k: tuple(v) for k, v in terms.items()}, note, f"{origin}:{entry.sourceline}")


def _is_note(el: Any) -> bool:
    name = _local(el.tag)
    return name == "note" or (name == "descrip" and el.get("type") == "definition") or name == "definition"


def _term_of(holder: Any, origin: str) -> Term | None:
    """The term of a ``tig``/``ntig``/``termSec`` and whether its status forbids it."""
    text = ""
    forbidden = False
    for el in holder.iter():
        name = _local(el.tag)
        if name == "term" and not text:
            text = _text(el)
        elif _STATUS.intersection((el.get("type") if name == "termNote" else name, name)):
            forbidden |= _forbidding(_text(el))  # a termNote's type, or TBX v3 DCT's element
    if not text:
        raise ConfigError(f"{origin}:{holder.sourceline}: <{_local(holder.tag)}> without a <term>")
    return Term(text, forbidden)


def _forbidding(status: str) -> bool:
    return status.strip().lower().removesuffix("-admn-sts") in _FORBIDDEN_STATUS


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())
