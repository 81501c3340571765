"""Transliteration rules: legacy spellings of place names (`Alma-Ata` for Almaty)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer
from tqaudit.rules.base import Applicability, Hit, Rule, literal_alternation
from tqaudit.rules.registry import register


class _Names(NamedTuple):
    names: dict[str, tuple[str, set[str]]]
    pattern: re.Pattern[str]
    exceptions: re.Pattern[str]
    marker: re.Pattern[str]
    history: re.Pattern[str]


# A clause: text between sentence punctuation, semicolons and line breaks.
_CLAUSE_END = re.compile(r"[.!?;\n]\s|[\n;]")


def _clause(text: str, start: int, end: int) -> str:
    """The clause around ``text[start:end]`` (a full stop inside `St. Petersburg` may cut it short)."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right = _CLAUSE_END.search(text, end)
    return text[left : right.start() if right else len(text)]


def _history_pattern(markers: list[str], before_year: int) -> re.Pattern[str]:
    """Words of the past, or a year before ``before_year`` (`1941`, `the 1980s`)."""
    years = [r"1[0-8]\d\d"] + [str(y) for y in range(1900, before_year)]
    alternatives = [rf"\b(?:{m})\b" for m in markers]
    alternatives.append(rf"(?<!\d)(?:{'|'.join(years)})(?:s|'s)?(?![\d.,]\d)")
    return re.compile("|".join(alternatives), re.IGNORECASE)


@register
class LegacyToponym(Rule):
    """Place name in a legacy transliteration (`Alma-Ata` for Almaty).

    ## What it does
    Flags place names spelt as in Soviet-era Russian transliteration where an official
    current name exists, using the `transliteration.<lang>` pack of the target language.
    A name right after a historical marker ("formerly Alma-Ata"), a name in a clause that
    speaks of the past (the pack's `historical_context`: "known until 1993 as Alma-Ata",
    "in Soviet times", or a year before 1991), and established names of the pack
    (`exceptions`: "Chicken Kiev"; `established`: "Battle of Kiev") are not flagged. A name that is
    ambiguous elsewhere carries the source languages it applies to (`Rovno` is Rivne only
    when translated from Ukrainian or Russian; a Czech village otherwise).

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
    taken for history.

    ## Fix safety
    Unsafe: a name can be part of a title or quotation that must keep its spelling.
    """

    code = "TL001"
    name = "legacy-toponym"
    category = "transliteration"
    severity = "warning"
    fix = Applicability.UNSAFE
    options = {"language": "en"}
    option_docs = {
        "language": "target language assumed for segments without a tgt_lang (picks the "
        "transliteration.<lang> pack)"
    }

    def _table(self, src: str, tgt: str) -> _Names | None:
        """The legacy names of the packs for this language pair, compiled once per run."""
        packs = self.packs.for_languages("transliteration", src, tgt)
        if not packs:
            return None
        names = {
            e["pattern"]: (e["suggestion"], set(e.get("languages", []))) for p in packs for e in p.entries
        }
        markers = [m for p in packs for m in p.header.get("historical_markers", [])]
        marker_re = re.compile(
            r"(?:" + "|".join(map(re.escape, markers)) + r")[\s(]*$" if markers else r"(?!x)x",
            re.IGNORECASE,
        )
        exceptions = [re.escape(x) for p in packs for x in p.header.get("exceptions", [])]
        legacy = "(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")"
        exceptions += [x.replace("{name}", legacy) for p in packs for x in p.header.get("established", [])]
        history = [x for p in packs for x in p.header.get("historical_context", [])]
        before = min((p.header.get("historical_before_year", 0) for p in packs), default=0)
        return _Names(
            names,
            literal_alternation(names),
            re.compile(r"(?<!\w)(?:" + "|".join(exceptions) + r")(?!\w)" if exceptions else r"(?!x)x"),
            marker_re,
            _history_pattern(history, before) if history or before else re.compile(r"(?!x)x"),
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
        excepted = {
            (named[row], m.start() + i)
            for row, m in finditer([texts[r] for r in named], table.exceptions)
            for i in range(len(m.group()))
        }
        for row, m in found:
            start, end = m.start(), m.end()
            text = texts[row]
            if (row, start) in excepted or table.marker.search(text[max(0, start - 30) : start]):
                continue
            if table.history.search(_clause(text, start, end)):
                continue
            new, only_from = table.names[m.group()]
            src = scripts.base_language(chunk.src_langs[rows[row]])
            if only_from and src and src not in only_from:
                continue
            yield Hit(rows[row], start, end, f"Legacy toponym '{m.group()}'; did you mean '{new}'?", new)
