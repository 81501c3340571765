"""Punctuation read against the source: final and opening marks (PU005-PU007).

Every punctuation rule that compares a target with its source maps each mark of either side
to its class (`.`, `?`, `!`, `…`, `:`, `;`, `,`) with the ``punctuation.marks`` pack first:
`。` in a Chinese source is the `.` of an English target, and a Greek `;` is a question
mark. What the source itself has (a doubled `??`, a missing final stop, a full stop before
a lower-case word) is the translator's faithful copy and is not flagged. Segments without a
source are skipped by the rules that need one.

The helpers here (``MarkTable``, ``tail_of``, ``abbreviations``, ``ends_in_abbreviation``)
are shared by ``punctuation_marks`` and ``punctuation_pairs``; they are general text helpers
that may move to a shared module.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any, ClassVar

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule
from tqaudit.rules.registry import register
from tqaudit.textunits import abbreviations

SENTENCE_CLASSES = frozenset(".?!…")


@dataclass(frozen=True)
class MarkTable:
    """One language's marks: each mark (one or more characters) mapped to its class."""

    classes: dict[str, str]
    closers: frozenset[str]
    pattern: re.Pattern[str]  # every mark, longest first
    chars: frozenset[str]  # every character of a mark, and the closers

    def classify(self, text: str) -> str:
        """The classes of the marks in ``text``, in order (closers and spaces dropped)."""
        return "".join(self.classes[m] for m in self.pattern.findall(text))

    # What the last visible character of a text tells about its tail (``tail_of``), so that
    # the rules read only the rows whose ends may differ: a text whose last visible
    # character is a one-character mark ends with a mark, one whose last character is in
    # none of ``chars`` ends with no mark (unless a mark is made of spaces: ``blank``).

    @functools.cached_property
    def single(self) -> frozenset[str]:
        """The marks of one character."""
        return frozenset(m for m in self.classes if len(m) == 1)

    @functools.cached_property
    def question_ends(self) -> frozenset[str]:
        """The last characters of the marks of class `?`."""
        return frozenset(m[-1] for m, cls in self.classes.items() if cls == "?" and m)

    @functools.cached_property
    def blank(self) -> bool:
        """Whether a mark has a space in it (then the last character tells nothing)."""
        return any(ch.isspace() for ch in self.chars)


def mark_table(packs: Any, lang: str) -> MarkTable:
    """The marks of language ``lang`` from the ``punctuation.marks`` pack."""
    pack = packs.get("punctuation.marks")
    classes: dict[str, str] = {}
    closers = ""
    if pack is not None:
        closers = pack.header.get("closers", "")
        for entry in pack.entries:  # general entries first, then the language's own override them
            if "languages" not in entry:
                classes[entry["pattern"]] = entry["suggestion"]
        for entry in pack.entries:
            if lang in entry.get("languages", ()):
                classes[entry["pattern"]] = entry["suggestion"]
    alts = sorted(classes, key=lambda m: (-len(m), m))
    pattern = re.compile("|".join(map(re.escape, alts))) if alts else re.compile(r"(?!)")
    chars = frozenset("".join(classes)) | frozenset(closers)
    return MarkTable(classes, frozenset(closers), pattern, chars)


def tail_of(text: str, table: MarkTable) -> int:
    """Where the run of marks, closing quotes, brackets and spaces at the end of ``text`` starts."""
    i = len(text)
    chars = table.chars
    while i > 0 and (text[i - 1] in chars or text[i - 1].isspace()):
        i -= 1
    return i


def target_form(packs: Any, lang: str, cls: str) -> str:
    """How target language ``lang`` writes mark class ``cls`` (`。` for `.` in Chinese)."""
    pack = packs.get("punctuation.marks")
    forms = pack.header.get("target_forms", {}).get(lang, {}) if pack else {}
    return str(forms.get(cls, cls if cls != "…" else "..."))


_LAST_TOKEN = re.compile(r"(?:\w+\.\s?)*\w+$")


# The parts of an abbreviation written with spaces that follow its first letter's full
# stop (` g.` of `e. g.`, ` д.` of `т. д.`, `r. o.` of `s. r. o.`).
_NEXT_PARTS = re.compile(r"(?:\s?[^\W\d_]{1,4}\.){1,3}")


