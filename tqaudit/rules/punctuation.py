"""Punctuation rules: quotation marks that do not pair up, spaces before punctuation."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from tqaudit.chunk import Chunk, rows_containing
from tqaudit.rules.base import Applicability, Hit, Rule, regex_hits, remap
from tqaudit.rules.registry import register


@dataclass(frozen=True)
class QuoteStyle:
    """Openers with their allowed closers, from the ``punctuation.quotes`` pack."""

    closers: dict[str, tuple[str, ...]]
    ascii_closers: tuple[str, ...]

    @functools.cached_property
    def marks(self) -> list[str]:
        """Every quotation mark, longest first."""
        marks = set(self.closers) | {c for cs in self.closers.values() for c in cs}
        marks |= set(self.ascii_closers)
        return sorted(marks, key=lambda m: (-len(m), m))

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, self.marks)))


def quote_style(rule: Rule) -> QuoteStyle:
    pack = rule.packs.get("punctuation.quotes")
    closers: dict[str, tuple[str, ...]] = {}
    for e in pack.entries if pack else ():
        closers[e["pattern"]] = (e["suggestion"], *e.get("alternatives", ()))
    ascii_closers = tuple(pack.header.get("ascii_closers", ())) if pack else ()
    return QuoteStyle(closers, ascii_closers)


@dataclass(frozen=True)
class QuoteEvent:
    """A quotation mark that does not pair: ``kind`` is mismatched, unclosed or stray."""

    row: int
    start: int
    end: int
    mark: str
    kind: str
    opener: str = ""
    expected: str = ""


def _closing_place(text: str, start: int, end: int) -> bool:
    """Whether a mark that opens in some style (`“`, which also closes German `„…“`) stands
    where a quotation closes: glued to the word or mark before it (not a digit: `16“` is
    inches), with no letter or digit right after it (`«Это исторический день“, — сказал`)."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return bool(before) and not before.isspace() and not before.isdigit() and not after.isalnum()


def pair_quotes(texts: Sequence[str], style: QuoteStyle) -> Iterator[QuoteEvent]:
    """Pair the quotation marks of every text with a stack (order, not counts).

    Substring tests pick the rows with a mark; the stack walk is per row but only over
    the marks. A mark that closes the open quote pops it; a mark that opens pushes; any
    other closing mark is a mismatch (if a quote is open) or stray (if none is).
    """
    by_row: dict[int, list[tuple[int, str]]] = {}
    for row in rows_containing(texts, style.marks):  # the rows with a mark, by substring tests
        by_row[row] = [(m.start(), m.group()) for m in style.pattern.finditer(texts[row])]
    for row, marks in by_row.items():
        text = texts[row]
        stack: list[tuple[int, str]] = []
        for pos, mark in marks:
            if stack and mark in style.closers[stack[-1][1]]:
                stack.pop()
            elif mark in style.closers and not (
                stack and stack[-1][1] != mark and _closing_place(text, pos, pos + len(mark))
            ):
                stack.append((pos, mark))
            elif stack:
                _, opener = stack.pop()
                expected = style.closers[opener][0]
                yield QuoteEvent(row, pos, pos + len(mark), mark, "mismatched", opener, expected)
            else:
                yield QuoteEvent(row, pos, pos + len(mark), mark, "stray")
        for pos, mark in stack:
            yield QuoteEvent(row, pos, pos + len(mark), mark, "unclosed", mark, style.closers[mark][0])


