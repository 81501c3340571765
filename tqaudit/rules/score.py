"""Rules of category ``score``: segments whose reference-based score is too low."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import register


@register
class LowChrf(Rule):
    """Segment chrF against the reference is below the threshold.

    ## What it does
    Flags a segment whose sentence-level chrF (sacrebleu's, the same number as
    `sacrebleu REF -i HYP -m chrf -sl`) is under `threshold`. Only segments with reference
    text are checked. With `[tool.tqaudit.scoring] chrf_word_order = 2` the audit's `chrf`
    column is chrF++, and the threshold applies to that.

    ## Why is this bad?
    A very low character n-gram overlap with a human reference usually means the segment
    is mistranslated, untranslated, truncated, or misaligned with its reference; these are
    the segments a reviewer should read first.

    ## Example
    Reference `The meeting was postponed until Friday.`, target
    `Subscribe to our channel for the latest news.` (chrF about 10).

    Use instead: `The meeting was put off until Friday.`

    ## Known problems
    chrF rewards surface overlap: a correct paraphrase of a short reference can score low,
    and a fluent but wrong translation that reuses the reference's words can score high.
    Segment-level chrF is noisy; treat the flag as a pointer for review, not a verdict.
    """

    code = "SC001"
    requires = ("chrf",)
    name = "low-segment-chrf"
    category = "score"
    severity = "warning"
    options: ClassVar[dict[str, Any]] = {"threshold": 20.0}
    option_docs: ClassVar[dict[str, str]] = {
        "threshold": "Flag segments whose sentence chrF (0-100) is strictly below this value.",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        threshold = float(self.opts["threshold"])
        for row, value in enumerate(chunk.annotation("chrf")):
            if isinstance(value, (int, float)) and value < threshold:
                yield Hit(
                    row,
                    -1,
                    -1,
                    f"Segment chrF {value:.1f} is below the threshold {threshold:g}",
                )
