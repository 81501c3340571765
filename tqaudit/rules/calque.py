"""Calque rules: source-language phrasing carried word for word into the target."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import compress
from typing import Any

from tqaudit.chunk import Chunk
from tqaudit.errors import ConfigError
from tqaudit.rules.base import (
    FOLDS_UNLIKE_ITS_CASE,
    Applicability,
    Hit,
    Rule,
    folds_unlike_its_case,
    remap,
    rows_with_literals,
)
from tqaudit.rules.registry import register

# Any dash, with or without spaces around it, matches any other: MT writes the Russian
# compound `страны-участницы` as `countries-parties`, `countries – parties` or `countries — parties`.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RUN = re.compile(rf"\s*[{_DASHES}]\s*")
_DASH_RE = rf"\s*[{_DASHES}]\s*"
_APOSTROPHES = "'\u2019\u02bc"
_SPLIT = re.compile(rf"(\s*[{_DASHES}]\s*|\s+|[{_APOSTROPHES}])")


@dataclass(frozen=True)
class CalqueEntry:
    """One pack entry as the rule uses it: the suggestion and the source condition, if any."""

    suggestion: str
    source: re.Pattern[str] | None

    def applies(self, source: str) -> bool:
        """Whether the segment's source allows the entry (an entry without a condition always does)."""
        return self.source is None or bool(self.source.search(source))


@dataclass(frozen=True)
class CalqueTable:
    """The calques of one language pair: entries by canonical phrase, and the prefix tree of
    those phrases that picks the rows worth scanning."""

    entries: dict[str, tuple[CalqueEntry, ...]]
    # whether every phrase opens with a word character: a phrase then counts in a text's
    # canonical form at a word start only (:func:`_word_start`)
    word_start: bool
    # canonical phrase -> the phrase as written in the pack, where case folding changed more
    # than the case ('großartigen' folds to 'grossartigen', which no case-blind regex matches)
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _scans: dict[tuple[str, ...], re.Pattern[str]] = field(default_factory=dict, compare=False)
    # literals one of which the case-folded form of every text with a phrase holds
    # (:func:`anchor`), none holding another (None: every text is read)
    anchors: tuple[str, ...] | None = None

    def candidates(self, targets: Sequence[str]) -> Iterator[tuple[int, tuple[str, ...]]]:
        """``(row, phrases)`` for the rows whose canonical form (:func:`phrase_key`) contains
        listed phrases: the only rows, and the only phrases, the scan can match.

        A text that holds a phrase holds its canonical form once case-folded, its dashes and
        spaces unified, so nothing is lost (a text with a character of :data:`_SCANNED_WHOLE`
        is scanned for every phrase); the phrases are found in it by ``str`` tests, where a
        scan pattern of every phrase (spaces, dashes and apostrophes as classes, a hundred
        alternatives) is tried at every position of every text, several times slower.
        Most texts hold no phrase: they are set aside (:meth:`_rows`) before the canonical
        form is made.
        """
        for row in self._rows(targets):
            text = targets[row]
            if _scanned_whole(text):
                yield row, tuple(self.entries)
                continue
            canonical = phrase_key(text)
            phrases = tuple(k for k in self.entries if k in canonical)
            if phrases and (not self.word_start or any(_at_word_start(canonical, k) for k in phrases)):
                yield row, phrases

    def _rows(self, targets: Sequence[str]) -> Sequence[int]:
        """The rows that may hold a phrase, in order: those whose case-folded text holds an
        anchor, found for all the rows at once in C (:func:`rows_with_literals`: a prefix
        tree of the phrases' longest words tried at every position of every text cost
        twice as much), and the :func:`_irregular` ones."""
        if self.anchors is None:
            return range(len(targets))
        rows = rows_with_literals(list(map(str.casefold, targets)), self.anchors)
        rows.update(compress(range(len(targets)), map(_irregular, targets)))
        return sorted(rows)

    def key_of(self, found: str) -> str:
        """The canonical phrase of a scan's match: its canonical form, or for a match with
        a character of :data:`_SCANNED_WHOLE` (`wİth`, whose form is `wi̇th`), the first
        phrase in the scan's order (longest first) whose pattern matches it whole."""
        key = phrase_key(found)
        if key in self.entries:
            return key
        return next(
            k for k in sorted(self.entries, key=lambda k: (-len(k), k)) if self.scan((k,)).fullmatch(found)
        )

    def scan(self, phrases: tuple[str, ...]) -> re.Pattern[str]:
        """The scan pattern of ``phrases`` (longest first, as whole words), compiled once;
        a phrase whose case folding is not a case change is also matched as written."""
        pattern = self._scans.get(phrases)
        if pattern is None:
            texts = {v for k in phrases for v in (k, *self.written.get(k, ()))}
            alts = "|".join(phrase_regex(k) for k in sorted(texts, key=lambda k: (-len(k), k)))
            pattern = self._scans[phrases] = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        return pattern


