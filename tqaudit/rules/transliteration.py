"""Transliteration rules: legacy spellings of place names (`Alma-Ata` for Almaty)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from tqaudit.rules.base import Applicability, Hit, Rule, iter_matches, literal_alternation, row_offsets
from tqaudit.rules.registry import register


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
    languages = ("en",)
    options = {"language": "en"}
    option_docs = {"language": "which transliteration pack to read for segments without a tgt_lang"}

    def _table(
        self,
    ) -> tuple[dict[str, tuple[str, set[str]]], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
        pack = self.packs.get(f"transliteration.{self.opts['language']}")
        if pack is None:
            never = re.compile(r"(?!x)x")
            return {}, never, never, never
        names = {e["pattern"]: (e["suggestion"], set(e.get("languages", []))) for e in pack.entries}
        markers = pack.header.get("historical_markers", [])
        marker_re = re.compile(
            r"(?:" + "|".join(map(re.escape, markers)) + r")[\s(]*$" if markers else r"(?!x)x",
            re.IGNORECASE,
        )
        return (
            names,
            literal_alternation(names),
            literal_alternation(pack.header.get("exceptions", [])),
            marker_re,
        )

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        names, pattern, exceptions, marker = self._table()
        texts = chunk["target"].tolist()
        src_langs: list[str] = chunk["src_lang"].tolist()
        offsets = row_offsets(texts)
        excepted = {
            (row, m.start() - offsets[row] + i)
            for row, m in iter_matches(texts, exceptions)
            for i in range(m.end() - m.start())
        }
        for row, m in iter_matches(texts, pattern):
            start, end = m.start() - offsets[row], m.end() - offsets[row]
            text = texts[row]
            if (row, start) in excepted or marker.search(text[max(0, start - 30) : start]):
                continue
            new, only_from = names[m.group()]
            if only_from and src_langs[row] and src_langs[row] not in only_from:
                continue
            yield Hit(row, start, end, f"Legacy toponym '{m.group()}'; did you mean '{new}'?", new)
