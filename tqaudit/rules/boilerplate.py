"""Boilerplate rules: scraped site chrome translated with the article."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, literal_alternation, regex_hits, remap
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
    options = {"language": "en", "min_share": 0.5}
    option_docs = {
        "language": "target language assumed for segments without a tgt_lang (picks the "
        "boilerplate.<lang> pack)",
        "min_share": "fraction of the segment's letters the phrases must cover: chrome stands alone, "
        "a phrase inside real prose ('if you leave a comment, …') is not chrome",
    }

    def _pattern(self, src: str, tgt: str) -> tuple[re.Pattern[str], re.Pattern[str] | None] | None:
        """The pair's phrases as one pattern, and a quick one for ASCII texts (None: no
        phrases; a quick pattern only when every phrase is ASCII)."""
        packs = self.packs.for_languages("boilerplate", src, tgt)
        phrases = [p for pack in packs for p in pack.patterns()]
        if not phrases:
            return None
        quick = None
        if all(p.isascii() for p in phrases):
            # lower-case literals on the lower-cased text: for ASCII texts and phrases the
            # same as matching case-insensitively, and searched far faster than the
            # whole-word, case-insensitive pattern (most texts have no phrase)
            quick = re.compile("|".join(re.escape(p.lower()) for p in sorted(set(phrases))))
        return literal_alternation(phrases, flags=re.IGNORECASE), quick

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        texts = chunk.targets
        hits: list[Hit] = []
        for patterns, rows in self.by_language(chunk, self._pattern, self.opts["language"]):
            if patterns is None:
                continue
            pattern, quick = patterns
            if quick is not None:
                rows = [r for r in rows if not texts[r].isascii() or quick.search(texts[r].lower())]
            found = regex_hits([texts[r] for r in rows], pattern, "Scraped boilerplate '{text}'")
            hits += remap(found, rows)
        hits.sort(key=lambda h: (h.row, h.start))
        covered: dict[int, int] = {}
        for hit in hits:
            covered[hit.row] = covered.get(hit.row, 0) + _letters(texts[hit.row][hit.start : hit.end])
        share = self.opts["min_share"]
        for hit in hits:
            if covered[hit.row] >= share * _letters(texts[hit.row]):
                yield hit
