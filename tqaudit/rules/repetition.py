"""Repetition rules: doubled words and the phrase loops of degenerate MT decoding.

A repetition the source itself has (`Payment Payment`, Japanese `マヨマヨ`) is the
translator's faithful copy: every rule here stays silent on it (:func:`source_repeats`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, pairwise
from operator import eq, ne
from typing import Any

import numpy as np

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, chunk_memo, regex_hits, remap
from tqaudit.rules.registry import register

# A back-to-back repeat in a source: a word or a run of up to eight words written twice
# (spaced scripts), or a run of Han/kana/hangul characters written twice, perhaps with a
# mark between (`マヨマヨ`, `谢谢，谢谢`, `何度も何度も`). A single doubled ideograph (`天天`,
# `看看`) and two doubled hiragana (`だんだん`, `まだまだ`) are words of the language.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_CJK_NO_HIRAGANA = r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
# (Case-blind only where case exists: the ideograph classes compiled case-blind cost 15 ms
# of every run's start.)
_SOURCE_REPEAT = re.compile(
    r"(?i:(?<![\w-])(?P<w>\w+(?:\W{1,3}\w+){0,7})\W{1,3}(?P=w)(?![\w-]))"
    rf"|(?P<c>{_CJK_NO_HIRAGANA}{{2,12}}|{_CJK}{{3,12}})\W{{0,2}}(?P=c)"
)


@functools.lru_cache(maxsize=256)  # asked once per repeated pair of a row: one source, read once
def source_repeats(source: str) -> bool:
    """Whether ``source`` repeats a word, a phrase or a run of ideographs back to back.

    Numbers do not count (`9,9 %`, `1:1`): a unit needs a letter.
    """
    return any(any(c.isalpha() for c in m.group()) for m in _SOURCE_REPEAT.finditer(source))


# A word as the repetition rules count it: letters and digits, with inner hyphens and
# apostrophes (`low-power`, `don't` are one word, so `что что-то` is no repeat).
# Possessive: nothing follows the word in the pattern, so its first match is the longest
# and never backed off (the matches are those of `\w+(?:[-'’]\w+)*`); findall runs an
# eighth faster without the backtracking points.
_WORD = re.compile(r"\w++(?:[-'’]\w++)*+")
_FULL_STOP = re.compile(r"[.!?…。！？]")
# The one letter whose case folding differs from that of its lower case as the regex
# engine takes it (`İ` folds to `i̇`, matches `i`): a target with it is always read whole.
_FOLDS_APART = "\u0130"


def target_words(chunk: Chunk) -> list[list[str] | None]:
    """The words of each target as the repetition rules compare them (:data:`_WORD`, case
    folded), None for a target without the trace of a back-to-back repeat that
    :func:`_may_repeat` looks for (most targets: nothing repeats there).

    Computed once per chunk for RP001-RP005. A doubled word of RP001 (a pattern with a
    case-insensitive back reference) is two equal neighbours here; the second and third
    copies of a loop of RP002 (whole words of the target) are a unit of one, two or more
    words written twice; so is a phrase of RP003-RP005. The rules read only the targets
    kept here (and those with :data:`_FOLDS_APART`).
    """
    return chunk_memo(chunk, "words", lambda: list(map(_repeating_words, chunk.targets)))


# The characters whose case folding is not a run of word characters (for a word character)
# or one character of the same kind (for a hyphen or apostrophe of :data:`_WORD`, or another
# character): `İ` folds to `i` and a combining dot, Greek `ῶ` to `ω` and a combining accent
# (a superset of them, from the Unicode data: tests/rules/test_repetition.py enumerates it).
_FOLDS_UNLIKE = re.compile("[\u0130\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50-\u1f56\u1fb6-\u1ff7]")


def folded_words(text: str) -> list[str]:
    """The words of ``text`` (:data:`_WORD`), case folded.

    Without a character of :data:`_FOLDS_UNLIKE` the words of the case-folded text are the
    case-folded words, found in one pass (a word per ``str.casefold`` call cost an eighth of
    RP001-RP005): folding is per character without context, and turns each run of word
    characters into a (perhaps longer) run of word characters and each other character into
    one of its kind, which is all that decides where :data:`_WORD` starts and ends a word.
    (Each of those characters folds to a non-ASCII one: an ASCII folding has none.)"""
    folded = text.casefold()
    if folded.isascii() or not _FOLDS_UNLIKE.search(text):
        return _WORD.findall(folded)
    return list(map(str.casefold, _WORD.findall(text)))


# Texts of at least this many characters skip the counts that only rule texts out (the runs
# of :func:`_repeating_words`, :func:`_may_loop` of RP002): a long text almost always has
# what they look for, and would be read twice.
_COUNT_BELOW = 20_000


def _repeating_words(text: str) -> list[str] | None:
    runs_first = len(text) < _COUNT_BELOW and text.isascii()
    if runs_first and not _may_repeat(text.encode().translate(_ASCII_RUNS).split()):
        return None
    words = folded_words(text)
    return words if _may_repeat(words) else None


# An ASCII text's letters and digits lower-cased and every other character a space (hyphens
# and apostrophes too): its runs of word characters, split by ``bytes.split`` at a third of
# the cost of :data:`_WORD`'s pass. A word of :data:`_WORD` is one run or several joined
# (`don't`): a unit written twice in words is one written twice in runs, so a text whose
# runs show none (:func:`_may_repeat`) has none in words (most texts, three in four ASCII).
# (A table of ``bytes.translate``: the bytes over 127, never in an ASCII text, are as good.)
_ASCII_RUNS = bytes(ord(c.lower()) if c.isalnum() or c == "_" else 32 for c in map(chr, range(256)))


def _may_repeat(words: Sequence[Hashable]) -> bool:
    """Whether ``words`` hold a unit written twice back to back: a word doubled (`the
    the`), a pair (`a b a b`), or a unit of three or more words, whose first three words
    then occur twice. Three words that occur twice are rarer than a pair that does (`of
    the`): RP002 and RP003 analyse a third of the targets a repeated pair keeps."""
    if len(set(words)) == len(words):
        return False
    if any(map(eq, words, words[1:])):
        return True
    pairs = list(pairwise(words))
    if len(set(pairs)) == len(pairs):
        return False  # most targets with a repeated word
    if len(words) >= _VECTOR_WORDS:
        return True  # a long segment almost always holds three words twice: not counted
    if any(map(eq, pairs, pairs[2:])):
        return True
    return len(set(zip(words, words[1:], words[2:], strict=False))) < len(words) - 2  # three words


def _doubled(words: list[str] | None) -> bool:
    """Whether two neighbouring words are equal."""
    return words is not None and any(map(eq, words, words[1:]))


@dataclass(frozen=True)
class _Allowed:
    """A doubled word that grammar allows, where its context matches (pack entry).

    ``before`` must match the end of the text before the pair and ``after`` the start of
    the text after it (whitespace next to the pair left out), in any case; "" matches
    anything. They are compiled when a pair of the word is first found (the pack's load
    has checked them): most of the pack's words are never doubled in a feed.
    """

    before: str
    after: str

    @functools.cached_property
    def _before(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{self.before})\Z", re.IGNORECASE)

    @functools.cached_property
    def _after(self) -> re.Pattern[str]:
        return re.compile(self.after, re.IGNORECASE)

    def matches(self, text: str, start: int, end: int) -> bool:
        """``before`` ends where the text before the pair ends (its whitespace left out);
        ``after`` starts where the text after it starts. Each reads at most ``CONTEXT``
        characters, so a segment of many pairs is not read once per pair."""
        if self.before:
            stop = _skip_space_back(text, start)
            if not self._before.search(text, max(0, stop - CONTEXT), stop):
                return False
        if not self.after:
            return True
        begin = _skip_space(text, end)
        return self._after.match(text[begin : begin + CONTEXT]) is not None


def _allowed_pairs(entries: Iterable[dict[str, Any]]) -> dict[str, dict[str, list[_Allowed]]]:
    """``{language: {word: [contexts]}}`` from the repetition pack's entries."""
    out: dict[str, dict[str, list[_Allowed]]] = {}
    for entry in entries:
        allowed = _Allowed(str(entry.get("before") or ""), str(entry.get("after") or ""))
        for lang in entry.get("languages", ["*"]):
            out.setdefault(str(lang), {}).setdefault(str(entry["pattern"]).casefold(), []).append(allowed)
    return out