def ends_in_abbreviation(text: str, abbrevs: frozenset[str], after: str = "") -> bool:
    """Whether ``text`` (which stood before a full stop) ends with an abbreviation or initial.

    A single capital is an initial (`J. Smith`); a single small letter only when the
    language lists it (Russian `в.` for century) or when it begins a listed abbreviation
    with the parts in ``after``, the text after the full stop (`e. g.`, `т. д.`, `d. h.`):
    Russian `я.`, `и.` or English `a.` before a lower-case word ends a sentence."""
    m = _LAST_TOKEN.search(text[-40:])
    if not m:
        return False
    token = m.group().lower()
    last = token.rsplit(None, 1)[-1]
    # `e. g` is listed as `e.g`: the spaces inside an abbreviation vary
    if token in abbrevs or token.replace(". ", ".") in abbrevs or last in abbrevs or "." in last:
        return True
    if len(last) != 1 or not last.isalpha():
        return False
    return not m.group()[-1].islower() or _begins_abbreviation(last, after, abbrevs)


def _begins_abbreviation(letter: str, after: str, abbrevs: frozenset[str]) -> bool:
    """Whether ``letter`` and the parts at the start of ``after`` spell a listed
    abbreviation, with or without the spaces (`e` + ` g.` = `e. g` or `e.g`)."""
    parts = _NEXT_PARTS.match(after)
    if parts is None:
        return False
    words = [letter, *(w.strip() for w in parts.group().lower().split(".") if w.strip())]
    return any(
        ". ".join(words[:k]) in abbrevs or ".".join(words[:k]) in abbrevs for k in range(2, len(words) + 1)
    )


# A target that ends with a tag in square brackets (`[Authentic Books with discounts]`), a
# short label in round ones (`(Sun)`, `(photo)`: at most two words) or a placeholder
# (`#PRS_ORG#`) ends a label, not a sentence; translators leave such ends bare. A longer
# aside in round brackets (`(the freshness of olive oil is very important)`) is part of the
# sentence, whose mark follows it.
_LABEL_END = re.compile(r"(?:[\]】#%]|[(（]\W*(?:\w+\W+)?\w+\W*[)）])$")
# The characters of a target's end that :data:`_LABEL_END` reads: searched from every opening
# bracket of a whole text, it was quadratic in a text of brackets (5,000 `(` took 2 s).
_LABEL_CHARS = 200


def _quoted_mark(source: str, s_at: int, target: str, pair: _Pair) -> bool:
    """Whether the source's final mark closes an inner quotation the target kept inside.

    `… like "Keep working!"` translated `… „Arbeiten Sie weiter!“ anstatt`: the mark ended
    the quotation, not the sentence, and the target has it at the quotation's end.
    """
    tail = source[s_at:].rstrip()
    if not tail or tail[-1] not in pair.src.closers or tail[-1] in ")]）】":
        return False
    marks = {m for m in pair.tgt.pattern.findall(target) if pair.tgt.classes[m] in SENTENCE_CLASSES}
    return any(f"{m}{c}" in target for m in marks for c in pair.tgt.closers)


class _Pair:
    """Source and target mark tables of one language pair (built once per pair and run)."""

    def __init__(self, rule: Rule, src: str, tgt: str) -> None:
        self.src = mark_table(rule.packs, src)
        self.tgt = mark_table(rule.packs, tgt)
        self.src_abbrevs = abbreviations(rule.packs, src)
        self.tgt_abbrevs = abbreviations(rule.packs, tgt)
        self.tgt_lang = tgt


def _pair(rule: Rule) -> Any:
    def build(src: str, tgt: str) -> _Pair:
        return _Pair(rule, src, tgt)

    build.__name__ = f"marks_{rule.code}"
    return build


# The last visible characters of each chunk alive (sources, targets), for PU005-PU006-PU014.
_ENDS: weakref.WeakKeyDictionary[Chunk, tuple[list[str], list[str]]] = weakref.WeakKeyDictionary()