@register
class MismatchedQuotes(Rule):
    """Quotation closed with a mark of another style (`“ … ''`).

    ## What it does
    Pairs the quotation marks of each target in order and flags a closing mark that does
    not belong to the open quotation: `“` closed by `''` or by `»`, `«` closed by `”`, or
    by `“` where it stands as a closing mark (glued to the word before it, no letter after:
    `«Это исторический день“,`; `“` after a digit is an inch mark).
    Quote pairs come from the `punctuation.quotes` pack (CLDR delimiters per language).

    ## Why is this bad?
    MT engines tokenise quotation marks and rebuild them with ASCII stand-ins (`''`) or
    the wrong style, so the published text shows mixed, unpaired quotes.

    ## Example
    Source: `«Сколько длилась подготовка?» — добавил он.`
    Target: `“ How long did this preparation take? '' he added.`

    Use instead:
    `“How long did this preparation take?” he added.`

    ## Known problems
    Straight quotes (`"`, `'`) and single curly quotes are not paired: they double as
    inch marks and apostrophes.

    ## Fix safety
    Unsafe: the suggested closing mark is right only if the opening mark is.
    """

    code = "PU001"
    name = "mismatched-quotes"
    category = "punctuation"
    severity = "error"
    fix = Applicability.UNSAFE

    def prepare(self) -> None:
        self.style = quote_style(self)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for ev in pair_quotes(chunk.targets, self.style):
            if ev.kind == "mismatched":
                yield Hit(
                    ev.row,
                    ev.start,
                    ev.end,
                    f"Quotation opened with '{ev.opener}' is closed with '{ev.mark}'; "
                    f"did you mean '{ev.expected}'?",
                    ev.expected,
                )


@register
class UnpairedQuote(Rule):
    """Quotation mark without its partner in the segment (`“ diffuse the resources.`).

    ## What it does
    Flags an opening quotation mark that is never closed in the same segment, and a
    closing mark with no opening mark before it, when the segment's source has balanced
    quotation marks (or none). Needs the source: without it a quotation that spans
    several segments cannot be told from a broken one, so segments without a source are
    skipped.

    ## Why is this bad?
    A quotation that never closes makes the reader guess where the quoted words end,
    and a lone mark is usually a tokenisation artifact.

    ## Example
    Source: `Агрессия охватила 11 регионов, чтобы «распылить ресурсы государства».`
    Target: `The aggression covered 11 regions in order to “ diffuse the resources of the state.`

    Use instead:
    `The aggression covered 11 regions in order to “diffuse the resources of the state”.`

    ## Known problems
    A quotation that spans several segments (a long quote split into sentences) opens in
    one segment and closes in another: a target whose quotation closes within `span`
    later segments of the same document (same `doc_id`, adjacent rows) is not flagged,
    nor a segment whose source is unbalanced too (straight `"` counted by parity). A
    target with an even number of quotation marks in mixed styles (`„unterzeichnet"`,
    `“heated topic“`) is left to the quote-style rules. On the WMT22 references it
    still flags 10 segments (up to 2.7 per 1,000 in zh-en), each a quotation mark the
    human translator really dropped: it stays a preview rule, run only with
    `--select PU002`.
    """

    code = "PU002"
    name = "unpaired-quote"
    category = "punctuation"
    severity = "warning"
    preview = True
    options: ClassVar[dict[str, Any]] = {"span": 4}
    option_docs: ClassVar[dict[str, str]] = {
        "span": "a quotation opened in one segment may close this many segments later in the same document",
    }

    def prepare(self) -> None:
        self.style = quote_style(self)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        style = self.style
        sources = chunk.sources
        unbalanced = {ev.row for ev in pair_quotes(sources, style) if ev.kind != "mismatched"}
        unbalanced |= {row for row, src in enumerate(sources) if not src or src.count('"') % 2}
        events = [ev for ev in pair_quotes(chunk.targets, style) if ev.kind != "mismatched"]
        spanning = _spanning_rows(chunk, events, self.opts["span"])
        targets = chunk.targets
        even: dict[int, bool] = {}  # per row, not per mark: a row of many marks was quadratic
        for ev in events:
            if ev.row in unbalanced or ev.row in spanning:
                continue
            if ev.row not in even:
                even[ev.row] = _even_marks(targets[ev.row], style)
            if even[ev.row]:
                continue
            what = "never closed" if ev.kind == "unclosed" else "never opened"
            yield Hit(ev.row, ev.start, ev.end, f"Quotation mark '{ev.mark}' is {what}")


def _even_marks(text: str, style: QuoteStyle) -> bool:
    """Whether ``text`` has an even number of quotation marks, straight ones included.

    `„unterzeichnet"` or `“heated topic“` pair up in mixed styles: a style error for the
    quote-style rules, not an unpaired quotation.
    """
    return (len(style.pattern.findall(text)) + text.count('"')) % 2 == 0


