"""Consistency rules: the same source translated differently within one corpus."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import register


def _key(text: str) -> str:
    """Comparison form of a text: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


@register
class InconsistentTranslation(Rule):
    """The same source sentence translated differently in the same corpus.

    ## What it does
    Groups segments of one document (`doc_id`; the whole input when there are no
    document ids) whose sources are identical (ignoring case and spacing) and flags
    every segment whose target differs from the group's most frequent translation (the
    first one on a tie). Short sources (fewer than `min_words` words) are not checked.

    ## Why is this bad?
    A repeated sentence (a disclaimer, a product name, a recurring headline) translated
    two ways confuses readers and breaks translation-memory reuse; sentence-level MT
    with sampling or context produces such drift.

    ## Example
    Source (segments 3 and 9): `Подписывайтесь на наш канал в Telegram`
    Targets: `Subscribe to our Telegram channel` / `Follow our channel in Telegram`

    Use instead: one translation for both.

    ## Known problems
    A sentence may need different translations in different contexts (pronoun gender,
    formality), especially in conversation; raise `min_words` for such content. Inputs
    that join documents by different translators without `doc_id` look inconsistent.
    """

    code = "CN001"
    name = "inconsistent-translation"
    category = "consistency"
    severity = "info"
    scope = "corpus"
    options = {"min_words": 4}
    option_docs = {"min_words": "sources with fewer words than this are not compared"}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        # Hash and group in plain dicts: one pass over the segments, then only the groups
        # whose source repeats (a pandas groupby cost a Python call per group).
        min_words = self.opts["min_words"]
        groups: dict[tuple[str, str], list[int]] = {}
        # one key per distinct source (several systems' outputs share their sources)
        keys = {source: _key(source) for source in set(chunk.sources)}
        for row, (doc, source) in enumerate(zip(chunk.doc_ids, chunk.sources, strict=True)):
            key = keys[source]
            if key and key.count(" ") + 1 >= min_words:
                groups.setdefault((doc, key), []).append(row)
        for rows in groups.values():
            if len(rows) > 1:
                yield from self._group_hits(chunk, rows)

    @staticmethod
    def _group_hits(chunk: Chunk, rows: list[int]) -> Iterator[Hit]:
        targets = {row: _key(chunk.targets[row]) for row in rows}
        counts = Counter(targets.values())  # first-seen order: a tie goes to the first
        if len(counts) < 2:
            return
        best = max(counts, key=counts.__getitem__)
        first = next(row for row in rows if targets[row] == best)
        preferred = chunk.targets[first]
        shown = preferred if len(preferred) <= 60 else preferred[:59] + "…"
        message = f"Same source translated as '{shown}' in segment {chunk.ids[first]}"
        for row in rows:
            if targets[row] != best:
                yield Hit(row, -1, -1, message, preferred)