def _last_chars(chunk: Chunk) -> tuple[list[str], list[str]]:
    """The last visible character of each source and each target ("" for a blank text).

    Read once per chunk: the engine hands the same read-only chunk to every rule.
    """
    ends = _ENDS.get(chunk)
    if ends is None:
        ends = ([t.rstrip()[-1:] for t in chunk.sources], [t.rstrip()[-1:] for t in chunk.targets])
        _ENDS[chunk] = ends
    return ends


def _rows_with_source(chunk: Chunk, rows: Sequence[int]) -> Iterator[int]:
    for row in rows:
        if chunk.sources[row].strip() and chunk.targets[row].strip():
            yield row


@register
class MissingFinalPunctuation(Rule):
    """Target lacks the final `.`, `?`, `!` or `…` that its source ends with.

    ## What it does
    Compares the mark that ends the source (after closing quotes and brackets) with the
    end of the target. When the source ends a sentence (`.`, `?`, `!`, `…` and their
    full-width, Arabic, Greek and Indic forms, from the `punctuation.marks` pack) and the
    target ends with a word, the mark was dropped. A source whose final full stop belongs
    to an abbreviation (`ca.`, `max.`, `o. ä.`, from `punctuation.abbreviations`) is not
    read as ending a sentence.

    ## Why is this bad?
    MT engines (and truncated output) drop the final mark, so a paragraph runs on into the
    next one and a question loses its question mark.

    ## Example
    Source: `Президент прибыл в Астану.`
    Target: `The president arrived in Astana`

    Use instead:
    `The president arrived in Astana.`

    ## Known problems
    A headline or list item that the source writes with a full stop and the translator
    (rightly or not) without one is flagged: that is what the rule finds on the WMT22
    references (28 segments, 1.2 per 1,000; up to 4.8 per 1,000 in one cs-en file whose
    translator drops the stop of headlines). Targets of fewer than `min_words` words,
    targets ending with a bracketed label (`(Sun)`) or a placeholder (`#PRS_ORG#`), and
    sources whose final mark closes an inner quotation the target kept are skipped. A
    source question rendered as a statement (`?` → `.`) is not flagged: translators do
    that with indirect questions.

    ## Fix safety
    Unsafe: the mark is added where the target's words end (before closing quotes; after a
    closing bracket), in the target language's form of the source's mark; the translator
    may have ended otherwise.
    """

    code = "PU005"
    name = "missing-final-punctuation"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE
    options: ClassVar[dict[str, Any]] = {"min_words": 3}
    option_docs: ClassVar[dict[str, str]] = {
        "min_words": "targets with fewer words (headlines, labels) are not checked",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        min_words = self.opts["min_words"]
        for pair, rows in self.by_language(chunk, _pair(self)):
            for row in _rows_with_source(chunk, self._candidates(chunk, pair, rows)):
                hit = self._check_one(pair, row, chunk.sources[row], chunk.targets[row], min_words)
                if hit is not None:
                    yield hit

    @staticmethod
    def _candidates(chunk: Chunk, pair: _Pair, rows: Sequence[int]) -> Sequence[int]:
        """The rows whose source may end with a mark and whose target may end without one."""
        if pair.src.blank or pair.tgt.blank:
            return rows
        src_chars, tgt_single = pair.src.chars, pair.tgt.single
        src_end, tgt_end = _last_chars(chunk)
        return [row for row in rows if src_end[row] in src_chars and tgt_end[row] not in tgt_single]

    def _check_one(self, pair: _Pair, row: int, source: str, target: str, min_words: int) -> Hit | None:
        s_at = tail_of(source, pair.src)
        s_marks = pair.src.classify(source[s_at:])
        final = next((c for c in reversed(s_marks) if c in SENTENCE_CLASSES), "")
        if not final or s_at == 0:
            return None
        t_at = tail_of(target, pair.tgt)
        if t_at == 0 or pair.tgt.classify(target[t_at:]):
            return None
        if final == "." and s_marks.endswith(".") and ends_in_abbreviation(source[:s_at], pair.src_abbrevs):
            return None
        if len(target.split()) < min_words and not scripts.CJK & set(scripts.script_counts(target[:t_at])):
            return None
        stop = len(target.rstrip())
        if _LABEL_END.search(target, max(0, stop - _LABEL_CHARS), stop):
            return None
        if _quoted_mark(source, s_at, target, pair):
            return None
        mark = target_form(self.packs, pair.tgt_lang, final)
        end = len(target.rstrip())
        if target[end - 1] not in ")）":
            end = t_at  # before closing quotes; after an aside in brackets, which ends no sentence
        return Hit(
            row,
            end - 1,
            end,
            f"The source ends with '{final}', the target with no final mark; add '{mark}'",
            target[end - 1] + mark,
        )


_OPENING = re.compile(r"^[\s\"'“”„«»‹›‚‘’\-–—(\[¿¡]*")


@dataclass(frozen=True)
class QuestionWords:
    """A target language's direct-question openers and particles (``punctuation.questions``)."""

    openers: frozenset[str]
    conjunctions: frozenset[str]
    anywhere: re.Pattern[str] | None

    def is_direct_question(self, sentence: str) -> bool:
        """Whether ``sentence`` has the form of a direct question (opener or particle)."""
        text = _OPENING.sub("", sentence, count=1).lower()
        first = re.match(r"[\w'’-]+", text)
        word = first.group().replace("’", "'") if first else ""
        if word in self.openers and not (word in self.conjunctions and "," in text):
            return True
        two = re.match(r"[\w'’-]+ [\w'’-]+", text)  # `por qué`
        return bool(two and two.group() in self.openers) or bool(self.anywhere and self.anywhere.search(text))


def question_words(packs: Any, lang: str) -> QuestionWords:
    pack = packs.get("punctuation.questions")
    openers = pack.header.get("openers", {}).get(lang, ()) if pack else ()
    particles = pack.header.get("anywhere", {}).get(lang, ()) if pack else ()
    conjunctions = pack.header.get("conjunctions", {}).get(lang, ()) if pack else ()
    anywhere = None
    if particles:
        anywhere = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, particles))})(?![\w-])")
    return QuestionWords(frozenset(w.lower() for w in openers), frozenset(conjunctions), anywhere)