_DASH_CHAR = re.compile(f"[{_DASHES}]")
_OTHER_APOSTROPHES = tuple(a for a in _APOSTROPHES if a != "'")  # none of them ASCII


def phrase_key(text: str) -> str:
    """The canonical form of a phrase: case-folded, one space, dashes and apostrophes unified.

    Every target of a chunk is put in this form to pick the rows worth scanning, so the dash
    substitution runs only on texts that have a dash, and the apostrophes are unified by
    ``str.replace`` on non-ASCII texts only (``str.translate`` with a table looks every
    character up in a dict: it cost half the time of this function)."""
    text = text.casefold()
    if ("-" in text) if text.isascii() else _DASH_CHAR.search(text):
        text = _DASH_RUN.sub("-", text)
    if not text.isascii():
        for apostrophe in _OTHER_APOSTROPHES:
            text = text.replace(apostrophe, "'")
    return " ".join(text.split())


_KEY_BREAK = re.compile("[\\-']")


def anchor(key: str) -> str:
    """The longest run of a canonical phrase between hyphens and apostrophes. A text whose
    canonical form holds the phrase holds this run in its case-folded form as it is,
    unless its whitespace is other than single ASCII spaces (:func:`_irregular`):
    :func:`phrase_key` changes only whitespace, dashes and apostrophes, and the run has
    no dash or apostrophe, and single spaces."""
    return max(_KEY_BREAK.split(key), key=len)


def _irregular(text: str) -> bool:
    """Whether ``text`` is read for the phrases whatever its anchors: its whitespace is other
    than single ASCII spaces (a printable text has no whitespace but the ASCII space), or
    it has a character of :data:`_SCANNED_WHOLE`."""
    return not text.isprintable() or "  " in text or _scanned_whole(text)


def phrase_regex(phrase: str) -> str:
    """A regex for a literal phrase in which spaces, dashes and apostrophes match their variants."""
    out = []
    for part in _SPLIT.split(phrase.strip()):
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        elif _DASH_RUN.fullmatch(part):
            out.append(_DASH_RE)
        elif part in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        else:
            out.append(re.escape(part))
    return "".join(out)


def compile_source_pattern(text: str, origin: str) -> re.Pattern[str]:
    """An entry's ``source_pattern`` (a stem or a regex, case-insensitive), or a clear error."""
    try:
        return _compiled(text)
    except re.error as exc:
        raise ConfigError(f"{origin}: bad source_pattern {text!r} ({exc})") from None


@cache
def _compiled(text: str) -> re.Pattern[str]:
    """One compiled pattern per source condition in the process (Russian and Ukrainian
    sources share their tables' conditions)."""
    return re.compile(text, re.IGNORECASE)


def build_table(packs: Iterable[tuple[str, Sequence[Mapping[str, Any]]]]) -> CalqueTable:
    """Compile the entries of ``(pack name, entries)`` into one table.

    Each entry's ``pattern`` and its ``forms`` (other inflections with the same fix) become
    one alternation, longest first; the phrase found is mapped back to its entries by
    :func:`phrase_key`. The canonical phrases also make the prefix tree that picks the
    rows worth scanning.
    """
    entries: dict[str, list[CalqueEntry]] = {}
    written: dict[str, set[str]] = {}
    for name, pack_entries in packs:
        for i, e in enumerate(pack_entries):
            cond = e.get("source_pattern")
            source = compile_source_pattern(str(cond), f"pack {name} entry {i}") if cond else None
            entry = CalqueEntry(str(e["suggestion"]), source)
            forms = [str(e["pattern"]), *(str(f) for f in e.get("forms", ()))]
            for form in forms:
                key = phrase_key(form)
                entries.setdefault(key, []).append(entry)
                if form.casefold() != form.lower():
                    written.setdefault(key, set()).add(form)
    runs = sorted({anchor(k) for k in entries})
    return CalqueTable(
        {k: tuple(v) for k, v in entries.items()},
        _word_start(entries),
        {k: tuple(sorted(v)) for k, v in written.items()},
        anchors=tuple(a for a in runs if not any(b != a and b in a for b in runs)),
    )


