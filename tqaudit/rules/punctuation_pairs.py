"""Quotation marks and brackets read against the source (PU010, PU012).

Counts of quotation marks and brackets compared with a short source (pofilter's
`brackets`, `doublequoting`, `singlequoting`), and quotation pairs written in reverse.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any, ClassVar

from tqaudit import scripts
from tqaudit.chunk import Chunk, rows_containing
from tqaudit.rules.base import Applicability, Hit, Rule
from tqaudit.rules.registry import register

# Quotation marks and brackets counted the way pofilter's `doublequoting`, `singlequoting`
# and `brackets` checks count them, with apostrophes left out: a straight single quote
# counts only as one of a pair around a word (`'Hot'`), never inside a word (`don't`,
# `O'Connor`, `l'homme`) or before one (`'n`, `'90s`); `rock 'n' roll` holds no quotation.
# GNU-style `` `file' `` is the locale's primary quotation written in ASCII: double.
_GNU_QUOTE = re.compile(r"`[^`'\n]*'")
_SINGLE_PAIR = re.compile(r"(?<![\w'])'(?=[^\s'])(?!n')([^'\n]*?[^\s'])'(?![\w'])")
_DOUBLE = frozenset('"“”„«»「」『』‹›')
_BRACKETS = frozenset("()[]{}（）［］｛｝【】〔〕")


@dataclass(frozen=True)
class _Delimiters:
    double: int
    single: int
    brackets: int
    straight_double: bool
    straight_single: bool

    @classmethod
    def of(cls, text: str) -> _Delimiters:
        gnu = len(_GNU_QUOTE.findall(text))
        text = _GNU_QUOTE.sub(" ", text)
        singles = _SINGLE_PAIR.findall(text)
        return cls(
            double=sum(ch in _DOUBLE for ch in text) + 2 * gnu,
            single=2 * len(singles),
            brackets=sum(ch in _BRACKETS for ch in text),
            straight_double='"' in text,
            straight_single=bool(singles),
        )


def _weighted_length(text: str) -> int:
    """Characters of ``text``, a Han, kana or hangul one counting as a short word."""
    counts = scripts.script_counts(text)
    cjk = sum(n for script, n in counts.items() if script in scripts.CJK)
    return len(text.strip()) + (scripts.CJK_WEIGHT - 1) * cjk


@register
class QuotesAndBracketsAgainstSource(Rule):
    """Quotation marks or brackets added, dropped or swapped against a short source.

    ## What it does
    Counts the quotation marks (any style, straight quotes included, apostrophes left
    out) and brackets of a source of at most `max_words` words (a label, a title, a menu
    entry) and of its target, and flags a target whose counts differ (pofilter's
    `brackets`, `doublequoting` and `singlequoting`), and straight single quotes turned
    into straight double quotes or back (`'Hot'` rendered `"Ipuleti"`): a change of kind,
    not of the target language's style (`'File'` rendered `« Tập tin »` is style and
    passes).

    ## Why is this bad?
    In a short string quotes and brackets mark literal names and placeholders
    (`For [sic] numbers`, `"%name%" already exists`); an engine that drops or adds them
    changes what the user reads as literal.

    ## Example
    Source: `For [sic] numbers`
    Target: `Vier getalle`

    Use instead:
    `Vier [sic] getalle`

    ## Known problems
    Brackets the target adds (a gloss, `(official)`) and typographic quotes it adds around
    a UI label (`Tap Settings` → `Tippen Sie auf „Einstellungen“`) are not flagged; added
    straight quotes are. Longer segments are not counted: human translators add quotes around names and drop
    brackets around glosses all the time (on the WMT22 references about 1 in 20 segments
    of en-de and en-ru gains quotation marks its source lacks). A quotation that the
    target-language style writes with another kind (single quotes in a double-quote
    language) is style; only straight-to-straight changes are flagged, and only in short
    segments (Russian writes `"Восстановить"` for English `'Restore'`).
    """

    code = "PU010"
    name = "quotes-brackets-against-source"
    category = "punctuation"
    severity = "warning"
    options: ClassVar[dict[str, Any]] = {"max_words": 6, "max_chars": 26}
    option_docs: ClassVar[dict[str, str]] = {
        "max_words": "sources of at most this many words have their quotes and brackets counted",
        "max_chars": "… and at most this many characters (a Han, kana or hangul character counts 3)",
    }
    _marks = re.compile(r"[\"'`“”„«»「」『』‹›()\[\]{}（）［］｛｝]")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        max_words, max_chars = self.opts["max_words"], self.opts["max_chars"]
        # Only short sources are compared: a source longer than ``max_chars`` characters
        # (a weighted length is never shorter) is skipped before anything is counted.
        lengths = map(len, map(str.strip, sources))
        for row in compress(range(len(sources)), map(operator.ge, repeat(max_chars), lengths)):
            source, target = sources[row], targets[row]
            if not (self._marks.search(source) or self._marks.search(target)):
                continue
            if not source.strip() or not target.strip():
                continue
            short = len(source.split()) <= max_words and _weighted_length(source) <= max_chars
            if not short:
                continue
            src, tgt = _Delimiters.of(source), _Delimiters.of(target)
            message = self._compare(src, tgt, short)
            if message:
                yield Hit(row, -1, -1, message)

    @staticmethod
    def _compare(src: _Delimiters, tgt: _Delimiters, short: bool) -> str:
        if not short:
            return ""
        if (
            src.straight_single
            and not tgt.straight_single
            and tgt.straight_double
            and not src.straight_double
        ):
            return "The source's single quotes ('…') became double quotes (\"…\")"
        if (
            src.straight_double
            and not tgt.straight_double
            and tgt.straight_single
            and not src.straight_single
        ):
            return "The source's double quotes (\"…\") became single quotes ('…')"
        # Brackets a target adds gloss a term (`(official)`): only dropped ones are flagged.
        if src.brackets > tgt.brackets:
            return f"The source has {src.brackets} bracket(s), the target {tgt.brackets}"
        src_quotes, tgt_quotes = src.double + src.single, tgt.double + tgt.single
        if src_quotes % 2:  # a quotation that spans segments: counts say nothing
            return ""
        # Typographic quotes a short source lacks are the target language's way of marking
        # a UI label (`Tap Settings` → `Tippen Sie auf „Einstellungen“`); straight ones are not.
        added = tgt_quotes > src_quotes and (src_quotes or tgt.straight_double or tgt.straight_single)
        if tgt_quotes < src_quotes or added:
            return f"The source has {src_quotes} quotation mark(s), the target {tgt_quotes}"
        return ""


@register
class ReversedQuotes(Rule):
    """Quotation marks in reversed order (`”no“`, `»x«` outside German style).

    ## What it does
    Flags a quotation that opens with a closing mark and closes with an opening one: `”…“`
    and `’…‘` in every language, and `»…«` in target languages whose style is not the
    German and Danish `»…«` (the `reversed_guillemets` list of `punctuation.marks`).
    Swedish and Finnish `”…”` and `»…»` open and close with the same mark and pass.

    ## Why is this bad?
    MT engines that rebuild quotes from tokens pick the mark by position and get the
    direction wrong; the reader sees the quotation turned inside out.

    ## Example
    Source: `Он сказал «нет».`
    Target: `He said ”no“.`

    Use instead:
    `He said “no”.`

    ## Known problems
    A source with the same marks (`»Smart Stone«` in a German source) is copied, not
    reversed: the quote-style rules judge it. Only a pair in one segment is seen; `”`
    opening a quotation that closes in the next segment is not flagged.

    ## Fix safety
    Unsafe: the two marks are swapped; right unless the marks belong to two quotations.
    """

    code = "PU012"
    name = "reversed-quotes"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE
    _pattern = re.compile(
        r"(?<!\w)(?P<open>[”’»])(?=\w)(?P<body>[^“”‘’«»\n]{1,200}?)(?<=[\w.,!?])(?P<close>[“‘«])(?!\w)"
    )

    def prepare(self) -> None:
        pack = self.packs.get("punctuation.marks")
        self._guillemets = frozenset(pack.header.get("reversed_guillemets", ()) if pack else ())

    # every match closes with one of these: the rows to read, found by substring tests
    _closers = ("“", "‘", "«")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        pairs = {"”": "“", "’": "‘", "»": "«"}
        targets = chunk.targets
        rows = rows_containing(targets, self._closers)
        for row, m in ((r, m) for r in rows for m in self._pattern.finditer(targets[r])):
            opener, closer = m.group("open"), m.group("close")
            if pairs[opener] != closer:
                continue
            if opener == "»" and scripts.base_language(chunk.tgt_langs[row]) in self._guillemets:
                continue
            if any(s.group("open") == opener for s in self._pattern.finditer(chunk.sources[row])):
                continue  # copied from the source (`»Smart Stone«` of a German product text)
            fixed = f"{closer}{m.group('body')}{opener}"
            yield Hit(row, m.start(), m.end(), f"Quotation marks reversed: '{opener}…{closer}'", fixed)