@register
class QuestionLost(Rule):
    """Source question rendered as a statement (`How much is it.` for `Сколько?`).

    ## What it does
    Flags a target that ends with a full stop where its source ends with a question mark
    (any script's form: `?`, `？`, `;` in Greek, `؟`), when the target's last sentence has the
    form of a direct question: it opens with a question word or an inverted auxiliary of the
    target language (`How`, `Do`, `Wo`, `Сколько`), or has a question particle (`ли`). The
    words are in the `punctuation.questions` pack.

    ## Why is this bad?
    MT engines lose the question mark (a tokeniser or a truncation drops it, and the engine
    closes the sentence); a reader of the published text sees a question worded as one and
    punctuated as a statement.

    ## Example
    Source: `Сколько стоит билет до Астаны?`
    Target: `How much is a ticket to Astana.`

    Use instead:
    `How much is a ticket to Astana?`

    ## Known problems
    Only direct questions are recognised by form: a question rendered as an indirect one
    (`I wonder where he is.`) is a legitimate rewording and is not flagged, nor is a
    question turned into a statement with a question word in the middle. Languages without
    a list in the pack (and targets that mark questions by intonation alone, such as a
    declarative `You're coming.`) are not checked.

    ## Fix safety
    Unsafe: the full stop is replaced by the target language's question mark; a translator
    may have meant an exclamative (`What a day.`).
    """

    code = "PU014"
    name = "question-lost"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        marks = _pair(self)

        def questions(src: str, tgt: str) -> tuple[_Pair, QuestionWords]:
            return marks(src, tgt), question_words(self.packs, tgt)

        # built once per language pair and run, as every pack table (Rule.by_language)
        for (pair, words), rows in self.by_language(chunk, questions):
            if not words.openers and words.anywhere is None:
                continue
            for row in _rows_with_source(chunk, self._candidates(chunk, pair, rows)):
                hit = self._check_one(pair, words, row, chunk.sources[row], chunk.targets[row])
                if hit is not None:
                    yield hit

    @staticmethod
    def _candidates(chunk: Chunk, pair: _Pair, rows: Sequence[int]) -> Sequence[int]:
        """The rows whose source may end with a question mark and whose target with a mark."""
        if pair.src.blank or pair.tgt.blank:
            return rows
        src, tgt_chars = pair.src, pair.tgt.chars
        # the source's last mark may be a question mark: it is one, or the last character
        # belongs to no one-character mark (a closing quote, a part of `...`)
        may_ask = src.question_ends | (src.chars - src.single)
        src_end, tgt_end = _last_chars(chunk)
        return [row for row in rows if src_end[row] in may_ask and tgt_end[row] in tgt_chars]

    def _check_one(self, pair: _Pair, words: QuestionWords, row: int, source: str, target: str) -> Hit | None:
        s_at = tail_of(source, pair.src)
        s_marks = pair.src.classify(source[s_at:])
        if not s_marks.endswith("?") or s_at == 0:
            return None
        t_at = tail_of(target, pair.tgt)
        tail = target[t_at:]
        m = pair.tgt.pattern.search(tail)
        if m is None or pair.tgt.classify(tail) != "." or pair.tgt.classes[m.group()] != ".":
            return None
        if "?" in pair.tgt.classify(target[:t_at]) or tail.count(m.group()) > 1:
            return None
        body = target[:t_at]
        breaks = [b.end() for b in re.finditer(r"[.!?…。！？]\s+", body)]
        last_sentence = body[breaks[-1] :] if breaks else body
        if not words.is_direct_question(last_sentence):
            return None
        mark = target_form(self.packs, pair.tgt_lang, "?")
        start = t_at + m.start()
        return Hit(
            row,
            start,
            start + len(m.group()),
            f"The source asks a question ('?'), the target ends it with '{m.group()}'; use '{mark}'",
            mark,
        )


