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


@register
class LegacyToponym(Rule):
    """Place name in a legacy transliteration (`Alma-Ata` for Almaty).

    ## What it does
    Flags place names spelt as in Soviet-era Russian transliteration where an official
    current name exists, using the `transliteration.<lang>` pack of the target language.
    A name right after a historical marker ("formerly Alma-Ata") and established compounds
    listed in the pack's `exceptions` ("Chicken Kiev") are not flagged. A name that is
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
    Historical texts about the Soviet period may use the old names on purpose; put such
    names in a user pack's `exceptions`, or ignore TL001 for that content.

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
        exceptions = [x for p in packs for x in p.header.get("exceptions", [])]
        return _Names(names, literal_alternation(names), literal_alternation(exceptions), marker_re)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for table, rows in self.by_language(chunk, self._table, self.opts["language"]):
            if table is not None:
                yield from self._check_rows(chunk, rows, table)

    @staticmethod
    def _check_rows(chunk: Chunk, rows: list[int], table: _Names) -> Iterator[Hit]:
        texts = [chunk.targets[r] for r in rows]
        excepted = {
            (row, m.start() + i)
            for row, m in finditer(texts, table.exceptions)
            for i in range(len(m.group()))
        }
        for row, m in finditer(texts, table.pattern):
            start, end = m.start(), m.end()
            text = texts[row]
            if (row, start) in excepted or table.marker.search(text[max(0, start - 30) : start]):
                continue
            new, only_from = table.names[m.group()]
            src = scripts.base_language(chunk.src_langs[rows[row]])
            if only_from and src and src not in only_from:
                continue
            yield Hit(rows[row], start, end, f"Legacy toponym '{m.group()}'; did you mean '{new}'?", new)
