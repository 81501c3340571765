"""Transliteration rules: legacy spellings of place names (`Alma-Ata` for Almaty)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer
from tqaudit.errors import ConfigError
from tqaudit.packs import Pack
from tqaudit.rules.base import Applicability, Hit, Rule, word_start_trie
from tqaudit.rules.registry import register


class _Entry(NamedTuple):
    """One legacy name of a pack: its suggestion and the conditions on a hit.

    The conditions are regexes, compiled (by :func:`_regex`) when a hit of the name first
    asks for them: a table has hundreds of names, and a feed names a few of them."""

    suggestion: str
    only_from: frozenset[str]  # source languages it applies to (empty: any)
    source: str  # the source must match (`Астана` for `Nur-Sultan`), any case ("": no condition)
    exceptions: str  # context around the hit that keeps the name ("": none)
    style: str  # the house-style pack that asks for it ("" for a legacy name)


@functools.cache
def _regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled once in the process (the tables of several target languages
    share entries' conditions)."""
    return re.compile(pattern, flags)


@dataclass(frozen=True)
class _Names:
    """The names of a table, their pattern, and the patterns of the contexts that keep a
    name (regex bodies, compiled when a text first names one: the exceptions alone, with
    every name twice in them, take 13 ms to compile for English, and most chunks hold no
    legacy name)."""

    names: dict[str, _Entry]
    pattern: re.Pattern[str]
    exceptions_body: str
    marker_body: str
    history_body: str

    @functools.cached_property
    def exceptions(self) -> re.Pattern[str]:
        return re.compile(self.exceptions_body)

    @functools.cached_property
    def marker(self) -> re.Pattern[str]:
        return re.compile(self.marker_body, re.IGNORECASE)

    @functools.cached_property
    def history(self) -> re.Pattern[str]:
        return re.compile(self.history_body, re.IGNORECASE)


# How far around a hit an entry's `except` patterns look (`Peking University`, `Bombay
# Stock Exchange`, `the {name} of the 1970s`).
_EXCEPT_WINDOW = 60


def _entry(entry: dict[str, Any], style: str) -> _Entry:
    """An entry's conditions: ``{name}`` in ``except`` stands for its own pattern."""
    name = re.escape(entry["pattern"])
    excepts = [x.replace("{name}", name) for x in entry.get("except", [])]
    return _Entry(
        entry["suggestion"],
        frozenset(entry.get("languages", [])),
        entry.get("source_pattern") or "",
        "|".join(f"(?:{x})" for x in excepts),
        style,
    )


def _excepted(text: str, start: int, end: int, entry: _Entry) -> bool:
    """Whether one of the entry's ``except`` patterns covers the hit ``text[start:end]``."""
    if not entry.exceptions:
        return False
    left = max(0, start - _EXCEPT_WINDOW)
    window = text[left : end + _EXCEPT_WINDOW]
    found = _regex(entry.exceptions).finditer(window)
    return any(m.start() + left <= start and end <= m.end() + left for m in found)


# A clause: text between sentence punctuation, semicolons and line breaks.
_CLAUSE_END = re.compile(r"[.!?;\n]\s|[\n;]")


