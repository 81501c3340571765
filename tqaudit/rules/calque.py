"""Calque rules: source-language phrasing carried word for word into the target."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from tqaudit.packs import Pack
from tqaudit.rules.base import Applicability, Hit, Rule, literal_alternation, regex_hits
from tqaudit.rules.registry import register


@register
class Calque(Rule):
    """Source-language phrasing carried word for word (`within the framework of`).

    ## What it does
    Flags phrases listed in the `calque.<src>-<tgt>` packs: grammatical in the target
    language but a word-for-word rendering of a source idiom, with the phrasing a native
    editor would use as the suggestion. A pack applies to segments whose source language
    is one of its `source_languages`, or whose source language is not given.

    ## Why is this bad?
    Calques make a translation read as translated ("translationese"); in news they mark
    the text as machine output and blur meaning (`the Russian side` for Russia's officials).

    ## Example
    Source: `Страны-участницы соглашения направили контингент.`
    Target: `The countries – parties to the agreement sent a contingent.`

    Use instead:
    `The signatories to the agreement sent a contingent.`

    ## Known problems
    Some phrases are acceptable in legal or diplomatic registers (`in the amount of` in a
    contract). The rule reports at `info` severity for that reason.

    ## Fix safety
    Display only: rephrasing may need the sentence around the phrase to change too.
    """

    code = "CQ001"
    name = "calque"
    category = "calque"
    severity = "info"
    fix = Applicability.DISPLAY_ONLY

    def _packs(self) -> list[Pack]:
        names = [n for n in self.packs.names() if n.startswith("calque.") and "-" in n]
        return [p for n in names if (p := self.packs.get(n)) is not None]

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        texts: list[str] = chunk["target"].tolist()
        tgt: list[str] = chunk["tgt_lang"].tolist()
        src: list[str] = chunk["src_lang"].tolist()
        for pack in self._packs():
            target_lang = pack.name.rsplit("-", 1)[1]
            sources = set(pack.header.get("source_languages", [pack.name.split(".")[1].split("-")[0]]))
            fixes = {e["pattern"].casefold(): e["suggestion"] for e in pack.entries}
            pattern = literal_alternation(fixes, flags=re.IGNORECASE)
            suggest = fixes.__getitem__
            for hit in regex_hits(
                texts,
                pattern,
                "Calque '{text}'; consider '{suggestion}'",
                lambda m, suggest=suggest: suggest(m.group().casefold()),
            ):
                if tgt[hit.row] in ("", target_lang) and src[hit.row] in ("", *sources):
                    yield hit