def _spanning_rows(chunk: Chunk, events: Sequence[QuoteEvent], span: int) -> set[int]:
    """Rows of quotations that open in one segment and close in a later one of the document.

    A row whose quotation is left open, followed within ``span`` rows of the same document
    by a row with a closing mark that nothing opened (and the rows between them): the
    translator carried one quotation over several segments.
    """
    opens = sorted({ev.row for ev in events if ev.kind == "unclosed"})
    closes = sorted({ev.row for ev in events if ev.kind == "stray"})
    docs = chunk.doc_ids
    out: set[int] = set()
    for row in opens:
        later = next((c for c in closes if row < c <= row + span), None)
        if later is not None and all(docs[r] == docs[row] for r in range(row, later + 1)):
            out.update(range(row, later + 1))
    return out


@register
class SpaceBeforePunctuation(Rule):
    """Space before a comma, full stop, colon, semicolon, `!` or `?` (`(CSTO) .`).

    ## What it does
    Flags one or more spaces between a word (or closing bracket or quote) and a following
    `,` `.` `;` `:` `!` `?` in languages whose typography puts no space there. Emoticons
    (`:)`, `;)`) are not punctuation and are not flagged.

    ## Why is this bad?
    Detokenisation after MT often leaves the space the tokenizer inserted before
    punctuation; the text looks machine-made and can break across lines before the mark.

    ## Example
    Source: `…в Организации Договора о коллективной безопасности (ОДКБ).`
    Target: `…in the Collective Security Treaty Organization (CSTO) .`

    Use instead:
    `…in the Collective Security Treaty Organization (CSTO).`

    ## Known problems
    French and Breton put a space before `: ; ! ?`: a target language whose
    `punctuation.<lang>` pack lists a mark in `spaced_before` is not flagged for that mark
    (a space before a comma is still flagged in French). An ellipsis (`...`) after a space
    is not flagged. A target with no more spaced marks than its source (of any script:
    `bitte !`, `カード 、`) copied the source's spacing and is not flagged; a single
    spaced mark of a target whose source has another spaced mark elsewhere is missed.

    ## Fix safety
    Safe: only the spaces are removed.
    """

    code = "PU003"
    name = "space-before-punctuation"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.SAFE
    _pattern = re.compile(r"(?<=[\w)\]”»])[ \t]+(?P<mark>[,.;:!?])(?!\.\.)(?=\s|$|[”»\"])")
    # A space before a mark of any script's kind in the source (`bitte !`, `カード 、`): a
    # target with no more spaced marks than its source copied the spacing.
    _source_spaced = re.compile(r"(?<=\S)[ \t\u3000]+[,.;:!?、。，：；！？](?!\.\.)")
    # every match is a mark after a space or tab: the rows to read, found in C
    _where = re.compile(r"[,.;:!?](?<=[ \t][,.;:!?])")

    def _spaced(self, src: str, tgt: str) -> frozenset[str]:
        """Marks this target language's typography puts after a space (French `:`)."""
        packs = self.packs.for_languages("punctuation", src, tgt)
        return frozenset(m for p in packs for m in p.header.get("spaced_before", ()))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for spaced, rows in self.by_language(chunk, self._spaced):
            hits = regex_hits(
                [chunk.targets[r] for r in rows],
                self._pattern,
                "Space before '{mark}'",
                "{mark}",
                where=self._where,
            )
            kept = [h for h in hits if h.suggestion not in spaced]
            per_row = Counter(h.row for h in kept)
            copied = {
                row
                for row, n in per_row.items()
                if len(self._source_spaced.findall(chunk.sources[rows[row]])) >= n
            }
            yield from remap((h for h in kept if h.row not in copied), rows)


# Emoticons (`:)`, `;-(`, `=)`, and `: (` spaced out at the end) are not brackets; a
# closing bracket with nothing open after a short label at the start of a word is a list
# marker (`1)`, `a)`, `iv)`).
# (Written after the bracket it tests, so that the pattern opens with the bracket and is
# searched for in C: `(?<![:;=]-.)` is `(?<![:;=]-)` before the bracket.)
_NOT_EMOTICON = r"(?<![:;=]-.)(?<![:;=].)(?!(?<=[:;=] [()])(?:\s|$))"
_LIST_MARKER = re.compile(r"(?:^|\s)(?:\d{1,2}|[A-Za-z]|[ivxIVX]{2,4})$")