class _Clauses:
    """The clauses of one text, found once: a long text with many names stays linear.

    :meth:`around` is the clause around ``text[start:end]`` (a full stop inside `St.
    Petersburg` may cut it short): from the end of the last clause break before ``start``
    (as a scan of ``text[:start]`` finds it) to the first break after ``end``; whether a
    clause speaks of the past is looked up once per clause.
    """

    def __init__(self, text: str, history: re.Pattern[str]) -> None:
        self.text = text
        self.history = history
        self._breaks: tuple[list[int], list[int]] | None = None
        self._past: dict[tuple[int, int], bool] = {}

    def _spans(self) -> tuple[list[int], list[int]]:
        if self._breaks is None:
            spans = [m.span() for m in _CLAUSE_END.finditer(self.text)]
            self._breaks = [a for a, _ in spans], [b for _, b in spans]
        return self._breaks

    def around(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        starts, ends = self._spans()
        if start and text[start - 1] in "\n;":  # a break that a scan up to ``start`` ends there
            left = start
        else:
            i = bisect.bisect_right(ends, start) - 1
            left = ends[i] if i >= 0 else 0
        # the first break at or after ``end``: none before the next one found in the whole
        # text (a scan from ``end`` may also find one that starts a character earlier)
        j = bisect.bisect_left(starts, end)
        stop = min(len(text), (starts[j] if j < len(starts) else end) + 2)
        right = _CLAUSE_END.search(text, end, stop)
        return left, right.start() if right else len(text)

    def past(self, start: int, end: int) -> bool:
        """Whether the clause around ``text[start:end]`` speaks of the past."""
        span = self.around(start, end)
        if span not in self._past:
            left, right = span  # searched in the slice: look-behinds must not see before it
            self._past[span] = self.history.search(self.text[left:right]) is not None
        return self._past[span]


def _history_pattern(markers: list[str], before_year: int) -> str:
    """Words of the past, or a year before ``before_year`` (`1941`, `the 1980s`), matched
    in any case."""
    years = [r"1[0-8]\d\d"] + [str(y) for y in range(1900, before_year)]
    alternatives = [rf"\b(?:{m})\b" for m in markers]
    alternatives.append(rf"(?<!\d)(?:{'|'.join(years)})(?:s|'s)?(?![\d.,]\d)")
    return "|".join(alternatives)


@register
class LegacyToponym(Rule):
    """Place name in a legacy transliteration (`Alma-Ata` for Almaty).

    ## What it does
    Flags place names spelt as in Soviet-era Russian transliteration, or by a name the place
    has replaced, where an official current name exists (`Kharkov` for Kharkiv, `Artemovsk`
    for Bakhmut, `Bombay` for Mumbai), using the `transliteration.<lang>` pack of the
    segment's target language (en, de, fr, es): each language flags only what its own press
    and style guides no longer write (German `Kiew` and French `Kiev` are house style there).
    A name right after a historical marker ("formerly Alma-Ata"), a name in a clause that
    speaks of the past (the pack's `historical_context`: "known until 1993 as Alma-Ata",
    "in Soviet times", or a year before 1991), and established names of the pack
    (`exceptions`: "Chicken Kiev"; `established`: "Battle of Kiev") are not flagged. An entry
    may carry its own conditions: the source languages it applies to (`Rovno` is Rivne only
    when translated from Ukrainian or Russian; a Czech village otherwise), a pattern the
    source must match (`Nur-Sultan`, the capital's name in 2019-22, is flagged only where the
    source says Astana), and `except` patterns around the hit (`Bombay Stock Exchange`,
    `Peking duck`, `Dnipropetrovsk Oblast`).

    With the option `styles` (e.g. `["official-names"]`) the rule also applies house-style
    packs `transliteration-style.<style>.<lang>`: person names as a style guide writes them
    (`Zelensky` → `Zelenskyy`). These are choices, not errors, so no style is on by default.

    ## Why is this bad?
    MT trained on old parallel text reproduces names that the countries concerned
    replaced decades ago; news style guides (AP, BBC, Reuters) use the official names.

    ## Example
    Source: `Настоящие бои шли в Алма-Ате.`
    Target: `Real battles were going on in Alma-Ata.`

    Use instead:
    `Real battles were going on in Almaty.`

    ## Known problems
    Historical texts about the Soviet period may use the old names on purpose; a clause
    without a marker or an early year is still flagged (`Kiev was then the third city of
    the Union`): put such names in a user pack's `exceptions`, or ignore TL001 for that
    content. Conversely a present-day clause that mentions an early year or the USSR is
    taken for history. A surname that MT turned into a city (`Alexander Cherkassy` for
    Cherkasov) is flagged with the city's name as suggestion.

    ## Fix safety
    Unsafe: a name can be part of a title or quotation that must keep its spelling.
    """

    code = "TL001"
    name = "legacy-toponym"
    category = "transliteration"
    severity = "warning"
    fix = Applicability.UNSAFE
    options: ClassVar[dict[str, Any]] = {"language": "en", "styles": []}
    option_docs = {
        "language": "target language assumed for segments without a tgt_lang (picks the "
        "transliteration.<lang> pack)",
        "styles": "house-style packs to apply on top (`transliteration-style.<style>.<lang>`, "
        'e.g. ["official-names"]): person names spelt as that style guide writes them',
    }

    def prepare(self) -> None:
        """A house style the packs do not know is a configuration error, found before the run."""
        self._compiled: dict[tuple[tuple[str, str], ...], _Names] = {}
        known = {n.split(".")[1] for n in self.packs.names() if n.startswith("transliteration-style.")}
        for style in self.opts["styles"]:
            if style not in known:
                raise ConfigError(
                    f"rule TL001: unknown house style {style!r} (known: {', '.join(sorted(known)) or 'none'})"
                )

    def _packs(self, src: str, tgt: str) -> list[tuple[Pack, str]]:
        """The legacy-name packs of the pair, then the house-style packs the user chose."""
        packs = [(p, "") for p in self.packs.for_languages("transliteration", src, tgt)]
        for style in self.opts["styles"]:
            pack = self.packs.get(f"transliteration-style.{style}.{tgt}")
            if pack is not None:
                packs.append((pack, style))
        return packs

    def _table(self, src: str, tgt: str) -> _Names | None:
        """The legacy names of the packs for this language pair, compiled once per run
        (and once for all the source languages that read the same packs)."""
        packs = self._packs(src, tgt)
        if not packs:
            return None
        key = tuple((p.digest, style) for p, style in packs)
        if key not in self._compiled:
            self._compiled[key] = self._compile(packs)
        return self._compiled[key]

    @staticmethod
    def _compile(packs: list[tuple[Pack, str]]) -> _Names:
        """The packs' names as a compiled pattern, and their markers and exceptions (a few
        ms each to compile, when first needed)."""
        names = {e["pattern"]: _entry(e, style) for p, style in packs for e in p.entries}
        headers = [p.header for p, _ in packs]
        markers = [m for h in headers for m in h.get("historical_markers", [])]
        marker = r"(?:" + "|".join(map(re.escape, markers)) + r")[\s(]*$" if markers else r"(?!x)x"
        exceptions = [re.escape(x) for h in headers for x in h.get("exceptions", [])]
        legacy = "(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")"
        exceptions += [x.replace("{name}", legacy) for h in headers for x in h.get("established", [])]
        history = [x for h in headers for x in h.get("historical_context", [])]
        before = min((h.get("historical_before_year", 0) for h in headers), default=0)
        return _Names(
            names,
            _name_pattern(names, sorted({x for h in headers for x in h.get("inflections", [])})),
            r"(?<!\w)(?:" + "|".join(exceptions) + r")(?!\w)" if exceptions else r"(?!x)x",
            marker,
            _history_pattern(history, before) if history or before else r"(?!x)x",
        )

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for table, rows in self.by_language(chunk, self._table, self.opts["language"]):
            if table is not None:
                yield from self._check_rows(chunk, rows, table)

    @staticmethod
    def _check_rows(chunk: Chunk, rows: list[int], table: _Names) -> Iterator[Hit]:
        texts = [chunk.targets[r] for r in rows]
        found = list(finditer(texts, table.pattern))
        # the exceptions (a long pattern) are read only in the texts that name a legacy name
        named = sorted({row for row, _ in found})
        if not named:
            return
        excepted = {
            (named[row], m.start() + i)
            for row, m in finditer([texts[r] for r in named], table.exceptions)
            for i in range(len(m.group()))
        }
        clauses: dict[int, _Clauses] = {}
        for row, m in found:
            start, end = m.span("name")
            text, name = texts[row], m.group("name")
            entry = table.names[name]
            if row not in clauses:
                clauses[row] = _Clauses(text, table.history)
            if not entry.style and _historical(clauses[row], start, end, table, (row, start) in excepted):
                continue
            if _excepted(text, start, end, entry) or not _applies(chunk, rows[row], entry):
                continue
            if entry.style:
                message = f"House style '{entry.style}' writes '{entry.suggestion}' for '{name}'"
            else:
                message = f"Legacy toponym '{name}'; did you mean '{entry.suggestion}'?"
            yield Hit(rows[row], start, end, message, entry.suggestion)


