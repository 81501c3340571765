"""Punctuation read against the source: final and opening marks, garbled marks, inserted breaks.

Every rule here compares the target's punctuation with its source's, after mapping each mark
of either side to its class (`.`, `?`, `!`, `…`, `:`, `;`, `,`) with the
``punctuation.marks`` pack: `。` in a Chinese source is the `.` of an English target, and
a Greek `;` is a question mark. What the source itself has (a doubled `??`, a missing final
stop, a full stop before a lower-case word) is the translator's faithful copy and is not
flagged. Segments without a source are skipped by the rules that need one.

General text helpers that other modules may want (``tail_of``, ``MarkTable``) live here
until they are consolidated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer
from tqaudit.rules.base import Applicability, Hit, Rule, remap
from tqaudit.rules.registry import register

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


def abbreviations(packs: Any, lang: str) -> frozenset[str]:
    """Abbreviations (lower case, without their final full stop) of language ``lang``."""
    pack = packs.get("punctuation.abbreviations")
    if pack is None:
        return frozenset()
    words = [*pack.header.get("all", ()), *pack.header.get("languages", {}).get(lang, ())]
    return frozenset(w.lower() for w in words)


_LAST_TOKEN = re.compile(r"(?:\w+\.\s?)*\w+$")


def ends_in_abbreviation(text: str, abbrevs: frozenset[str]) -> bool:
    """Whether ``text`` (which stood before a full stop) ends with an abbreviation or initial."""
    m = _LAST_TOKEN.search(text[-40:])
    if not m:
        return False
    token = m.group().lower()
    last = token.rsplit(None, 1)[-1]
    return token in abbrevs or last in abbrevs or (len(last) == 1 and last.isalpha()) or "." in last


# A target that ends with a bracketed label (`(Sun)`, `[sic]`) or a placeholder
# (`#PRS_ORG#`) ends a label, not a sentence; translators leave such ends bare.
_LABEL_END = re.compile(r"[)\]）】#%]$")


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
    Unsafe: the mark is added where the target's words end (before closing quotes), in the
    target language's form of the source's mark; the translator may have ended otherwise.
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
            for row in _rows_with_source(chunk, rows):
                hit = self._check_one(pair, row, chunk.sources[row], chunk.targets[row], min_words)
                if hit is not None:
                    yield hit

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
        if _LABEL_END.search(target, 0, len(target.rstrip())) or _quoted_mark(source, s_at, target, pair):
            return None
        mark = target_form(self.packs, pair.tgt_lang, final)
        return Hit(
            row,
            t_at - 1,
            t_at,
            f"The source ends with '{final}', the target with no final mark; add '{mark}'",
            target[t_at - 1] + mark,
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
            for row in _rows_with_source(chunk, rows):
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
        for row in _rows_with_source(chunk, range(len(chunk))):
            source, target = chunk.sources[row], chunk.targets[row]
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


def _lead_span(text: str) -> tuple[int, int]:
    """Where the run of marks that opens ``text`` starts and ends (spaces around it excluded)."""
    start = len(text) - len(text.lstrip())
    end = start
    while end < len(text) and (_is_punct(text[end]) or text[end].isspace()):
        end += 1
    return start, len(text[:end].rstrip())


def _is_punct(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch)[0] in "PS"


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
    `;;`, `::`, a comma against a question mark, and two (or four or more) full stops that
    are not an ellipsis, unless the source has a run of the same kind (then the translator
    copied it). `?!`, `!!`, `!!!` and `...` are left alone.

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
        for row, m in finditer(targets, _GARBLED):
            source, mark = sources[row], m.group()
            if not source.strip() or _in_source(mark, _source_runs(source)):
                continue
            if mark[0] in ".。":
                lang = scripts.base_language(chunk.tgt_langs[row])
                if lang not in abbrevs:
                    abbrevs[lang] = abbreviations(self.packs, lang)
                src_lang = scripts.base_language(chunk.src_langs[row])
                if src_lang not in abbrevs:
                    abbrevs[src_lang] = abbreviations(self.packs, src_lang)
                before = targets[row][: m.start()]
                if ends_in_abbreviation(before, abbrevs[lang] | abbrevs[src_lang]):
                    continue
            fix = mark[-1] if not mark.startswith(".") or len(mark) < 4 else "..."
            yield Hit(row, m.start(), m.end(), f"Garbled punctuation '{mark}'; did you mean '{fix}'?", fix)


# A full stop (or `?`, `!`) after a word and before a lower-case word: a sentence break in
# the middle of a sentence, in scripts with case. Ellipses and runs of marks are not breaks.
_BREAK = re.compile(r"(?<=[^\W\d_])(?<![.?!…])[.](?![.?!…])[ \u00a0]+(?=[^\W\d_])")


# In a source, a break without its space counts too (`bekommen.hätte`).
_BREAK_UNSPACED = re.compile(r"(?<=[^\W\d_])(?<![.?!…])[.](?![.?!…])[ \u00a0]*(?=[^\W\d_])")


def _lower_after_break(
    text: str, abbrevs: frozenset[str], pattern: re.Pattern[str] = _BREAK
) -> list[re.Match[str]]:
    """Full stops in ``text`` that are followed by a lower-case word and end no abbreviation."""
    out = []
    for m in pattern.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt.islower() or ends_in_abbreviation(text[: m.start()], abbrevs):
            continue
        out.append(m)
    return out


@register
class InsertedSentenceBreak(Rule):
    """Full stop inside a sentence, before a lower-case word (`the price of. fuel`).

    ## What it does
    Flags a full stop after a word that is followed by a lower-case word, in targets
    whose script has case, when the source has fewer such places (pofilter's
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

    def _abbrevs(self, src: str, tgt: str) -> tuple[frozenset[str], frozenset[str]]:
        return abbreviations(self.packs, src), abbreviations(self.packs, tgt)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for (src_abbrevs, tgt_abbrevs), rows in self.by_language(chunk, self._abbrevs):
            texts = [chunk.targets[r] for r in rows]
            yield from remap(self._hits(chunk, rows, texts, src_abbrevs, tgt_abbrevs), rows)

    def _hits(
        self,
        chunk: Chunk,
        rows: Sequence[int],
        texts: Sequence[str],
        src_abbrevs: frozenset[str],
        tgt_abbrevs: frozenset[str],
    ) -> Iterator[Hit]:
        found: dict[int, list[re.Match[str]]] = {}
        for i, m in finditer(texts, _BREAK):
            found.setdefault(i, []).append(m)
        for i in found:
            source = chunk.sources[rows[i]]
            if not source.strip():
                continue
            breaks = _lower_after_break(texts[i], tgt_abbrevs | src_abbrevs)
            in_source = _lower_after_break(source, src_abbrevs | tgt_abbrevs, _BREAK_UNSPACED)
            if not breaks or len(breaks) <= len(in_source):
                continue
            for m in breaks:
                message = "Full stop before a lower-case word inside a sentence"
                yield Hit(i, m.start(), m.start() + 1, message, "")


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
    options: ClassVar[dict[str, Any]] = {"max_words": 6, "max_chars": 24}
    option_docs: ClassVar[dict[str, str]] = {
        "max_words": "sources of at most this many words have their quotes and brackets counted",
        "max_chars": "… and at most this many characters (a Han, kana or hangul character counts 3)",
    }
    _marks = re.compile(r"[\"'`“”„«»「」『』‹›()\[\]{}（）［］｛｝]")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        max_words, max_chars = self.opts["max_words"], self.opts["max_chars"]
        rows = {row for row, _ in finditer(sources, self._marks)} | {
            row for row, _ in finditer(targets, self._marks)
        }
        for row in sorted(rows):
            source, target = sources[row], targets[row]
            if not source.strip() or not target.strip():
                continue
            src, tgt = _Delimiters.of(source), _Delimiters.of(target)
            short = len(source.split()) <= max_words and _weighted_length(source) <= max_chars
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


# A comma or semicolon between two letters of a script written with spaces.
_LETTER = r"A-Za-zÀ-ɏͰ-ϿЀ-ӿ"
_NO_SPACE_AFTER = re.compile(rf"(?<=[{_LETTER}])[,;](?=[{_LETTER}])")


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

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        pairs = {"”": "“", "’": "‘", "»": "«"}
        for row, m in finditer(chunk.targets, self._pattern):
            opener, closer = m.group("open"), m.group("close")
            if pairs[opener] != closer:
                continue
            if opener == "»" and scripts.base_language(chunk.tgt_langs[row]) in self._guillemets:
                continue
            if any(s.group("open") == opener for s in self._pattern.finditer(chunk.sources[row])):
                continue  # copied from the source (`»Smart Stone«` of a German product text)
            fixed = f"{closer}{m.group('body')}{opener}"
            yield Hit(row, m.start(), m.end(), f"Quotation marks reversed: '{opener}…{closer}'", fixed)


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

    def _words(self, src: str, tgt: str) -> re.Pattern[str]:
        pack = self.packs.get("punctuation.comma")
        after = pack.header.get("no_comma_after", {}).get(tgt, ()) if pack else ()
        before = pack.header.get("no_comma_before", {}).get(tgt, ()) if pack else ()
        alts = []
        if after:
            words = "|".join(re.escape(w) for w in sorted(after, key=len, reverse=True))
            # an aside of up to three words between two commas (`of, for example,`) is not a seam
            alts.append(rf"(?<![\w'’-])(?:{words})(?P<a>,)(?=\s)(?!\s+\S+(?:\s+\S+){{0,2}},)")
        if before:
            words = "|".join(re.escape(w) for w in sorted(before, key=len, reverse=True))
            alts.append(rf"(?<=\w)(?P<b>,)\s*['’]?(?:{words})(?!\w)")
        return re.compile("|".join(alts)) if alts else re.compile(r"(?!)")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for pattern, rows in self.by_language(chunk, self._words):
            texts = [chunk.targets[r] for r in rows]
            yield from remap(self._hits(texts, [chunk.sources[r] for r in rows], pattern), rows)

    @staticmethod
    def _hits(texts: Sequence[str], sources: Sequence[str], pattern: re.Pattern[str]) -> Iterator[Hit]:
        for row, m in finditer(texts, pattern):
            source = sources[row]
            if not source.strip() or len(_COMMAS.findall(texts[row])) <= len(_COMMAS.findall(source)):
                continue
            group = "a" if m.groupdict().get("a") else "b"
            yield Hit(row, m.start(group), m.end(group), f"Comma inside a phrase: '{m.group().strip()}'", "")
