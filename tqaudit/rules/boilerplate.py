"""Boilerplate rules: scraped site chrome translated with the article.

Chrome is judged per *unit*, a sentence or a clause of the segment (split at sentence
punctuation, line breaks, bars, bullets and spaced dashes), never per segment: a share
prompt glued to the last sentence of an article is found, and a real sentence that
mentions subscribing is not. A unit is chrome when the pack phrases that count in it cover
at least ``min_share`` of its letters. A phrase counts where its entry says:

- by default only at the start of its unit (after bullets, quotes or brackets), or right
  after another phrase that counts (``Subscribe to VK RBC Receive news faster than
  anyone``): chrome speaks in the imperative and stands alone;
- with ``anywhere = true`` wherever it stands (``Your email address will not be
  published``: no sentence says that but a comment form);
- with ``rest = true`` it also claims the rest of its unit (``Read also:`` and the
  headline it links, ``Subscribe to our newsletter to get …``).

The packs are ``boilerplate.<lang>``; the source is read with the source language's pack,
so that chrome the source already had (BP002, info) is told apart from chrome in the
translation alone (BP001).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from tqaudit.chunk import Chunk
from tqaudit.packs import Pack, PackSet, sre_parse
from tqaudit.rules.base import (
    Applicability,
    Hit,
    Rule,
    chunk_memo,
    folds_unlike_its_case,
    group_by_languages,
    rows_with_literals,
    trie_alternation,
)
from tqaudit.rules.registry import register

# Where a unit ends: sentence punctuation and the spaces after it (CJK full stops need
# none), a CJK comma or semicolon (Chinese strings clauses with them: `…，扫二维码听录音`),
# a line break, a bar or bullet, a spaced dash, a closing lenticular bracket
# (`【この記事の画像を見る】 …`). The separators that open with spaces are not tried inside
# a run of spaces: from there they match only where they match from its start (and every
# match ends after the run), and trying each position of a long run was quadratic.
# Every separator opens with a space, a closing quote or a CJK comma, or right after
# sentence punctuation: the first line tests that once per position, so that inside a word
# the engine gives the position up before trying the alternatives (twice as fast).
_SEPARATOR_BODY = (
    r"(?<=[.!?…])['\"”’»)]*\s+|(?<=[。！？!?】])\s*"
    r"|(?:(?<!\s)|(?!\s))(?:\s*[，；]\s*|\s*[\r\n\t]+\s*|\s+[|｜•·▪►]\s*|\s+[-–—]\s+)"
)
_SEPARATOR = re.compile(rf"(?:(?=[\s'\"”’»)，；])|(?<=[。！？!?】]))(?:{_SEPARATOR_BODY})")
# A bracketed label opening a unit is a unit of its own (`(View images in this article)
# However, …`, `【この記事の画像を見る】 …`).
_LABEL = re.compile(r"[(\[【〔][^()\[\]【】〔〕]{1,60}[)\]】〕]\s*")
_LABEL_OPENERS = frozenset("([【〔")
_LETTER = re.compile(r"[^\W\d_]")
# The last letter of a text (each letter's look-ahead stops at the next letter: linear).
_LAST_LETTER = re.compile(r"[^\W\d_](?=[\W\d_]*\Z)")
# What may stand between two phrases that count (`Subscribe to VK RBC Receive …`): a name
# of up to two words, or punctuation.
_MAX_GAP_LETTERS = 12


Found = tuple[int, int, str, bool, bool]  # a phrase in a text: (start, end, phrase, anywhere, rest)


def _letters(text: str, start: int = 0, end: int | None = None) -> int:
    return len(_LETTER.findall(text, start, len(text) if end is None else end))


@dataclass(frozen=True)
class Matcher:
    """The phrases of one language: one pattern per kind of entry.

    ``groups`` holds the (anywhere, rest) flags of each kind with its (body, bounded)
    phrases; ``kinds`` pairs each one's compiled pattern with its flags.
    """

    groups: tuple[tuple[tuple[bool, bool], tuple[tuple[str, bool], ...]], ...]
    anchors: tuple[str, ...]  # case-folded literals, one of which every phrase contains
    unanchored: re.Pattern[str] | None  # the regex phrases without such a literal
    literals: tuple[str, ...] = ()  # the literals of ``anchors`` that hold no other one

    @cached_property
    def kinds(self) -> tuple[tuple[re.Pattern[str], bool, bool], ...]:
        """The patterns of ``groups``, compiled when a text is first matched (:meth:`matches`):
        the rows are picked by their literals without them (:meth:`may_match_rows`), and
        few of a language's texts, or none, hold one (the source languages' matchers are
        read only for a target with chrome). They are most of a matcher's cost: 49 of 56
        ms for the languages of the 8 WMT22 pairs."""
        return tuple((_phrases(bodies), *key) for key, bodies in self.groups)

    def may_match(self, text: str) -> bool:
        """A quick test that every text with a phrase passes (most texts have none)."""
        if _literal_tree(self.anchors).search(text.casefold()) or folds_unlike_its_case(text):
            return True
        return self.unanchored is not None and self.unanchored.search(text) is not None

    def may_match_rows(self, texts: Sequence[str]) -> list[int]:
        """The indices of the ``texts`` that :meth:`may_match` passes.

        Each literal is looked for in all the texts at once, case-folded
        (:func:`rows_with_literals`). A phrase matched case-blind has its literal in the
        case-folded text (`reſerved`, `праᲀа` fold to `reserved`, `права`) unless the text
        has a letter of ``FOLDS_UNLIKE_ITS_CASE``: such a text is kept."""
        if any("\n" in literal for literal in self.literals):
            return [i for i, text in enumerate(texts) if self.may_match(text)]
        found = rows_with_literals([text.casefold() for text in texts], self.literals)
        found.update(i for i, text in enumerate(texts) if folds_unlike_its_case(text))
        if self.unanchored is not None:
            found.update(i for i, text in enumerate(texts) if i not in found and self.unanchored.search(text))
        return sorted(found)

    def matches(self, text: str) -> list[Found]:
        """(start, end, text, anywhere, rest) for every phrase in ``text``, in order; of
        phrases that start together, one that claims the rest of its unit comes first, then
        the longest (``Subscribe to our Telegram channel`` before ``Subscribe``)."""
        found = [
            (m.start(), m.end(), m.group(), anywhere, rest)
            for pattern, anywhere, rest in self.kinds
            for m in pattern.finditer(text)
        ]
        return sorted(found, key=lambda f: (f[0], not f[4], -f[1], f[2]))


def _body(entry: dict[str, object]) -> str:
    pattern = str(entry["pattern"])
    return pattern if entry.get("regex") else re.escape(pattern)


def build_matcher(packs: Sequence[Pack]) -> Matcher | None:
    """One matcher for the entries of ``packs`` (None: no entries).

    Literal phrases match case-insensitively; as whole words unless a pack's header says
    ``word_boundaries = false`` (Chinese and Japanese write no spaces between words).
    """
    groups: dict[tuple[bool, bool], list[tuple[str, bool]]] = {}
    anchors: list[str] = []
    unanchored: list[str] = []
    for pack in packs:
        bounded = bool(pack.header.get("word_boundaries", True))
        for entry in pack.entries:
            body = _body(entry)
            anchor = _anchor(entry)
            if anchor:
                anchors.append(anchor)
            else:
                unanchored.append(body)
            key = (bool(entry.get("anywhere")), bool(entry.get("rest")))
            groups.setdefault(key, []).append((body, bounded))
    if not groups:
        return None
    kinds = tuple((key, tuple(bodies)) for key, bodies in sorted(groups.items()))
    # a literal that holds another is found only in texts that hold the other: left out of
    # the searches, which scan every text of a chunk once per literal (54 of 68 in English)
    distinct = tuple(sorted(set(anchors)))
    literals = tuple(a for a in distinct if not any(b != a and b in a for b in distinct))
    return Matcher(kinds, distinct, _alternation(unanchored) if unanchored else None, literals)


@cache
def _literal_tree(literals: tuple[str, ...]) -> re.Pattern[str]:
    """The ``literals`` as a prefix tree, to look for in a case-folded text (far faster than
    the case-insensitive phrases with their word boundaries, which are tried at every
    position). Compiled on first use: only :meth:`Matcher.may_match` reads it, and a
    chunk's rows are picked without it (:meth:`Matcher.may_match_rows`), so an audit
    does not pay for its compilation, a tenth of the rule's time on the rule_speed feed."""
    return re.compile(trie_alternation(literals) or "(?!x)x")


