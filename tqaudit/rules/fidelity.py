"""Fidelity rules: what the translation must carry over unchanged (addresses, content).

Numbers (FD001) are in ``numbers.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from tqaudit.chunk import Chunk, finditer
from tqaudit.rules.base import Applicability, Hit, Rule
from tqaudit.rules.registry import register


@register
class EmptyTarget(Rule):
    """Target empty or only whitespace while the source has text.

    ## What it does
    Flags a segment whose target is empty or only whitespace when its source is not:
    the unit was never translated, or the MT call failed and returned nothing.

    ## Why is this bad?
    An empty segment silently drops content from the published text; pipelines that
    retry failed MT calls often write the empty response instead of an error.

    ## Example
    Source: `Протесты начались 2 января.`
    Target: ``

    Use instead:
    `Protests began on January 2.`

    ## Known problems
    A source that is itself only markup or a placeholder may legitimately have an empty
    translation in some localisation workflows.
    """

    code = "FD002"
    name = "empty-target"
    category = "fidelity"
    severity = "error"

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for row, (source, target) in enumerate(zip(chunk.sources, chunk.targets, strict=True)):
            if not target.strip() and source.strip():
                yield Hit(row, -1, -1, "Target is empty but the source is not")


# Addresses that a translation copies character for character. A URL runs to the first
# space, quotation mark, angle bracket or CJK character (Chinese text runs on without a
# space: `链接https://zhuanlan.zhihu.com/p/1，或`); trailing sentence punctuation is cut.
_URL_CHARS = r"[^\s<>\"'«»“”‘’\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]"
_ADDRESS = re.compile(
    rf"(?P<url>(?<![\w@.])(?:(?:https?|ftp)://|www\.){_URL_CHARS}+)"
    r"|(?P<email>(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<path>(?<![\w/.:~])(?:~|[A-Za-z]:)?(?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*){2,}/?(?![\w/]))"
)
_ADDRESS_LABEL = {"url": "URL", "email": "E-mail address", "path": "File path"}


def _address(m: re.Match[str]) -> str:
    """The matched address without the sentence punctuation that follows it."""
    text = m.group()
    if m.lastgroup == "url":
        text = text.rstrip(".,;:!?")
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1].rstrip(".,;:!?")
    return text


@register
class AddressChanged(Rule):
    """URL, e-mail address or file path of the source not copied unchanged.

    ## What it does
    Finds the URLs (`https://…`, `www.…`), e-mail addresses and file paths (`/etc/hosts`,
    two components or more) of the source and flags each one that the target does not
    contain character for character. When the target has an address of the same kind
    that the source lacks, that one is flagged as the changed copy, with the source's
    address as the suggestion; otherwise the finding is about the whole segment.

    ## Why is this bad?
    MT engines translate the words inside addresses (`translate.org.za` →
    `vertaal.org.za`), respell them, insert spaces or drop them: the link or the
    address no longer works, and nothing in the text looks wrong to a reader.

    ## Example
    Source: `Die Registrierung kann nur unter www.bosch-pt.com/warranty erfolgen.`
    Target: `Registration is only possible at www.bosch-pt.com/guarantee.`

    Use instead:
    `Registration is only possible at www.bosch-pt.com/warranty.`

    ## Known problems
    A localised site (`example.com/de/` → `example.com/en/`) or an address a translator
    deliberately replaces is flagged. An internationalised domain written in Punycode in
    one text and in Unicode in the other counts as changed. Paths are recognised only
    when they start with `/`, `~/` or a drive letter and are written in ASCII (so an
    acronym between slashes, `/ККСРМТ/`, is not a path).

    ## Fix safety
    Unsafe: the suggestion restores the source's address, which is wrong for a
    deliberately localised link.
    """

    code = "FD003"
    name = "address-changed"
    category = "fidelity"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        wanted: dict[int, list[tuple[str, str]]] = {}
        for row, m in finditer(sources, _ADDRESS):
            address = _address(m)
            if address not in targets[row]:
                wanted.setdefault(row, []).append((str(m.lastgroup), address))
        if not wanted:
            return
        changed: dict[int, list[tuple[int, str, str]]] = {}
        for row, m in finditer(targets, _ADDRESS):
            address = _address(m)
            if row in wanted and address not in sources[row]:
                changed.setdefault(row, []).append((m.start(), str(m.lastgroup), address))
        for row, lost in wanted.items():
            candidates = changed.get(row, [])
            for kind, address in lost:
                label = _ADDRESS_LABEL[kind]
                near = next((c for c in candidates if c[1] == kind), None)
                if near is None:
                    yield Hit(row, -1, -1, f"{label} '{address}' of the source is not in the target")
                    continue
                candidates.remove(near)
                start, _, copy = near
                message = f"{label} '{copy}' differs from the source's '{address}'"
                yield Hit(row, start, start + len(copy), message, address)


# Smallest spread of log length ratios assumed for a language pair (about 10%): a corpus
# of near-identical lines must not make every small variation an outlier.
_MIN_SPREAD = 0.1


@register
class LengthOutlier(Rule):
    """Target far shorter or longer than its source, for this corpus's language pair.

    ## What it does
    Measures each segment's length ratio (log of target to source characters) and flags
    the segments whose ratio lies more than `max_deviations` robust deviations (median
    absolute deviation, scaled to a standard deviation) from the median ratio of all
    segments of the same language pair in the input. The corpus is its own yardstick, so
    no per-language table is needed: German runs longer than English, Chinese shorter.

    ## Why is this bad?
    A translation much shorter than its source has usually dropped a clause or a
    sentence (omission); one much longer has usually added text that is not in the source
    (hallucination, repetition, scraped text). Both read fluently and pass every surface
    check.

    ## Example
    Source: `Протесты начались 2 января из-за двукратного роста цен на сжиженный газ.`
    Target: `Protests began.`

    Use instead:
    `Protests began on January 2 over a twofold rise in the price of liquefied gas.`

    ## Known problems
    Needs at least `min_segments` segments with a source in a language pair to estimate
    its spread, and skips sources shorter than `min_source_chars`. Legitimately free
    translations (headlines, subtitles, "How dare you" for "Das ist eine absolute
    Frechheit") vary more; raise `max_deviations` for them. A source mixing scripts
    (Chinese with long Latin names) has an unusual ratio of its own. On WMT22 it flagged
    0.31 human reference segments per 1,000 (free renderings) and 0.38 per 1,000 MT
    segments (real omissions such as "Gold, silver and 150 diamonds." for a sentence with
    a second clause): a review hint, hence `info`.
    """

    code = "FD005"
    name = "length-outlier"
    category = "fidelity"
    severity = "info"
    scope = "corpus"
    options = {"max_deviations": 6.0, "min_source_chars": 30, "min_segments": 50}
    option_docs = {
        "max_deviations": "how many robust standard deviations from the pair's median ratio are flagged",
        "min_source_chars": "sources shorter than this are not judged (ratios of short texts are noisy)",
        "min_segments": "language pairs with fewer judged segments in the input are skipped",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        targets = pd.Series(chunk.targets, dtype=object)
        src_len = pd.Series(chunk.sources, dtype=object).str.len()
        tgt_len = targets.str.len()
        judged = (src_len >= self.opts["min_source_chars"]) & targets.str.strip().ne("")
        ratio = np.log((tgt_len + 1) / (src_len + 1))
        pair = pd.Series([f"{s}>{t}" for s, t in zip(chunk.src_langs, chunk.tgt_langs, strict=True)])
        for _, rows in ratio[judged].groupby(pair[judged]):
            if len(rows) < self.opts["min_segments"]:
                continue
            median = rows.median()
            # MAD scaled to a standard deviation, floored for corpora of near-identical lines
            spread = max(1.4826 * (rows - median).abs().median(), _MIN_SPREAD)
            z = (rows - median) / spread
            for row in z.index[z.abs() > self.opts["max_deviations"]]:
                times = float(np.exp(rows[row] - median))
                what = "shorter" if times < 1 else "longer"
                factor = 1 / times if times < 1 else times
                yield Hit(
                    int(row),
                    -1,
                    -1,
                    f"Target is {factor:.1f}x {what} than usual for its source "
                    f"({int(tgt_len[row])} vs {int(src_len[row])} characters)",
                )
