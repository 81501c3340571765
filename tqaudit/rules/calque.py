"""Calque rules: source-language phrasing carried word for word into the target."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, literal_alternation, regex_hits, remap
from tqaudit.rules.registry import register


@register
class Calque(Rule):
    """Source-language phrasing carried word for word (`within the framework of`).

    ## What it does
    Flags phrases listed in the `calque.<src>-<tgt>` packs: grammatical in the target
    language but a word-for-word rendering of a source idiom, with the phrasing a native
    editor would use as the suggestion. A pack applies to segments translated into its
    target language whose source language is its own or one of its `source_languages`, or
    is not given.

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
    options = {"language": "en"}
    option_docs = {"language": "target language assumed for segments without a tgt_lang"}

    def _table(self, src: str, tgt: str) -> tuple[dict[str, str], re.Pattern[str]]:
        """The calques of the segment's language pair: ``{phrase: suggestion}`` and one pattern."""
        fixes = {
            e["pattern"].casefold(): e["suggestion"]
            for pack in self.packs.for_languages("calque", src, tgt)
            for e in pack.entries
        }
        return fixes, literal_alternation(fixes, flags=re.IGNORECASE)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for (fixes, pattern), rows in self.by_language(chunk, self._table, self.opts["language"]):
            if fixes:
                hits = regex_hits(
                    [chunk.targets[r] for r in rows],
                    pattern,
                    "Calque '{text}'; consider '{suggestion}'",
                    functools.partial(_suggest, fixes),
                )
                yield from remap(hits, rows)


def _suggest(fixes: dict[str, str], match: re.Match[str]) -> str:
    return fixes[match.group().casefold()]