_META = frozenset("\\()[].*+?{}|^$")


def _anchor(entry: Mapping[str, Any]) -> str:
    """A case-folded literal that every match of ``entry`` contains ("" when none is known):
    the phrase itself, or the longest run of literal characters outside any group of a
    regex (a letter a quantifier makes optional left out), unless an alternative at the
    top level may match without it."""
    pattern = str(entry["pattern"])
    if not entry.get("regex"):
        return pattern.casefold()
    runs, run, depth, i = [], "", 0, 0
    while i < len(pattern):
        char = pattern[i]
        if depth == 0 and char not in _META:
            run, i = run + char, i + 1
            continue
        if depth == 0 and char in "*?{":  # the literal before it is optional
            run = run[:-1]
        runs.append(run)
        run = ""
        if char == "|" and depth == 0:
            return ""
        i = _skip(pattern, i)
        depth += (char == "(") - (char == ")")
    best = max([*runs, run], key=len)
    long_enough = len(best.strip()) >= 3 or any(ord(c) > 0x2E7F for c in best)  # CJK: one character
    return best.casefold() if long_enough else ""


def _skip(pattern: str, i: int) -> int:
    """The index after the metacharacter at ``pattern[i]``: an escape, a class and a
    counted repeat are skipped whole."""
    char = pattern[i]
    if char == "\\":
        return i + 2
    close = {"[": "]", "{": "}"}.get(char)
    if close is None:
        return i + 1
    found = pattern.find(close, i + 2 if char == "[" else i + 1)
    return len(pattern) if found < 0 else found + 1