@register
class AddedFinalPunctuation(Rule):
    """Target ends with an ellipsis where its source ends with no mark (`Wrong…`).

    ## What it does
    Flags a target that ends with a mark of the `added_flagged` list of the
    `punctuation.marks` pack (the ellipsis) when its source ends with no mark at all.
    Adding a full stop, question or exclamation mark to a source that lacks one is what
    human translators do (Chinese and Japanese sources often end bare) and is not flagged.

    ## Why is this bad?
    A trailing ellipsis the source lacks makes a complete statement read as cut off; MT
    engines add one when they truncate.

    ## Example
    Source: `Question`
    Target: `Wrong…`

    Use instead:
    `Wrong`

    ## Known problems
    A source that trails off with a mark outside the pack (a Japanese `〜`) and a target
    that writes `...` is flagged; on the WMT22 references it fires twice (0.1 per 1,000),
    both on fragments that the translators ended with `...`.

    ## Fix safety
    Unsafe: the mark is removed; the translator may have meant the pause.
    """

    code = "PU006"
    name = "added-final-punctuation"
    category = "punctuation"
    severity = "warning"
    fix = Applicability.UNSAFE

    def prepare(self) -> None:
        pack = self.packs.get("punctuation.marks")
        self._flagged = frozenset(pack.header.get("added_flagged", ("…",)) if pack else ("…",))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for pair, rows in self.by_language(chunk, _pair(self)):
            for row in _rows_with_source(chunk, self._candidates(chunk, pair, rows)):
                source, target = chunk.sources[row], chunk.targets[row]
                s_at = tail_of(source, pair.src)
                if s_at == 0 or pair.src.classify(source[s_at:]):
                    continue
                t_at = tail_of(target, pair.tgt)
                m = pair.tgt.pattern.search(target, t_at)
                if m is None or pair.tgt.classes[m.group()] not in self._flagged:
                    continue
                yield Hit(
                    row,
                    m.start(),
                    m.end(),
                    f"The target ends with '{m.group()}', the source with no final mark",
                    "",
                )

    @staticmethod
    def _candidates(chunk: Chunk, pair: _Pair, rows: Sequence[int]) -> Sequence[int]:
        """The rows whose source may end without a mark and whose target may end with one."""
        if pair.src.blank or pair.tgt.blank:
            return rows
        src_single, tgt_chars = pair.src.single, pair.tgt.chars
        src_end, tgt_end = _last_chars(chunk)
        return [row for row in rows if src_end[row] not in src_single and tgt_end[row] in tgt_chars]