def _name_pattern(names: dict[str, _Entry], inflections: list[str]) -> re.Pattern[str]:
    """The names as one prefix tree, each with an optional inflection ending of the pack's
    language (German genitive `Charkows`): the name is group ``name``.

    A prefix tree whose branches open with a literal is searched in C: a flat alternation of
    300 names with a leading look-behind is tried name by name at every position.
    """
    tree = word_start_trie(names, r"(?<!\w.)", r"(?<!\w)") or "(?!x)x"
    endings = "(?:" + "|".join(map(re.escape, inflections)) + ")?" if inflections else ""
    return re.compile(rf"(?P<name>{tree}){endings}(?!\w)")


def _historical(clauses: _Clauses, start: int, end: int, table: _Names, established: bool) -> bool:
    """An established name, a name right after a marker (`formerly`), or a clause about the past."""
    if established or table.marker.search(clauses.text[max(0, start - 30) : start]):
        return True
    return clauses.past(start, end)


def _applies(chunk: Chunk, row: int, entry: _Entry) -> bool:
    """The entry's source conditions: its source languages, and its source pattern."""
    src = scripts.base_language(chunk.src_langs[row])
    if entry.only_from and src and src not in entry.only_from:
        return False
    return not entry.source or _regex(entry.source, re.IGNORECASE).search(chunk.sources[row]) is not None