# Characters of context a pack's ``before``/``after`` pattern sees beside a pair (theirs are
# single words; reading the whole text before each pair was quadratic in a long segment).
CONTEXT = 256
_SPACE_RUN = re.compile(r"\s*")


def _skip_space(text: str, pos: int) -> int:
    """The first position at or after ``pos`` that is not whitespace (``str.lstrip``'s)."""
    match = _SPACE_RUN.match(text, pos)
    return match.end() if match else pos


def _skip_space_back(text: str, pos: int) -> int:
    """The end of ``text[:pos].rstrip()``, without copying the text before ``pos``."""
    while pos and text[pos - 1].isspace():
        pos -= 1
    return pos


def _starts_with_word(text: str, word: str, pos: int = 0) -> bool:
    """Whether ``text`` has ``word`` as a whole word at ``pos`` (case-insensitively)."""
    return _whole_word(word).match(text, pos) is not None


@functools.lru_cache(maxsize=1024)  # a segment of many doubled words doubles few distinct ones
def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(word)}(?![\w'’-])", re.IGNORECASE)


@functools.lru_cache(maxsize=256)  # asked once per capitalised pair of a row
def _cjk_source(source: str) -> bool:
    return bool(scripts.CJK & set(scripts.script_counts(source)))


def _name_or_emphasis(
    words: list[str],
    sentence_start: bool,
    function_words: frozenset[str],
    source: str,
    syllable: re.Pattern[str] | None,
) -> bool:
    """``Run Run`` is a name (Sir Run Run Shaw, Han Han); ``sehr SEHR`` is emphasis.

    A doubled name comes from a source that writes it in another script without a visible
    repeat (韩寒 → Han Han); a source in an alphabet writes a reduplicated name twice too
    (``Run Run``), which the source-repeat test already excuses. So a capitalised pair is a
    name only for a CJK source (or none), and only when the word is one syllable of a
    romanised Chinese name (``syllable``, the pack's `reduplicated_name`): after `Norfolk`
    of a Czech source, `Norfolk Norfolk` is a decoding slip, and so is `Ginza Ginza` of a
    Japanese one. At the start of a sentence a capitalised pair is a name only when the
    word is not a function word (``The The protests``, ``It it stops``).
    """
    first, second = words[0], words[-1]
    if second.isupper() and not first.isupper() and len(second) > 1:
        return True
    if not (first[:1].isupper() and second[:1].isupper()):
        return False
    if source.strip() and not _cjk_source(source):
        return False
    if syllable is not None and not syllable.fullmatch(first):
        return False
    return not sentence_start or first.casefold() not in function_words


@register
class RepeatedWord(Rule):
    """The same word twice in a row (`the the`).

    ## What it does
    Flags a word immediately repeated (case-insensitively) when the source does not
    repeat anything itself. Pairs that grammar allows are listed per language in the
    `repetition` pack, with the context they need: `had had` (past perfect of *have*),
    `that that` unless a pronoun or article follows, a particle followed by the same
    preposition after its verb (`come in in time`, `looking for for days`), German
    `die die`/`das das` inside a sentence, French `nous nous`. Intensifiers (`very very`,
    `really really`) and `so so` are style, not errors, and are listed too. A word joined
    to a hyphenated word (`что что-то`, `low-power power line`) is no repeat.

    ## Why is this bad?
    A doubled word is a typical decoding slip of neural MT and reads as careless.

    ## Example
    Source: `Протесты начались 2 января.`
    Target: `The the protests began on January 2.`

    Use instead:
    `The protests began on January 2.`

    ## Known problems
    Reduplication for emphasis in informal text beyond the listed words; add such words
    to a user pack. A number alone is never flagged (a score: `5 5`), a word with digits is
    (`31st 31st`, `COVID-19 COVID-19`). A capitalised pair translated from a CJK source
    is taken for a name when the word is one pinyin syllable (`Han Han` for 韩寒;
    `reduplicated_name` in the pack; at the start of a sentence only when the word is not a
    function word listed in the pack), so a brand named by a doubled English word
    (`Want Want` for 旺旺) is flagged; a repetition in capitals (`sehr SEHR gut`) is
    emphasis. Both are flagged when the word is written three times (`Kakhovka Kakhovka
    Kakhovka`): no name or grammar repeats thrice. Words keep inner apostrophes and
    hyphens (`don't don't`). A source with any back-to-back repeat (`Payment Payment`,
    `マヨマヨ`) silences the rule for its target, except for a doubled function word (`the
    the`), which no source repetition explains.
    A word after a hyphenated word ending in it is never flagged: `high-power power line`
    is right, `cross-border border trade` (an MT slip) is missed with it.

    ## Fix safety
    Unsafe: the second word is deleted, which is wrong where the repetition is intended.
    """

    code = "RP001"
    name = "repeated-word"
    category = "repetition"
    severity = "warning"
    fix = Applicability.UNSAFE
    # a word of letters, or of letters and digits (`31st`, `COVID-19`, `50KM`); not a number
    # alone (`5 5` may be a score). Possessive: a shorter word cannot be followed by a
    # space, so backing off is wasted work.
    _pattern = re.compile(
        r"(?<![\w'’-])(?P<word>(?=[\w'’-]*?[^\W\d_])[^\W_]++(?:['’-][^\W_]++)*+)"
        r"(?P<rest>\s+(?P=word))(?![\w'’-])",
        re.IGNORECASE,
    )

    def prepare(self) -> None:
        pack = self.packs.get("repetition")
        self._allowed = _allowed_pairs(pack.entries if pack else ())
        words = pack.header.get("function_words", {}) if pack else {}
        self._function_words = {lang: frozenset(w.casefold() for w in ws) for lang, ws in words.items()}
        syllable = pack.header.get("reduplicated_name") if pack else None
        self._name_syllable = re.compile(syllable, re.IGNORECASE) if syllable else None

    def _contexts(self, lang: str, word: str) -> list[_Allowed]:
        if not lang:  # no language: any language's allowance counts
            return [a for table in self._allowed.values() for a in table.get(word, [])]
        return self._allowed.get(lang, {}).get(word, []) + self._allowed.get("*", {}).get(word, [])

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        texts = chunk.targets
        shared = target_words(chunk)
        rows = [r for r, t in enumerate(texts) if _doubled(shared[r]) or _FOLDS_APART in t]
        found = regex_hits(
            [texts[r] for r in rows], self._pattern, "Word '{word}' is repeated", lambda m: m.group("word")
        )
        for hit in remap(found, rows):
            text = texts[hit.row]
            words = text[hit.start : hit.end].split()
            lang = scripts.base_language(chunk.tgt_langs[hit.row])
            word = words[0].casefold()
            function_words = self._function_words.get(lang, frozenset())
            if self._tripled(text, words[0], hit.end):  # `to to to`: neither grammar nor a name
                if word in function_words or not source_repeats(chunk.sources[hit.row]):
                    yield hit
                continue
            if any(a.matches(text, hit.start, hit.end) for a in self._contexts(lang, word)):
                continue
            before = _skip_space_back(text, hit.start)
            sentence_start = hit.start == 0 or text[before - 1 : before] in '.!?"“«„:'
            source = chunk.sources[hit.row]
            if _name_or_emphasis(words, sentence_start, function_words, source, self._name_syllable):
                continue  # a name is written twice at most (`Sir Run Run Shaw`)
            # a repetition of the source may be copied, but never as a doubled function word
            if word not in function_words and source_repeats(source):
                continue
            yield hit

    @staticmethod
    def _tripled(text: str, word: str, end: int) -> bool:
        """Whether ``word`` is written a third time after the pair that ends at ``end``."""
        return _starts_with_word(text, word, _skip_space(text, end))


_LETTERS = re.compile(r"[^\W\d_]+")


# The most words in a unit of RP002's loop.
_LOOP_WORDS = 8


def _may_loop(text: str, least: int) -> bool:
    """Whether ``text`` has a word written ``least`` times at equal distances (in words) of
    at most :data:`_LOOP_WORDS`: the first word of a loop's unit is. Most texts are ruled
    out by their count of repeated words, before any word is counted; the distances are
    bounded by the unit, not by the text (`the` six times in a long text was 15 pairs).
    A text with :data:`_FOLDS_APART` is not counted: folded, `İstanbul` is two words."""
    if _FOLDS_APART in text:
        return True
    words = _LETTERS.findall(text.casefold())
    if len(words) - len(set(words)) < least - 1:
        return False
    frequent = {w for w, n in Counter(words).items() if n >= least}
    if not frequent:
        return False
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        if word in frequent:
            positions.setdefault(word, []).append(i)
    for found in positions.values():
        at = set(found)
        for x, a in enumerate(found):
            for b in found[x + 1 :]:
                if b - a > _LOOP_WORDS:
                    break
                if all(a + j * (b - a) in at for j in range(2, least)):
                    return True
    return False


@register
class RepetitionLoop(Rule):
    """Phrase repeated four or more times in a row (`next year next year …`).

    ## What it does
    Flags a sequence of one to eight words that repeats back to back at least
    `min_repeats` times (default 4; rhetoric such as "never, never, never" repeats
    three), the signature of an MT decoder stuck in a loop.

    ## Why is this bad?
    Degenerate repetition is a hallucination: the translation stops carrying the source's
    meaning and fills the segment with a loop, often dropping the rest of the sentence.

    ## Example
    Source: `Военные заняли аэропорт.`
    Target: `The military took the airport the airport the airport the airport.`

    Use instead:
    `The military took the airport.`

    ## Known problems
    Song lyrics and chants ("go, go, go") repeat on purpose; raise `min_repeats` or
    ignore the rule for such content. A word repeated with a conjunction ("again and
    again and again and again") is rhetoric; the conjunctions are listed per language in
    the `repetition` pack (`rhetorical_joiners`).
    """

    code = "RP002"
    name = "repetition-loop"
    category = "repetition"
    severity = "error"
    options = {"min_repeats": 4}
    option_docs = {"min_repeats": "how many back-to-back copies of a phrase make a loop (at least 2)"}

    def prepare(self) -> None:
        copies = max(2, self.opts["min_repeats"]) - 1
        self._loop = re.compile(
            rf"(?<!\w)(?P<unit>[^\W\d_]+(?:[\s,;]+[^\W\d_]+){{0,{_LOOP_WORDS - 1}}}?)"
            rf"(?:[\s,;]+(?P=unit)(?!\w)){{{copies},}}",
            re.IGNORECASE,
        )
        pack = self.packs.get("repetition")
        self._joiners = {w.casefold() for w in (pack.header.get("rhetorical_joiners", []) if pack else [])}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        texts = chunk.targets
        joiners = self._joiners
        # the first word of a loop's unit occurs min_repeats times, a unit apart: only
        # such rows meet the regex
        least = max(2, self.opts["min_repeats"])
        rows: Sequence[int] = range(len(texts))
        if least >= 4:  # the second and third copies are then whole words of the target
            shared = target_words(chunk)
            rows = [r for r in rows if shared[r] is not None or _FOLDS_APART in texts[r]]
        # the pattern itself is linear: a long text (which almost always has some word
        # three times at equal distances) goes to it without the count
        rows = [r for r in rows if len(texts[r]) >= _COUNT_BELOW or _may_loop(texts[r], least)]
        for sub in regex_hits([texts[r] for r in rows], self._loop, ""):
            hit = Hit(rows[sub.row], sub.start, sub.end, "")
            text = texts[hit.row][hit.start : hit.end]
            words = text.replace(",", " ").replace(";", " ").split()
            if len(words) > 1 and words[1].casefold() in joiners:  # "again and again and again"
                continue
            yield Hit(hit.row, hit.start, hit.end, f"Repetition loop '{' '.join(text.split())}'")


@dataclass(frozen=True)
class Repeat:
    """A unit of two or more words written ``copies`` times back to back in one target.

    ``start``/``end`` span every copy; ``unit`` is the first copy as written; ``gaps`` the
    text between consecutive copies; ``whole`` whether the first copy starts and the last
    ends at a sentence or clause boundary (`He said no. He said no.`).
    """

    row: int
    start: int
    end: int
    unit: str
    words: int
    copies: int
    gaps: tuple[str, ...]
    whole: bool

    @property
    def spaced(self) -> bool:
        """Whether only whitespace stands between the copies (`the report on the report on`)."""
        return all(not g.strip() for g in self.gaps)


_MIN_WORDS = 2


def _periodic(unit: Sequence[str]) -> bool:
    """Whether ``unit`` is itself a shorter unit repeated (`go go`, `a b a b`)."""
    k = len(unit)
    return any(k % p == 0 and unit[p:] == unit[:-p] for p in range(1, k // 2 + 1))


class RunReach:
    """The runs found so far, asked whether one holds a span: the furthest end of the runs
    that start at or before a word, as a Fenwick tree of maxima (log n a question; a list of
    runs scanned for each was quadratic on a document pasted forty times into one cell)."""

    def __init__(self, words: int) -> None:
        self.tree = [0] * (words + 1)

    def add(self, start: int, end: int) -> None:
        """A run of words ``start`` to ``end`` (exclusive)."""
        i = start + 1
        while i < len(self.tree):
            if self.tree[i] < end:
                self.tree[i] = end
            i += i & -i

    def reach(self, word: int) -> int:
        """The furthest end of a run starting at or before ``word`` (0: none)."""
        tree, i, best = self.tree, word + 1, 0
        while i > 0:
            if tree[i] > best:
                best = tree[i]
            i &= i - 1  # drop the lowest set bit
        return best


def _tandem_repeats(text: str, max_words: int, words: list[str] | None = None) -> list[tuple[int, int, int]]:
    """(first word, unit length, end word) of each periodic run of 2+ words.

    Words ``first`` to ``end`` (exclusive) repeat with period ``k``: at least two copies.

    Words are compared case-insensitively, punctuation between them ignored. A repeat
    whose unit is itself a repeat of a shorter unit (`go go go go`) belongs to the
    shorter period (RP001/RP002) and is left out; each word is in at most one repeat.
    """
    if words is None:
        words = folded_words(text)
    n = len(words)
    if len(set(words)) == n:
        return []  # no word occurs twice: no unit can repeat
    codes = _codes(words) if n >= _VECTOR_WORDS else None
    periods = _pair_periods(words, max_words) if codes is None else _coded_periods(codes, max_words)
    if not periods:
        return []  # no word pair occurs twice: no unit of 2+ words can repeat
    periods.add(1)
    runs = RunReach(n)
    out: list[tuple[int, int, int]] = []
    for k in sorted(periods):
        i = 0
        for first, last in _blocks(words, codes, k):
            if last < i:
                continue  # inside the run found last
            start = max(first, i)
            end = last + 1 + k  # the words from start to end repeat with period k
            inside = runs.reach(start) >= end  # `go go go go` at k=2
            if end - start >= 2 * k and not inside and not _periodic(words[start : start + k]):
                runs.add(start, end)
                if k >= _MIN_WORDS:
                    out.append((start, k, end))
                i = end
            else:
                # a later start of the block has the same end, a rotation of the same
                # unit and is as short or as inside: it fails too (retrying each was quadratic)
                i = last + 2
    return out


def _pair_periods(words: list[str], most: int) -> set[int]:
    """The distances up to ``most`` between two places of one word pair (empty when no
    pair occurs twice)."""
    pairs = list(pairwise(words))
    if len(set(pairs)) == len(pairs):
        return set()
    repeated = {pair for pair, count in Counter(pairs).items() if count > 1}
    seen: dict[tuple[str, str], list[int]] = {}
    for i in compress(range(len(pairs)), map(repeated.__contains__, pairs)):
        seen.setdefault(pairs[i], []).append(i)
    periods: set[int] = set()
    for positions in seen.values():
        periods.update(_distances(positions, most))
    return periods


def _coded_periods(codes: np.ndarray, most: int) -> set[int]:
    """:func:`_pair_periods` of a long segment's word ``codes``, distance by distance in
    numpy: a pair comes back ``d`` words on where two consecutive words each equal the word
    ``d`` on (no tuple per pair, no list of places per pair)."""
    periods: set[int] = set()
    for d in range(1, min(most, len(codes) - 2) + 1):
        same = codes[d:] == codes[:-d]
        if (same[1:] & same[:-1]).any():
            periods.add(d)
    return periods


def _codes(words: list[str]) -> np.ndarray:
    """The words as integers (equal words, equal codes), for comparisons in numpy."""
    ids: dict[str, int] = {}
    return np.fromiter((ids.setdefault(w, len(ids)) for w in words), dtype=np.int64, count=len(words))


def _blocks(words: list[str], codes: np.ndarray | None, k: int) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive positions whose word comes back ``k`` words
    on, left out when shorter than ``k`` positions: the words ``first`` to ``last + k`` then
    repeat with period ``k``, and a run needs ``k`` such positions to hold two copies.

    Most positions where a word comes back stand alone (`the` ... `the`): keeping only the
    long runs leaves the search a few candidates, not a Python step per position. With
    ``codes`` (a long segment: up to 200 periods of its length) the runs are found in numpy.
    """
    if codes is None:
        starts = list(compress(range(len(words) - k), map(eq, words, words[k:])))
        if not starts:
            return []
        firsts = [p for p, q in zip(starts, [-2, *starts[:-1]], strict=True) if p != q + 1]
        lasts = [p for p, q in zip(starts, [*starts[1:], -2], strict=True) if q != p + 1]
        return [(f, last) for f, last in zip(firsts, lasts, strict=True) if last - f + 1 >= k]
    found = np.flatnonzero(codes[k:] == codes[:-k])
    if not len(found):
        return []
    breaks = np.flatnonzero(np.diff(found) != 1)
    heads = found[np.concatenate(([0], breaks + 1))]
    tails = found[np.concatenate((breaks, [len(found) - 1]))]
    keep = tails - heads + 1 >= k
    return list(zip(heads[keep].tolist(), tails[keep].tolist(), strict=True))


# Segments of at least this many words compare their words in numpy.
_VECTOR_WORDS = 2000


def _distances(positions: list[int], most: int) -> set[int]:
    """The distances up to ``most`` between any two of ``positions`` (ascending).

    Each position is compared with the ones up to ``most`` after it only; a long list
    (a long segment's common pair) is compared shift by shift in numpy, which stops at
    the first shift whose every distance is over ``most``.
    """
    found: set[int] = set()
    if len(positions) < _VECTOR_AT:
        for x, a in enumerate(positions):
            for b in positions[x + 1 :]:
                if b - a > most:
                    break
                found.add(b - a)
        return found
    array = np.asarray(positions, dtype=np.int64)
    for shift in range(1, len(positions)):
        gaps = array[shift:] - array[:-shift]
        near = gaps[gaps <= most]
        if not len(near):
            break  # distances grow with the shift
        found.update(np.flatnonzero(np.bincount(near)).tolist())
    return found


# Position lists at least this long are compared in numpy (shorter ones: the setup costs more).
_VECTOR_AT = 64


def find_repeats(chunk: Chunk, max_words: int, joiners: frozenset[str]) -> list[Repeat]:
    """Every back-to-back repeat of 2 to ``max_words`` words in the chunk's targets.

    Repeats the source has too, units without a word of two letters (`10 20 10 20`,
    `1 к 1 к`) and rhetoric made of a word and a conjunction (`again and again and`) are
    left out. Searched once per chunk: RP003, RP004 and RP005 read the same repeats.
    """
    key = ("repeats", max_words, joiners)
    return chunk_memo(chunk, key, lambda: _find_repeats(chunk, max_words, joiners))


def _find_repeats(chunk: Chunk, max_words: int, joiners: frozenset[str]) -> list[Repeat]:
    """The repeats of :func:`find_repeats`, computed."""
    found: list[Repeat] = []
    for row, words in enumerate(target_words(chunk)):
        if words is None:
            continue  # no pair of words occurs twice: nothing repeats
        text = chunk.targets[row]
        repeats = _tandem_repeats(text, max_words, words)
        if not repeats:
            continue
        spans, gaps = _layout(text)
        for run_start, k, run_end in repeats:
            words = [text[s:e].casefold() for s, e in spans[run_start : run_start + k]]
            if not any(sum(c.isalpha() for c in w) >= 2 for w in words):
                continue
            if k == 2 and words[1] in joiners:  # `again and again and`: rhetoric
                continue
            first, copies = _best_rotation(text, spans, gaps, run_start, k, run_end)
            if copies < 2 or source_repeats(chunk.sources[row]):
                continue
            found.append(_repeat(row, text, spans, first, k, copies))
    return found


def _layout(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """The (start, end) of each word of ``text`` and the text between each word and the
    next, each run of whitespace written as one space and case folded (:func:`_gap`).

    Two passes in C (the words and what separates them) and sums of their lengths: a
    long segment's run of repeats is read without a match object or a slice per word."""
    words = _WORD.findall(text)
    pieces = _WORD.split(text)  # before the first word, between words, after the last
    lengths = list(map(len, chain.from_iterable(zip(pieces[:-1], words, strict=True))))
    bounds = list(accumulate(lengths))
    spans = list(zip(bounds[0::2], bounds[1::2], strict=True))
    folded = {piece: _gap(piece) for piece in set(pieces)}
    return spans, list(map(folded.__getitem__, pieces[1:-1]))


def _best_rotation(
    text: str,
    spans: Sequence[tuple[int, int]],
    gaps: Sequence[str],
    run_start: int,
    k: int,
    run_end: int,
) -> tuple[int, int]:
    """(first word, copies) of the unit that best reads a periodic run.

    `"living town" "living town"` has the period 2 from `town" "living` on too; the unit
    chosen has the most copies written alike, then starts after a mark or the text's start.
    """
    best = (0, False, 0)
    first = run_start
    unlike = _unlike_gaps(gaps, run_start, k, run_end)
    for s in range(run_start, run_start + k):
        copies = (run_end - s) // k
        if copies < 2:
            break
        same = _same_copies(unlike, s, k, copies)
        after_mark = s == 0 or bool(text[spans[s - 1][1] : spans[s][0]].strip())
        if (same, after_mark) > best[:2]:
            best, first = (same, after_mark, s), s
    return first, best[0]


def _gap(text: str) -> str:
    """The text between two words as a copy is compared: case folded, each run of
    whitespace one space (what ``" ".join(copy.casefold().split())`` makes of it)."""
    return _SPACES.sub(" ", text.casefold())


_SPACES = re.compile(r"\s+")


def _unlike_gaps(gaps: Sequence[str], run_start: int, k: int, run_end: int) -> list[int]:
    """The gaps ``j`` of a periodic run (``gaps[j]``, the text between words ``j`` and
    ``j + 1`` as :func:`_gap` writes it) that differ from the gap ``k`` words before, in order.

    The words of the run repeat with period ``k``; two copies of a unit are written alike
    when their inner gaps are too (`on it was on; it was` is no repeat): computed once
    per run, so that each rotation's count costs the gaps that differ, not the run.
    """
    run = gaps[run_start : run_end - 1]
    return [run_start + x for x in compress(range(k, len(run)), map(ne, run[k:], run))]


def _same_copies(unlike: list[int], first: int, k: int, copies: int) -> int:
    """How many leading copies from word ``first`` are written alike, punctuation inside
    them included: up to the first copy with an inner gap unlike the copy before it
    (``unlike``: :func:`_unlike_gaps`; the gap after a copy's last word is between
    copies, not in one)."""
    for j in unlike[bisect.bisect_left(unlike, first + k) :]:
        if (j - first) % k != k - 1:
            return min(copies, (j - first) // k)
    return copies


def _repeat(row: int, text: str, spans: Sequence[tuple[int, int]], first: int, k: int, copies: int) -> Repeat:
    start, end = spans[first][0], spans[first + copies * k - 1][1]
    gaps = tuple(text[spans[first + c * k - 1][1] : spans[first + c * k][0]] for c in range(1, copies))
    stop, begin = _skip_space_back(text, start), _skip_space(text, end)
    before, after = text[stop - 1 : stop] if stop else "", text[begin : begin + 1]
    whole = not before.isalnum() and not after.isalnum()  # "" too: the text's edge
    unit = text[start : spans[first + k - 1][1]]
    return Repeat(row, start, end, unit, k, copies, gaps, whole)


class _RepeatRule(Rule):
    """Shared option and pack reading of the phrase-repeat rules (RP003-RP005)."""

    options = {"max_words": 200}
    option_docs = {"max_words": "longest unit, in words, that is looked for (a long sentence written twice)"}

    def prepare(self) -> None:
        pack = self.packs.get("repetition")
        joiners = pack.header.get("rhetorical_joiners", []) if pack else []
        self._joiners = frozenset(w.casefold() for w in joiners)

    def repeats(self, chunk: Chunk) -> list[Repeat]:
        return find_repeats(chunk, int(self.opts["max_words"]), self._joiners)


def _sentence_gap(r: Repeat) -> bool:
    """A sentence end between the copies, or any mark between copies of 3+ words.

    Two words around a comma are too often rhetoric or a list (`one river, one river`);
    a longer unit is a clause or a sentence without its full stop (`… abroad) Missiles`).
    """
    return r.words >= 3 or _FULL_STOP.search(r.gaps[0]) is not None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register
class RepeatedPhrase(_RepeatRule):
    """Phrase of 2+ words written twice in a row (`the report on the report on`).

    ## What it does
    Flags a run of two or more words immediately followed by the same words again, with
    only whitespace between the copies, when the source does not repeat anything itself.
    Words are compared case-insensitively; the copies must be written alike, punctuation
    inside them included (`on it was on; it was` is no repeat). Copies with a mark
    between them are a sentence or clause written twice (RP004) or rhetoric
    (`the citizens, the citizens beat the slave`).

    ## Why is this bad?
    A doubled phrase is the commonest form of degenerate decoding after a doubled word:
    the decoder re-emits what it just wrote, and the sentence no longer parses.

    ## Example
    Source: `Он прочитал доклад о выборах.`
    Target: `He read a report on the report on the elections.`

    Use instead:
    `He read a report on the elections.`

    ## Known problems
    A keyword list may repeat a pair by chance (`Pocket Magnifier Reading Magnifier
    Reading Aid`: twice on the WMT22 references). A word and a conjunction repeated
    (`again and again and`) is left to rhetoric (`rhetorical_joiners` in the `repetition`
    pack). A compound after a hyphenated modifier (`cross-border border trade`) is not
    seen, as RP001 does not see it.

    ## Fix safety
    Unsafe: the repetition is replaced by its first copy, which is wrong where the
    repetition is intended.
    """

    code = "RP003"
    name = "repeated-phrase"
    category = "repetition"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for r in self.repeats(chunk):
            if r.copies == 2 and r.spaced:
                yield Hit(r.row, r.start, r.end, f"Phrase '{_short(r.unit)}' is repeated", r.unit)


@register
class RepeatedSentence(_RepeatRule):
    """A sentence or clause written twice, across its punctuation (`No. No.`).

    ## What it does
    Flags a sentence or clause written twice: two or more words written again right after
    a sentence end (`.`, `!`, `?`, `…`, CJK full stops), or three or more words written
    again after any mark (a comma, a colon, a closing bracket of a sentence without its
    full stop), where the first copy starts and the second ends at a sentence or clause
    boundary, no letter or digit next to them (`He said no. He said no.`, `that it was
    sad, that it was sad, and …`), when the source does not repeat anything itself.

    ## Why is this bad?
    MT systems that translate a segment made of several sentences sometimes emit one of
    them twice (and drop another); the reader sees the same statement twice.

    ## Example
    Source: `Он сказал нет. Потом ушёл.`
    Target: `He said no. He said no.`

    Use instead:
    `He said no. Then he left.`

    ## Known problems
    Dialogue and slogans that repeat a sentence on purpose are flagged unless the source
    repeats too. A phrase that ends one clause and starts the next (`into my mind; my
    mind has to …`) is rhetoric and is not flagged, nor are two words around a comma
    (`one river, one river, and one lake`).

    ## Fix safety
    Unsafe: the repetition is replaced by its first copy; the sentence that the copy
    stands in for (if one was dropped) is not restored.
    """

    code = "RP004"
    name = "repeated-sentence"
    category = "repetition"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for r in self.repeats(chunk):
            if r.copies == 2 and not r.spaced and r.whole and _sentence_gap(r):
                yield Hit(r.row, r.start, r.end, f"Sentence '{_short(r.unit)}' is repeated", r.unit)


@register
class TripledPhrase(_RepeatRule):
    """A phrase or sentence written three or more times in a row.

    ## What it does
    Flags a run of two or more words written three or more times back to back, with any
    punctuation between the copies (`He said no. He said no. He said no.`) and units up
    to `max_words` words, when the source does not repeat anything itself. Short loops
    that RP002 reports (four or more copies of up to eight words with only spaces, commas
    or semicolons between) are left to it.

    ## Why is this bad?
    Three copies are no slip: the decoder is stuck in a loop and the translation has
    stopped carrying the source.

    ## Example
    Source: `Он сказал нет.`
    Target: `He said no. He said no. He said no.`

    Use instead:
    `He said no.`

    ## Known problems
    Chants and lyrics repeat on purpose; ignore the rule for such content.

    ## Fix safety
    Unsafe: the loop is replaced by its first copy.
    """

    code = "RP005"
    name = "tripled-phrase"
    category = "repetition"
    severity = "error"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for r in self.repeats(chunk):
            if r.copies < 3:
                continue
            loop = r.copies >= 4 and r.words <= 8
            if loop and not re.search(r"[^\w\s,;]", chunk.targets[r.row][r.start : r.end].replace("-", "")):
                continue  # RP002's
            message = f"Phrase '{_short(r.unit)}' is written {r.copies} times in a row"
            yield Hit(r.row, r.start, r.end, message, r.unit)