def _word_start(phrases: Iterable[str]) -> bool:
    """Whether every phrase opens with a word character: the scan matches a phrase at a word
    start only (``(?<!\\w)``), so a row whose canonical form holds its phrases inside words
    only is not scanned. (Dashes, apostrophes and spaces unified never turn the character
    before a word into a word character, and case folding does so for U+0345 only, one of
    :data:`_SCANNED_WHOLE`.)"""
    return all(_WORD_CHAR.match(p) for p in phrases)


def _at_word_start(text: str, phrase: str) -> bool:
    """Whether ``phrase`` (opening with a word character) stands in ``text`` at a word start,
    as ``\\b`` reads one (``str.find`` and a test of the character before: a prefix tree of
    the phrases, compiled per language pair, cost half of the tables' building)."""
    at = text.find(phrase)
    while at > 0 and _WORD_CHAR.match(text, at - 1):
        at = text.find(phrase, at + 1)
    return at >= 0


_WORD_CHAR = re.compile(r"\w")
# The characters a case-blind scan reads otherwise than their case folding (tests in
# tests/rules/test_calque.py enumerate Unicode): the letters of FOLDS_UNLIKE_ITS_CASE (`wİth`,
# `wıth` are `with` to the scan), and U+0345, a combining mark (no word character, so a word
# start after it for the scan) that folds to the letter `ι`. A text with one of them is
# scanned for every phrase: the canonical form would miss its phrase.
_YPOGEGRAMMENI = "\u0345"
_SCANNED_WHOLE = FOLDS_UNLIKE_ITS_CASE + _YPOGEGRAMMENI


def _scanned_whole(text: str) -> bool:
    """Whether ``text`` has a character of :data:`_SCANNED_WHOLE`."""
    return folds_unlike_its_case(text) or _YPOGEGRAMMENI in text


def calque_hits(table: CalqueTable, sources: Sequence[str], targets: Sequence[str]) -> Iterator[Hit]:
    """Hits for every listed phrase in ``targets`` whose entry the row's source allows."""
    for row, phrases in table.candidates(targets):
        for m in table.scan(phrases).finditer(targets[row]):
            text = m.group()
            entry = next((e for e in table.entries[table.key_of(text)] if e.applies(sources[row])), None)
            if entry is not None:
                message = f"Calque '{text}'; consider '{entry.suggestion}'"
                yield Hit(row, m.start(), m.end(), message, entry.suggestion)


@register
class Calque(Rule):
    """Source-language phrasing carried word for word (`within the framework of`).

    ## What it does
    Flags phrases listed in the `calque.<src>-<tgt>` packs: grammatical in the target
    language but a word-for-word rendering of a source idiom, with the phrasing a native
    editor would use as the suggestion. A pack applies to segments translated into its
    target language whose source language is its own or one of its `source_languages`, or
    is not given. An entry with a `source_pattern` (a stem or regex, case-insensitive) fires
    only when the segment's source matches it: `settlements` is a calque of `населённые
    пункты`, not of `поселения`. An entry's `forms` list other inflections with the same
    fix. Spaces, dashes and apostrophes in a phrase match their variants
    (`press-service`, `press – service`, `press — service`). Each entry has earned its
    place on WMT22: MT output uses it more often than the human references
    (`benchmarks/results/pack_entries.md`).

    ## Why is this bad?
    Calques make a translation read as translated ("translationese"); in news they mark
    the text as machine output and blur meaning (`the Russian side` for Russia's officials).

    ## Example
    Source: `Об этом сообщила пресс-служба министерства в рамках брифинга.`
    Target: `This was reported by the press service of the ministry within the framework of a briefing.`

    Use instead:
    `The ministry's press office said so at a briefing.`

    ## Known problems
    Some phrases are acceptable in legal or diplomatic registers (`in the amount of` in a
    contract). The rule reports at `info` severity for that reason. A source condition is
    tested on the whole source segment, not on the words aligned with the phrase; a segment
    without a source never matches a conditioned entry.

    ## Fix safety
    Display only: rephrasing may need the sentence around the phrase to change too.
    """

    code = "CQ001"
    name = "calque"
    category = "calque"
    severity = "info"
    fix = Applicability.DISPLAY_ONLY
    options = {"language": "en"}
    option_docs = {"language": "target language assumed for segments without a tgt_lang"}

    def _table(self, src: str, tgt: str) -> CalqueTable:
        """The calques of the segment's language pair, compiled once per pair."""
        return build_table((p.name, p.entries) for p in self.packs.for_languages("calque", src, tgt))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for table, rows in self.by_language(chunk, self._table, self.opts["language"]):
            if table.entries:
                hits = calque_hits(table, [chunk.sources[r] for r in rows], [chunk.targets[r] for r in rows])
                yield from remap(hits, rows)