def _phrases(bodies: Iterable[tuple[str, bool]]) -> re.Pattern[str]:
    """One case-insensitive pattern for the phrase ``bodies``, longest first; a bounded
    body matches as whole words only.

    When every body is bounded, the test that no letter stands before is made once per
    position, before the alternatives, instead of once per alternative: inside a word
    the position is given up at once (same matches, several times faster on long text)."""
    wrapped = {(rf"(?<!\w)(?:{b})(?!\w)" if bounded else b): (b, bounded) for b, bounded in bodies}
    ordered = sorted(wrapped, key=lambda w: (-len(w), w))
    heads = _heads(wrapped[w][0] for w in ordered)
    if not all(wrapped[w][1] for w in ordered):
        return re.compile(heads + "|".join(f"(?:{w})" for w in ordered), re.IGNORECASE)
    inner = "|".join(rf"(?:{wrapped[w][0]})(?!\w)" for w in ordered)
    return re.compile(rf"(?<!\w){heads}(?:{inner})", re.IGNORECASE)


def _heads(bodies: Iterable[str]) -> str:
    """A look-ahead for the characters the ``bodies`` can open with (``(?=[LlSs…])``), or
    "" when one of them can open with any character.

    Every phrase must pass it, so the matches are the same; but the alternatives, tried
    one by one, are now tried only where one of them can start instead of at every word
    (three times faster on a long text). Case is left to the pattern's IGNORECASE flag."""
    chars: set[str] = set()
    for body in bodies:
        first = _first_chars(sre_parse.parse(body).data)
        if first is None:
            return ""
        chars |= first
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])" if chars else ""


def _first_chars(parsed: list[Any]) -> set[str] | None:
    """The characters a match of the ``sre_parse`` tree ``parsed`` can open with; None when
    not known (a class with ranges or negation, a look-around, an optional first item)."""
    if not parsed:
        return None
    op, av = parsed[0]
    name = str(op)
    if name == "LITERAL":
        return {chr(av)}
    if name == "IN" and all(str(kind) == "LITERAL" for kind, _ in av):
        return {chr(code) for _, code in av}
    if name == "SUBPATTERN":
        return _first_chars(list(av[3]))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        return _first_chars(list(av[2]))
    if name == "BRANCH":
        chars: set[str] = set()
        for branch in av[1]:
            first = _first_chars(list(branch))
            if first is None:
                return None
            chars |= first
        return chars
    return None


