"""Consistency rules: the same source translated differently within one corpus."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import register


def _key(text: pd.Series) -> pd.Series:
    """Comparison form of a text: case-folded, whitespace collapsed."""
    return text.str.casefold().str.split().str.join(" ")


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
        src = _key(pd.Series(chunk.sources, dtype=object))
        long_enough = src.str.count(" ").add(1).ge(self.opts["min_words"]) & src.ne("")
        table = pd.DataFrame(
            {"doc": chunk.doc_ids, "src": src, "tgt": _key(pd.Series(chunk.targets, dtype=object))}
        )
        table = table[long_enough]
        repeated = table[table.duplicated(["doc", "src"], keep=False)]
        for _, group in repeated.groupby(["doc", "src"], sort=False):
            counts = group["tgt"].value_counts(sort=False)
            if len(counts) < 2:
                continue
            best = counts.idxmax()  # first most frequent: value_counts keeps first-seen order
            first = group.index[group["tgt"] == best][0]
            first_id = chunk.ids[first]
            preferred = chunk.targets[first]
            for row in group.index[group["tgt"] != best]:
                shown = preferred if len(preferred) <= 60 else preferred[:59] + "…"
                message = f"Same source translated as '{shown}' in segment {first_id}"
                yield Hit(int(row), -1, -1, message, preferred)