# List bullets and dashes open list items and dialogue in any language and change freely
# in translation (`・` becomes `-`); they are not compared.
_BULLETS = frozenset("・•*○〇●■□◆◇※►▶→-–—―‐")


def _leading(text: str, keep: str) -> str:
    """The punctuation and symbols a text opens with (quotes, brackets, bullets and ``keep`` dropped).

    Closing marks and commas at the very start are the debris of a neighbour's sentence in
    the source's own segmentation, and a full stop before a letter starts a file extension
    (`.lip`): neither is an opening mark.
    """
    out = []
    text = unicodedata.normalize("NFKC", text.lstrip())
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch.isspace() or ch in _BULLETS or ch in keep:
            continue
        if cat[0] not in "PS" or cat in ("Ps", "Pe", "Pi", "Pf") or ch in "\"'#@$€£¥%&+=,、;>":
            break
        if ch == "<" and ">" in text[i + 1 :]:  # an angle-bracketed label or tag
            break
        if ch == "." and text[i + 1 : i + 2].isalnum():
            break
        out.append(ch)
    return "".join(out)


@register
class StartPunctuation(Rule):
    """Opening punctuation added or dropped against the source (`…Wrong`).

    ## What it does
    Compares the marks before the first word of the source and of the target (pofilter's
    `startpunc`): an ellipsis, a full stop, `<<`, a bullet. Quotation marks, brackets and
    dashes are left to the quote and bracket rules (a dialogue dash often becomes a quote),
    and the marks a target language opens sentences with (Spanish `¿ ¡`, from
    `opening_marks` in `punctuation.marks`) are not asked of the source.

    ## Why is this bad?
    A leading `…` or `.` the source lacks is a fragment of a neighbouring sentence glued on
    by the engine; a navigation label that loses its `<<` no longer reads as one.

    ## Example
    Source: `Question`
    Target: `…Wrong`

    Use instead:
    `Wrong`

    ## Known problems
    Only the marks before the first word are compared, not their count or kind when both
    sides have some (`<<` against `«` passes). A source that opens with the debris of its
    neighbour's sentence (a comma, a closing quote) is not compared.
    """

    code = "PU007"
    name = "start-punctuation"
    category = "punctuation"
    severity = "warning"

    def prepare(self) -> None:
        pack = self.packs.get("punctuation.marks")
        self._keep: dict[str, str] = dict(pack.header.get("opening_marks", {})) if pack else {}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        # a mark or symbol after the leading spaces is neither a word character (but `_`)
        # nor a space: the rows to read, found in C
        everything, opens = range(len(chunk)), _MAY_OPEN_WITH_MARK.search
        in_sources = compress(everything, map(opens, sources))
        rows = sorted({*in_sources, *compress(everything, map(opens, targets))})
        for row in _rows_with_source(chunk, rows):
            source, target = sources[row], targets[row]
            if not (_is_punct(source.lstrip()[:1]) or _is_punct(target.lstrip()[:1])):
                continue
            keep = self._keep.get(scripts.base_language(chunk.tgt_langs[row]), "")
            keep += self._keep.get(scripts.base_language(chunk.src_langs[row]), "")
            src_marks, tgt_marks = _leading(source, keep), _leading(target, keep)
            if src_marks == tgt_marks or (src_marks and tgt_marks):
                continue
            if tgt_marks:
                start, end = _lead_span(target)
                message = f"The target opens with '{target[start:end]}', the source does not"
                yield Hit(row, start, end, message)
            else:
                start, end = _lead_span(source)
                yield Hit(row, -1, -1, f"The source opens with '{source[start:end]}', the target does not")


_MAY_OPEN_WITH_MARK = re.compile(r"^\s*+[\W_]")


def _lead_span(text: str) -> tuple[int, int]:
    """Where the run of marks that opens ``text`` starts and ends (spaces around it excluded)."""
    start = len(text) - len(text.lstrip())
    end = start
    while end < len(text) and (_is_punct(text[end]) or text[end].isspace()):
        end += 1
    return start, len(text[:end].rstrip())


def _is_punct(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "PS"