class _Brackets(NamedTuple):
    """The bracket pairs of the ``punctuation.brackets`` pack, ready to match."""

    closers: dict[str, str]  # closing bracket -> its opener (half-width)
    openers: frozenset[str]
    pattern: re.Pattern[str]
    width: dict[int, str]  # full-width opener -> half-width, so `(…）` pairs up

    marks: tuple[str, ...]  # every bracket: the rows to walk, found by substring tests

    def unpaired(self, texts: Sequence[str]) -> dict[int, list[tuple[int, str]]]:
        """Per row, the brackets left unpaired by a stack walk."""
        out: dict[int, list[tuple[int, str]]] = {}
        for row in rows_containing(texts, self.marks):
            left = self.unpaired_in(texts[row])
            if left:
                out[row] = left
        return out

    def unpaired_in(self, text: str) -> list[tuple[int, str]]:
        """The brackets of ``text`` left unpaired by a stack walk, in order."""
        stack: list[tuple[int, str]] = []
        stray: list[tuple[int, str]] = []
        for m in self.pattern.finditer(text):
            pos, mark = m.start(), m.group()
            if mark in self.openers:
                stack.append((pos, mark))
            elif stack and stack[-1][1].translate(self.width) == self.closers[mark]:
                stack.pop()
            elif stack or not _LIST_MARKER.search(text, max(0, pos - 6), pos):
                stray.append((pos, mark))
        return sorted(stray + stack)


def _brackets(pairs: dict[str, str]) -> _Brackets:
    folded = {o: unicodedata.normalize("NFKC", o) for o in pairs}
    width = str.maketrans({o: f for o, f in folded.items() if f != o and f in pairs})
    marks = "".join(re.escape(ch) for pair in pairs.items() for ch in pair)
    pattern = re.compile(f"[{marks}]{_NOT_EMOTICON}") if marks else re.compile(r"(?!)")
    closers = {c: o.translate(width) for o, c in pairs.items()}
    chars = tuple(sorted({ch for pair in pairs.items() for mark in pair for ch in mark}))
    return _Brackets(closers, frozenset(pairs), pattern, width, chars)


@register
class UnbalancedBrackets(Rule):
    """Bracket left unpaired in the target where the source's brackets pair up.

    ## What it does
    Pairs the brackets of the `punctuation.brackets` pack (round, square and curly, ASCII
    and full-width, and CJK lenticular ones) of source and target
    in order and flags each unpaired bracket of the target when every bracket of the
    source pairs up. Emoticons (`:)`) and list markers (`1)`, `a)`) are not brackets.
    A target that drops a parenthesis entirely (both brackets) is balanced and not flagged.

    ## Why is this bad?
    MT engines drop a closing bracket at a segment's end, or turn one into the other
    (`(CSTO(`), so that the parenthesis never ends and the sentence reads as part of it.

    ## Example
    Source: `…в Организации Договора о коллективной безопасности (ОДКБ).`
    Target: `…in the Collective Security Treaty Organization (CSTO.`

    Use instead:
    `…in the Collective Security Treaty Organization (CSTO).`

    ## Known problems
    A list marker written with a closing bracket after a longer label (`(ii)` is fine,
    `B2)` is not) counts as a stray bracket. A parenthesis that the translator splits over
    two segments is flagged; the source's brackets must pair up in the same segment. A
    translation that drops both brackets (pofilter's `brackets` check flags that by
    counting) is not flagged. On the WMT22 references it fires 4 times (0.18 per 1,000
    segments), each a bracket the human translator really left unpaired.
    """

    code = "PU004"
    name = "unbalanced-brackets"
    category = "punctuation"
    severity = "warning"

    def prepare(self) -> None:
        pack = self.packs.get("punctuation.brackets")
        self._pairs = _brackets(pack.mapping() if pack else {})

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        for row, unpaired in self._pairs.unpaired(targets).items():
            if not sources[row].strip() or self._pairs.unpaired_in(sources[row]):
                continue
            for pos, mark in unpaired:
                what = "never closed" if mark in self._pairs.openers else "never opened"
                yield Hit(row, pos, pos + 1, f"Bracket '{mark}' is {what}; the source's brackets pair up")
