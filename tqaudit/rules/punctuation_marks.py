"""Punctuation inside the sentence, read against the source (PU008, PU009, PU011, PU013).

Doubled or garbled marks, a full stop or a comma inserted inside a sentence, a comma glued
to the next word: each flagged only where the target has more of it than its source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer, rows_containing
from tqaudit.rules.base import Applicability, Hit, Rule, remap
from tqaudit.rules.punctuation_source import abbreviations, ends_in_abbreviation
from tqaudit.rules.registry import register

# Marks that never stand side by side in edited text: `??`, `!!!!`, `.,`, `,.`, `,,`, `;;`,
# `::`, two full stops that are not part of an ellipsis and four or more full stops. `?!`,
# `!?`, `!!`, `!!!` and `...` are style; `,,` before a word is a German low quote typed
# with two commas; `.,` after an abbreviation (`etc.,`, `U.S.,`) is right.
_GARBLED = re.compile(
    r"[?？]{2,}"
    r"|(?<![!！])[!！]{4,}"
    r"|(?<![.\w/])\.\.(?![.\w/])|(?<=\w)\.\.(?![.\w/])"
    r"|\.{4,}"
    r"|[.。][,，;；]|[,，;；][.。]|[,，]{2,}(?!\w)|[;；]{2,}|::|：："
)
# Every garbled run is two of these marks side by side: the rows to look at, found in C.
_GARBLED_PAIR = re.compile("[?？!！.。,，;；:：][?？!！.。,，;；:：]")
# A straight quote doubled against a word: CSV escaping left in the text (`""yes""`); an
# empty quotation (`enter "" to clear`) touches no word. Looked for only in the rows that
# hold `""` (a substring test in C: an alternative of the pattern above slowed every row).
_DOUBLED_QUOTE = re.compile(r'(?<![\w"])""(?=\w)|(?<=[\w.,!?])""(?![\w"])')
_RUNS = re.compile(r"[.,;:?!]{2,}")


def _garble_key(mark: str) -> str:
    """A run of marks by kind, full-width folded (`？？？` and `??` are both `??`)."""
    folded = unicodedata.normalize("NFKC", mark).replace("。", ".")
    if folded.startswith("...") and set(folded) == {"."}:
        return folded[:4]
    if len(set(folded)) == 1:
        return folded[:2]
    return folded


def _source_runs(source: str) -> set[str]:
    """The kinds of mark runs the source has (`……` counts as a run of full stops)."""
    folded = unicodedata.normalize("NFKC", source).replace("。", ".").replace("…", "...")
    return {_garble_key(m) for m in _RUNS.findall(folded.replace("、、", "..."))}


def _in_source(mark: str, runs: set[str]) -> bool:
    key = _garble_key(mark)
    return any(key in run for run in runs)


@register
class DoubledPunctuation(Rule):
    """Doubled or garbled marks the source does not have (`??`, `.,`, `..`, `,,`).

    ## What it does
    Flags runs of marks that edited text never has: `??`, `!!!!`, `.,`, `,.`, `,,`,
    `;;`, `::`, a comma against a question mark, two (or four or more) full stops that
    are not an ellipsis, and a straight quote doubled against a word (`""yes""`: the CSV
    escaping of a quote left in the text), unless the source has a run of the same kind
    (then the translator copied it). `?!`, `!!`, `!!!`, `...` and an empty quotation
    (`enter "" to clear`) are left alone.

    ## Why is this bad?
    Doubled marks are the seam where an engine joined two outputs or kept the source's
    mark next to its own: `the price of fuel.,` reads as a typo.

    ## Example
    Source: `Цены на топливо выросли.`
    Target: `Fuel prices went up..`

    Use instead:
    `Fuel prices went up.`

    ## Known problems
    A source with any run of the same kind anywhere excuses every run of that kind in the
    target. Informal text (`??`) is flagged when its source writes one question mark.

    ## Fix safety
    Unsafe: the run is replaced by its last mark (`.,` by `,`, `..` by `.`, `??` by
    `?`), which is right for a doubled mark but may drop the wrong one of two.
    """

    code = "PU008"
    name = "doubled-punctuation"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        abbrevs: dict[str, frozenset[str]] = {}
        found = list(finditer(targets, _GARBLED, _GARBLED_PAIR))
        quoted = rows_containing(targets, ('""',))
        if quoted:  # (rare) merged in text order with the runs of marks
            texts = [targets[row] for row in quoted]
            found += [(quoted[i], m) for i, m in finditer(texts, _DOUBLED_QUOTE)]
            found.sort(key=lambda hit: (hit[0], hit[1].start()))
        for row, m in found:
            source, mark = sources[row], m.group()
            if not source.strip() or (
                '""' in source if mark == '""' else _in_source(mark, _source_runs(source))
            ):
                continue
            if mark[0] in ".。":
                lang = scripts.base_language(chunk.tgt_langs[row])
                if lang not in abbrevs:
                    abbrevs[lang] = abbreviations(self.packs, lang)
                src_lang = scripts.base_language(chunk.src_langs[row])
                if src_lang not in abbrevs:
                    abbrevs[src_lang] = abbreviations(self.packs, src_lang)
                before = targets[row][max(0, m.start() - _TAIL) : m.start()]
                after = targets[row][m.start() + 1 : m.start() + 1 + _TAIL]
                if ends_in_abbreviation(before, abbrevs[lang] | abbrevs[src_lang], after):
                    continue
            fix = mark[-1] if not mark.startswith(".") or len(mark) < 4 else "..."
            yield Hit(row, m.start(), m.end(), f"Garbled punctuation '{mark}'; did you mean '{fix}'?", fix)


# A full stop (or `?`, `!`) after a word and before a lower-case word: a sentence break in
# the middle of a sentence, in scripts with case. Ellipses and runs of marks are not breaks.
# (The look-behinds follow the full stop they test: a pattern that opens with a character
# is searched for in C; one that opens with a look-behind is tried at every position.)
_BREAK = re.compile(r"[.](?<=[^\W\d_][.])(?<![.?!…][.])(?![.?!…])[ \u00a0]+(?=[^\W\d_])")


# In a source, a break without its space counts too (`bekommen.hätte`).
_BREAK_UNSPACED = re.compile(r"[.](?<=[^\W\d_][.])(?<![.?!…][.])(?![.?!…])[ \u00a0]*(?=[^\W\d_])")


_WORD_BEFORE = re.compile(r"(?<![\w'’-])\w+$")
# Characters before a mark that the tests of what precedes it read: ``ends_in_abbreviation``
# reads the last 40, a word of ``no_stop_after`` is short. Reading the whole text before
# each mark was quadratic in a long segment.
_TAIL = 100


def _lower_after_break(
    text: str,
    abbrevs: frozenset[str],
    pattern: re.Pattern[str] = _BREAK,
    closed: frozenset[str] = frozenset(),
) -> list[re.Match[str]]:
    """Full stops in ``text`` inside a sentence: before a lower-case word, or after a word
    no sentence ends with (``closed``: `the`, `der`, `в`), and ending no abbreviation."""
    out = []
    for m in pattern.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt.islower():
            # a longer word than the tail is cut and not found: it is in no list either
            before = _WORD_BEFORE.search(text, max(0, m.start() - _TAIL), m.start())
            if before is None or before.group() not in closed:
                continue
        after = text[m.start() + 1 : m.start() + 1 + _TAIL]
        if ends_in_abbreviation(text[max(0, m.start() - _TAIL) : m.start()], abbrevs, after):
            continue
        out.append(m)
    return out


@register
class InsertedSentenceBreak(Rule):
    """Full stop inside a sentence, before a lower-case word (`the price of. fuel`).

    ## What it does
    Flags a full stop after a word that is followed by a lower-case word, in targets
    whose script has case, or that follows a word no sentence ends with (an article, a
    preposition, a possessive: the `no_stop_after` lists of `punctuation.comma`), when
    the source has fewer such places (pofilter's
    `sentencecount`, read where it errs). Abbreviations (`e.g.`, `approx.`, `z. B.`,
    `т.е.`, from the `punctuation.abbreviations` pack), initials and ordinal numbers are
    not sentence breaks.

    ## Why is this bad?
    An engine that splits a sentence in two, or a segmenter that joins a fragment, leaves a
    full stop in the middle of a clause: the reader stops where the sentence goes on.

    ## Example
    Source: `Цены на топливо выросли.`
    Target: `The price of. fuel went up.`

    Use instead:
    `The price of fuel went up.`

    ## Known problems
    An abbreviation missing from the pack (`approx. ten`) is flagged. Informal text that
    starts sentences in lower case is flagged when its source does not.

    ## Fix safety
    Unsafe: the full stop is removed; if the sentence really ends there, the next word
    needs a capital instead.
    """

    code = "PU009"
    name = "inserted-sentence-break"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE

    def _abbrevs(self, src: str, tgt: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        pack = self.packs.get("punctuation.comma")
        closed = pack.header.get("no_stop_after", {}).get(tgt, ()) if pack else ()
        return abbreviations(self.packs, src), abbreviations(self.packs, tgt), frozenset(closed)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for (src_abbrevs, tgt_abbrevs, closed), rows in self.by_language(chunk, self._abbrevs):
            texts = [chunk.targets[r] for r in rows]
            yield from remap(self._hits(chunk, rows, texts, (src_abbrevs, tgt_abbrevs), closed), rows)

    def _hits(
        self,
        chunk: Chunk,
        rows: Sequence[int],
        texts: Sequence[str],
        abbrevs: tuple[frozenset[str], frozenset[str]],
        closed: frozenset[str],
    ) -> Iterator[Hit]:
        src_abbrevs, tgt_abbrevs = abbrevs
        own = src_abbrevs - tgt_abbrevs
        found: dict[int, list[re.Match[str]]] = {}
        for i, m in finditer(texts, _BREAK):
            found.setdefault(i, []).append(m)
        for i in found:
            source = chunk.sources[rows[i]]
            if not source.strip():
                continue
            text = texts[i]
            breaks = _lower_after_break(text, tgt_abbrevs, closed=closed)
            if breaks and own:
                # an abbreviation of the source language counts in the target only when the
                # source writes it (copied): English `est.` is not French `est.` (`is.`)
                lowered = source.lower()
                copied = frozenset(a for a in own if a + "." in lowered)
                if copied:
                    breaks = _lower_after_break(text, tgt_abbrevs | copied, closed=closed)
            in_source = _lower_after_break(source, src_abbrevs | tgt_abbrevs, _BREAK_UNSPACED)
            if not breaks or len(breaks) <= len(in_source):
                continue
            for m in breaks:
                if text[m.end() : m.end() + 1].islower():
                    message = "Full stop before a lower-case word inside a sentence"
                else:
                    word = text[_word_start(text, m.start()) : m.start()]
                    message = f"Full stop after '{word}' inside a sentence"
                yield Hit(i, m.start(), m.start() + 1, message, "")


def _word_start(text: str, end: int) -> int:
    """Where the last word of ``text[:end]`` (which ends in no space) starts: after its last
    whitespace (``str.split``'s), found without copying the text before ``end``."""
    start = end
    while start and not text[start - 1].isspace():
        start -= 1
    return start


# A comma or semicolon between two letters of a script written with spaces.
_LETTER = r"A-Za-zÀ-ɏͰ-ϿЀ-ӿ"
_NO_SPACE_AFTER = re.compile(rf"[,;](?<=[{_LETTER}][,;])(?=[{_LETTER}])")


@register
class MissingSpaceAfterComma(Rule):
    """Comma glued to the next word where the source spaces it (`two,three`).

    ## What it does
    Flags a comma or semicolon between two letters (Latin, Greek or Cyrillic) when the
    target has more such places than its source (pofilter's `puncspacing`). Numbers
    (`1,000`) are not letters, and a source that glues its commas too is copied.

    ## Why is this bad?
    Detokenisation that drops the space after a comma glues two words into one token:
    spell checkers, search and line breaking treat `kubili,kuthathu` as one word.

    ## Example
    Source: `One, two, three.`
    Target: `Kunye, kubili,kuthathu.`

    Use instead:
    `Kunye, kubili, kuthathu.`

    ## Known problems
    Lists written without spaces on purpose (`RTI,Control4`) are flagged when the source
    spaces them. Scripts written without spaces are not checked.

    ## Fix safety
    Safe: a space is inserted after the mark.
    """

    code = "PU011"
    name = "missing-space-after-comma"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.SAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        found: dict[int, list[re.Match[str]]] = {}
        for row, m in finditer(chunk.targets, _NO_SPACE_AFTER):
            found.setdefault(row, []).append(m)
        for row, matches in found.items():
            if not sources[row].strip() or len(_NO_SPACE_AFTER.findall(sources[row])) >= len(matches):
                continue
            for m in matches:
                yield Hit(row, m.start(), m.end(), f"No space after '{m.group()}'", m.group() + " ")


_COMMAS = re.compile(r"[,，、،]")


@register
class InsertedComma(Rule):
    """Comma after an article or a preposition, or before an enclitic (`the, price`).

    ## What it does
    Flags a comma right after a word of the `no_comma_after` list of the
    `punctuation.comma` pack (articles, prepositions, possessives: `the price of, fuel`)
    or right before a word of the `no_comma_before` list (enclitics and particles:
    `it, 's`), in lower case, when the target has more commas than its source (`，`, `、`
    and `،` count as commas).

    ## Why is this bad?
    A comma inside a noun or prepositional phrase is a seam where an engine joined two
    outputs or a segmenter cut one: the phrase reads as two.

    ## Example
    Source: `Цены на топливо выросли.`
    Target: `The price of, fuel went up.`

    Use instead:
    `The price of fuel went up.`

    ## Known problems
    Most inserted commas follow content words and are not found: the rule knows only the
    closed classes of the pack's languages (on WMT22 references with a comma inserted
    after a random word it finds about 1 in 8). An aside of up to three words between
    commas right after a preposition (`of, for example, ten`) is not flagged; a longer
    one is.

    ## Fix safety
    Unsafe: the comma is removed.
    """

    code = "PU013"
    name = "inserted-comma"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE
    languages = ("en", "de", "ru", "uk", "cs", "fr", "es")

    def _words(self, src: str, tgt: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The pattern of inserted commas, and a cheaper one that picks the rows to match it on."""
        pack = self.packs.get("punctuation.comma")
        after = pack.header.get("no_comma_after", {}).get(tgt, ()) if pack else ()
        before = pack.header.get("no_comma_before", {}).get(tgt, ()) if pack else ()
        alts = []
        # every match is a comma after a word of ``after`` or before one of ``before``: the
        # comma is searched for in C, the words are looked at only there (a look-behind per
        # length of word, as look-behinds have a fixed width)
        where = []
        if after:
            words = "|".join(re.escape(w) for w in sorted(after, key=len, reverse=True))
            # an aside of up to three words between two commas (`of, for example,`) is not a seam
            alts.append(rf"(?<![\w'’-])(?:{words})(?P<a>,)(?=\s)(?!\s+\S+(?:\s+\S+){{0,2}},)")
            by_length: dict[int, list[str]] = {}
            for w in after:
                by_length.setdefault(len(w), []).append(re.escape(w))
            behind = [f"(?<=(?<![\\w'’-])(?:{'|'.join(ws)}),)" for _, ws in sorted(by_length.items())]
            where.append(rf"(?=\s)(?:{'|'.join(behind)})")
        if before:
            words = "|".join(re.escape(w) for w in sorted(before, key=len, reverse=True))
            alts.append(rf"(?<=\w)(?P<b>,)\s*['’]?(?:{words})(?!\w)")
            where.append(rf"\s*['’]?(?:{words})(?!\w)")
        if not alts:
            return re.compile(r"(?!)"), re.compile(r"(?!)")
        return re.compile("|".join(alts)), re.compile(f",(?:{'|'.join(where)})")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for (pattern, where), rows in self.by_language(chunk, self._words):
            texts = [chunk.targets[r] for r in rows]
            hits = self._hits(texts, [chunk.sources[r] for r in rows], pattern, where)
            yield from remap(hits, rows)

    @staticmethod
    def _hits(
        texts: Sequence[str], sources: Sequence[str], pattern: re.Pattern[str], where: re.Pattern[str]
    ) -> Iterator[Hit]:
        # Only targets with more commas than their source count: of the rows ``where``
        # picks, those are the ones the (slow) word pattern reads.
        for row in compress(range(len(texts)), map(where.search, texts)):
            source = sources[row]
            if not source.strip() or len(_COMMAS.findall(texts[row])) <= len(_COMMAS.findall(source)):
                continue
            for m in pattern.finditer(texts[row]):
                group = "a" if m.groupdict().get("a") else "b"
                message = f"Comma inside a phrase: '{m.group().strip()}'"
                yield Hit(row, m.start(group), m.end(group), message, "")