def _alternation(bodies: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive pattern for ``bodies``, longest first."""
    ordered = sorted(set(bodies), key=lambda b: (-len(b), b))
    return re.compile("|".join(f"(?:{b})" for b in ordered), re.IGNORECASE)


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or clause of ``text``, spaces around it left out.

    One pass over the separators: a long segment has tens of thousands of units."""
    out: list[tuple[int, int]] = []
    pos = 0
    for sep in _SEPARATOR.finditer(text):
        if sep.start() > pos:
            _add_unit(text, pos, sep.start(), out)
        pos = max(pos, sep.end())
    if pos < len(text):
        _add_unit(text, pos, len(text), out)
    return out


def _add_unit(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Append the unit ``text[start:end]`` to ``out``, an opening bracketed label as a unit
    of its own, and nothing for a unit of only whitespace (units are never empty)."""
    if text[start] in _LABEL_OPENERS:
        label = _LABEL.match(text, start, end)
        if label is not None and label.end() < end:
            out.append((start, label.end()))
            start = label.end()
    if not text[start:end].isspace():
        out.append((start, end))


def _chrome_unit(
    text: str, span: tuple[int, int], found: list[Found], starts: list[int], share: float
) -> str:
    """The first phrase that counts when the unit ``span`` is chrome, else "".

    ``starts`` are the start offsets of ``found``: only the phrases that start inside the
    unit are read (reading them all for each unit was quadratic in a long segment)."""
    start, end = span
    inside = found[bisect.bisect_left(starts, start) : bisect.bisect_right(starts, end)]
    if not inside:  # no phrase: nothing counts (and most units of a long text have none)
        return ""
    total = _letters(text, start, end)
    if not total:
        return ""
    covered = 0
    last = start  # end of the last phrase that counted (the unit's start at first)
    first = ""
    for m_start, m_end, phrase, anywhere, rest in inside:
        if m_start < last or m_start < start or m_end > end:
            continue
        gap = _letters(text, last, m_start)
        counts = anywhere or gap == 0 or (last > start and gap <= _MAX_GAP_LETTERS)
        if not counts:
            continue
        covered += _letters(text, m_start, end if rest else m_end)
        first = first or phrase
        last = end if rest else m_end
        if rest:
            break
    return first if covered >= share * total else ""


@dataclass(frozen=True)
class Chrome:
    """Chrome in one target: its span (with the spaces that go with it), the phrase that
    gave it away, whether it is the whole segment, and whether the source is chrome too."""

    row: int
    start: int
    end: int
    phrase: str
    whole: bool
    in_source: bool


def chrome_spans(text: str, matcher: Matcher, share: float) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of each run of chrome units in ``text``."""
    found = matcher.matches(text)
    if not found:
        return []
    starts = [f[0] for f in found]
    spans: list[tuple[int, int, str]] = []
    for span in units(text):
        phrase = _chrome_unit(text, span, found, starts, share)
        if not phrase:
            continue
        if spans and not _LETTER.search(text, spans[-1][1], span[0]):
            spans[-1] = (spans[-1][0], span[1], spans[-1][2])
        else:
            spans.append((span[0], span[1], phrase))
    return spans


class _Finder:
    """Matchers per language over a PackSet, and the chunk's chrome (shared by BP001/BP002)."""

    def __init__(self, packs: PackSet, language: str, share: float):
        self.packs, self.language, self.share = packs, language, share
        self._matchers: dict[str, Matcher | None] = {}

    def matcher(self, lang: str) -> Matcher | None:
        if lang not in self._matchers:
            self._matchers[lang] = build_matcher(self.packs.for_languages("boilerplate", "", lang))
        return self._matchers[lang]

    def source_matchers(self, src: str) -> list[Matcher]:
        """The source language's matcher; every boilerplate pack's when it is unknown."""
        if src:
            return [m] if (m := self.matcher(src)) is not None else []
        langs = sorted({n.split(".", 1)[1] for n in self.packs.names() if n.startswith("boilerplate.")})
        return [m for lang in langs if "-" not in lang and (m := self.matcher(lang)) is not None]

    def find(self, chunk: Chunk) -> list[Chrome]:
        out: list[Chrome] = []
        for (src, tgt), rows in group_by_languages(chunk, self.language).items():
            matcher = self.matcher(tgt)
            if matcher is None:
                continue
            for i in matcher.may_match_rows([chunk.targets[row] for row in rows]):
                row = rows[i]
                text = chunk.targets[row]
                spans = chrome_spans(text, matcher, self.share)
                if spans:
                    in_source = self._source_is_chrome(chunk.sources[row], src)
                    letters = _letter_bounds(text)
                    out += [self._chrome(row, text, span, in_source, letters) for span in spans]
        return sorted(out, key=lambda c: (c.row, c.start))

    def _source_is_chrome(self, source: str, src: str) -> bool:
        return bool(source) and any(chrome_spans(source, m, self.share) for m in self.source_matchers(src))

    @staticmethod
    def _chrome(
        row: int, text: str, span: tuple[int, int, str], in_source: bool, letters: tuple[int, int]
    ) -> Chrome:
        """The chrome's span widened to the spaces that go with it, so deleting it leaves
        the rest of the segment clean (the spaces before it, or after it at the start).

        ``letters`` are the offsets of the text's first letter and after its last
        (:func:`_letter_bounds`): the text around the span is never copied, so that a
        segment of many chrome units costs its length once, not once per unit."""
        start, end, phrase = span
        before = start - _space_before(text, start)
        after = _space_after(text, end) - end
        whole = letters[0] >= start and letters[1] <= end
        if whole:
            start, end = 0, len(text)
        elif start - before > 0:
            start -= before
            end += after if end + after == len(text) else 0
        else:
            end += after
        return Chrome(row, start, end, phrase, whole, in_source)


def _letter_bounds(text: str) -> tuple[int, int]:
    """(offset of the first letter, offset after the last letter) of ``text``; (len, 0)
    when it has none, so that every span holds all of its letters."""
    first = _LETTER.search(text)
    if first is None:
        return len(text), 0
    last = _LAST_LETTER.search(text)
    return first.start(), last.end() if last else len(text)


def _space_before(text: str, pos: int) -> int:
    """Where the whitespace that ends ``text[:pos]`` starts (``str.rstrip``'s whitespace)."""
    while pos and text[pos - 1].isspace():
        pos -= 1
    return pos


def _space_after(text: str, pos: int) -> int:
    """Where the whitespace that starts ``text[pos:]`` ends (``str.lstrip``'s whitespace)."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


class _ChromeRule(Rule):
    """What BP001 and BP002 share: options, and the chunk's chrome, found once for both."""

    category = "boilerplate"
    options = {"language": "en", "min_share": 0.6}
    option_docs = {
        "language": "target language assumed for segments without a tgt_lang (picks the "
        "boilerplate.<lang> pack)",
        "min_share": "fraction of a sentence's letters that the phrases which count must cover "
        "for the sentence to be chrome (BP001 and BP002 read it alike: set both)",
    }

    def prepare(self) -> None:
        self._finder = _Finder(self.packs, self.opts["language"], self.opts["min_share"])

    def chrome(self, chunk: Chunk) -> list[Chrome]:
        key = ("boilerplate", id(self.packs), self.opts["language"], self.opts["min_share"])
        return chunk_memo(chunk, key, lambda: self._finder.find(chunk))


def _where(chrome: Chrome) -> str:
    return "the whole segment" if chrome.whole else "beside real text"


@register
class ScrapedBoilerplate(_ChromeRule):
    """Site chrome in the translation (`Leave a Reply`, `Subscribe to our channel`).

    ## What it does
    Flags comment forms, share and subscribe prompts, cookie banners and their buttons,
    related-posts and read-also links, app-download and QR prompts, log-in prompts,
    advertisement labels and newsletter sign-ups listed in the `boilerplate.<lang>` pack of
    the target language, sentence by sentence: chrome appended to a real sentence is found
    with its own offsets. When the source is chrome too, BP002 reports it instead.

    ## Why is this bad?
    Scrapers collect the page around an article and MT translates it too; the published
    article then ends with "Leave a Reply" and "Your email address will not be published".

    ## Example
    Target: `The talks will resume on Monday, said the minister. Subscribe to our Telegram channel`

    Use instead: `The talks will resume on Monday, said the minister.`

    ## Known problems
    Only the pack's phrases are known; chrome in other words is missed. A sentence that
    starts with a prompt phrase (`Sign up for our newsletter …`) is chrome to the rule even
    inside a text that quotes one.

    ## Fix safety
    Unsafe: the fix deletes the chrome (with the space before it); when the judgement is
    wrong it deletes a real sentence, so a person applies it (`--unsafe-fixes`).
    """

    code = "BP001"
    name = "scraped-boilerplate"
    severity = "error"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for c in self.chrome(chunk):
            if not c.in_source:
                text = chunk.targets[c.row][c.start : c.end].strip()
                yield Hit(
                    c.row, c.start, c.end, f"Scraped boilerplate '{c.phrase}' ({_where(c)}): '{text}'", ""
                )


@register
class SourceBoilerplate(_ChromeRule):
    """The source is site chrome, and the translation renders it faithfully.

    ## What it does
    Reports the chrome that BP001 would report when the source segment holds chrome of its
    own language too (its `boilerplate.<src>` pack; every pack when the source language is
    unknown).

    ## Why is this bad?
    The translation is right; the feed is wrong: the scraper kept the page's chrome and it
    went to translation. Clean the source feed; nothing is wrong with the MT.

    ## Example
    Source: `Подписывайтесь на наш канал в Telegram`
    Target: `Subscribe to our Telegram channel`

    Use instead: drop the segment from the feed (source and translation).

    ## Known problems
    The source is judged by its own pack, so chrome the source pack does not know is
    reported by BP001 as if MT had added it.

    ## Fix safety
    Display only: deleting the translation alone would leave the source's chrome behind.
    """

    code = "BP002"
    name = "source-boilerplate"
    severity = "info"
    fix = Applicability.DISPLAY_ONLY

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for c in self.chrome(chunk):
            if c.in_source:
                text = chunk.targets[c.row][c.start : c.end].strip()
                message = f"The source is site chrome too: '{text}' translates it faithfully (clean the feed)"
                yield Hit(c.row, c.start, c.end, message, "")
