"""Boilerplate rules: scraped site chrome translated with the article."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from tqaudit.rules.base import Applicability, Hit, Rule, literal_alternation, regex_hits
from tqaudit.rules.registry import register


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


@register
class ScrapedBoilerplate(Rule):
    """Website chrome in the translation (`Leave a Reply`, `Subscribe to VK`).

    ## What it does
    Flags phrases of comment forms, subscription prompts, share buttons and cookie
    banners listed in the `boilerplate.<lang>` pack of the target language.

    ## Why is this bad?
    Scrapers collect the page around an article and MT translates it too; the published
    article then ends with "Leave a Reply" and "Your email address will not be published".

    ## Example
    Source: `Подписывайтесь на VK РБК Получайте новости быстрее всех`
    Target: `Subscribe to VK RBC Receive news faster than anyone`

    Use instead: drop the segment.

    ## Known problems
    An article that talks about newsletters or cookie banners may quote such a phrase; a
    phrase is only flagged when the pack's phrases make up at least `min_share` of the
    segment's letters, so chrome glued to a long sentence is missed.

    ## Fix safety
    Display only: removing text is left to a person.
    """

    code = "BP001"
    name = "scraped-boilerplate"
    category = "boilerplate"
    severity = "error"
    fix = Applicability.DISPLAY_ONLY
    languages = ("en",)
    options = {"language": "en", "min_share": 0.5}
    option_docs = {
        "language": "which boilerplate pack to read",
        "min_share": "fraction of the segment's letters the phrases must cover: chrome stands alone, "
        "a phrase inside real prose ('if you leave a comment, …') is not chrome",
    }

    def _pattern(self) -> re.Pattern[str]:
        pack = self.packs.get(f"boilerplate.{self.opts['language']}")
        return literal_alternation(pack.patterns() if pack else [], flags=re.IGNORECASE)

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        texts: list[str] = chunk["target"].tolist()
        hits = list(regex_hits(texts, self._pattern(), "Scraped boilerplate '{text}'"))
        covered: dict[int, int] = {}
        for hit in hits:
            covered[hit.row] = covered.get(hit.row, 0) + _letters(texts[hit.row][hit.start : hit.end])
        share = self.opts["min_share"]
        for hit in hits:
            if covered[hit.row] >= share * _letters(texts[hit.row]):
                yield hit
