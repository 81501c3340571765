"""Fidelity of a whole article: a translation whose structure does not match its original.

The feed reader (:mod:`tqaudit.io.formats.feeds`) pairs the paragraphs of a translated
article with the original's by position. When the counts differ it cannot know which
paragraph was dropped, merged or added, so it pairs none of them (comparing shifted
paragraphs would raise false fidelity findings all the way down) and says so in the
segments table's ``alignment`` column; this rule reports it, once per article (or, split
into sentences, once per paragraph whose sentence counts differ).
"""

from __future__ import annotations

from collections.abc import Iterable

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import register


@register
class UnalignedArticle(Rule):
    """Translated article with more or fewer paragraphs than its original.

    ## What it does
    Reports a translated article whose body has a different number of paragraphs from
    its original (or, with `--split sentences`, a paragraph with a different number of
    sentences), and a translated article that has no original in the source feed. The
    finding is on the article's first segment (its title, else its first paragraph) and is
    about the whole article; those paragraphs are audited without their source.

    ## Why is this bad?
    A paragraph fewer is usually a paragraph the MT pipeline dropped (a failed request, a
    length limit, a paragraph-level cache miss); one more is often scraped site chrome or
    a paragraph split in two. Either way the published article differs from the original,
    and no segment-level rule can compare the paragraphs that no longer line up.

    ## Example
    Source article `metro-line`: 3 paragraphs.
    Target article `metro-line`: 2 paragraphs.

    Use instead:
    a translation with one paragraph per paragraph of the original.

    ## Known problems
    Editors sometimes merge or split paragraphs on purpose; sentence counts differ often
    in good translations, so the sentence-level message is common with `--split sentences`.
    The rule reads what the feed reader found and is silent on every other input format.
    """

    code = "FD013"
    name = "unaligned-article"
    category = "fidelity"
    severity = "warning"
    requires = ("alignment",)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for row, (doc, why) in enumerate(zip(chunk.doc_ids, chunk.annotation("alignment"), strict=True)):
            if why:
                yield Hit(row, -1, -1, f"Article {doc!r} is not aligned with its source: {why}")
