"""Casing rules: a target whose capitals do not follow its source's.

The source's casing tells what the target should look like: a source that starts with a
capital asks for a target that starts with one, a source in normal case for a target in
normal case. Only targets in a script with case (Latin, Cyrillic, Greek, Armenian …) are
checked; the conventions that differ between languages (German noun capitals, Afrikaans
`'n`, Turkish `İ`) come from the ``casing.conventions`` pack.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer
from tqaudit.rules.base import Applicability, Hit, Rule
from tqaudit.rules.registry import register

# What may come before the first word of a sentence: spaces, quotation marks, brackets,
# dashes, bullets, inverted Spanish marks and an ellipsis. Digits and other symbols
# (`#`, `@`, `$`, `%`) end the search: a segment that starts with them has no first letter.
_LEAD = "\\s\"'`´“”„‟«»‹›‘’‚([{（【〔「『《〈\\-‐‑‒–—―•●○■□◆◇▪▫►▶★☆·*¿¡…"
_LEAD_RUN = re.compile(f"[{_LEAD}]*")
# A list label before the first word (`1. `, `a) `, `iv. `).
_LIST_LABEL = re.compile(r"(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})(?:\)\s*|\.\s+)")
_BULLET = re.compile(r"\s*[-‐‑‒–—―•●○■□◆◇▪▫►▶★☆·*]\s")
_WORD = re.compile(r"\w+")
# A segment that ends a sentence: final punctuation, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？؟।][\s\"'”’»)\]」』）]*$")
# A segment that goes on in the next one: it ends with a comma, semicolon, dash or an
# opening bracket; or, before a source whose first word may be a German noun, with a word.
# A colon is not one: the source's own capital after it says how the list goes on.
_CONTINUES = re.compile(r"[,;(/&\-‐‑‒–—―、，；（][\"'”’»]?\s*$")
_ENDS_WITH_WORD = re.compile(r"\w[\"'”’»]?\s*$")
_ASIDE = re.compile(r"\s*[(\[{（【〔*#]")
# Scripts without case: a source in one of them says nothing about capitals.
_CASELESS_SOURCE = frozenset({"HAN", "KANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR", "ARABIC", "HEBREW"})


@functools.lru_cache(maxsize=1)
def _letter_classes() -> tuple[str, str]:
    """Character classes (regex bodies) of every upper-case and lower-case letter in the BMP."""
    upper = "".join(chr(c) for c in range(0x10000) if chr(c).isupper())
    lower = "".join(chr(c) for c in range(0x10000) if chr(c).islower())
    return re.escape(upper), re.escape(lower)


def _cased(char: str) -> bool:
    return char.isupper() or char.islower()


@dataclass(frozen=True)
class Opening:
    """The first letter of a segment (after quotes, brackets, dashes and a list label)."""

    pos: int
    char: str
    word: str
    bullet: bool


def opening(text: str) -> Opening | None:
    """The segment's first letter and its word, or None when it starts with a digit or symbol."""
    pos = _LEAD_RUN.match(text).end()  # type: ignore[union-attr]  # matches the empty string
    label = _LIST_LABEL.match(text, pos)
    if label:
        pos = _LEAD_RUN.match(text, label.end()).end()  # type: ignore[union-attr]
    if pos >= len(text) or not text[pos].isalpha():
        return None
    word = _WORD.match(text, pos)
    return Opening(pos, text[pos], word.group() if word else text[pos], bool(_BULLET.match(text)))


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _brand(word: str, source: str) -> bool:
    """`iPhone`, `eBay`, `iOS`: a lower-case initial then a capital, not capitalised in the source."""
    if not any(c.isupper() for c in word[1:]):
        return False
    return word[0].upper() + word[1:] not in source and word.upper() not in source


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _continues(text: str, word_too: bool = False) -> bool:
    """Whether a segment goes on in the next one (``word_too``: also when it ends in a word)."""
    return bool(_CONTINUES.search(text) or (word_too and _ENDS_WITH_WORD.search(text)))


@dataclass(frozen=True)
class Conventions:
    """The ``casing.conventions`` pack, read once."""

    noun_capitals: frozenset[str]
    sentence_openers: dict[str, frozenset[str]]
    abbreviations: dict[str, frozenset[str]]
    lowercase_initials: dict[str, re.Pattern[str]]
    title_case: dict[str, dict[str, str]]
    # per language, the words it always capitalises (`always_capitalised`), written in
    # lower case as whole words (`i` of `i think`, `i'm`; not `i.e.`)
    lowered_capitals: dict[str, re.Pattern[str]]
    # per target language, the words that go on with a sentence of another segment (`and`)
    continuation_words: dict[str, frozenset[str]]
    # per source language without case, the endings of a clause that goes on in the next
    # segment (a Japanese particle: `…あたりが`)
    continuing_endings: dict[str, tuple[str, ...]]

    def goes_on(self, source: str, src_lang: str, target_word: str, tgt_lang: str) -> bool:
        """Whether a segment may continue a sentence of another one: its source ends like a
        clause that goes on, or its target opens with a word that continues one."""
        if source.rstrip().endswith(self.continuing_endings.get(src_lang, ())) or _continues(source):
            return True
        return target_word.lower() in self.continuation_words.get(tgt_lang, ())

    def lowered_capital(self, text: str, lang: str, source: str, pos: int | None = None) -> str:
        """A word of ``text`` that ``lang`` always capitalises written in lower case (at
        ``pos`` only, when given), or ``""``. Not when ``source`` starts in lower case: a
        chat message written without capitals may be translated in its register (`ich
        würde gerne` -> `i would like`)."""
        pattern = self.lowered_capitals.get(lang)
        if pattern is None:
            return ""
        src_open = opening(source)
        if src_open is not None and src_open.char.islower():
            return ""
        found = pattern.match(text, pos) if pos is not None else pattern.search(text)
        return found.group() if found else ""

    def noun_may_open(self, word: str, lang: str) -> bool:
        """Whether a capitalised first ``word`` in ``lang`` may be a noun, not a sentence start."""
        return lang in self.noun_capitals and word.lower() not in self.sentence_openers.get(lang, ())

    def abbreviation(self, word: str, lang: str) -> bool:
        """Whether ``word`` before a full stop is an abbreviation (in ``lang`` or any language)."""
        key = word.lower()
        return key in self.abbreviations.get("*", ()) or key in self.abbreviations.get(lang, ())

    def capital(self, char: str, lang: str) -> str | None:
        """The capital of ``char`` in ``lang`` (None when it is not one character: `ß`)."""
        special = self.title_case.get(lang, {}).get(char)
        if special:
            return special
        title = char.title()
        return title if len(title) == 1 and title != char else None


def conventions(rule: Rule) -> Conventions:
    pack = rule.packs.get("casing.conventions")
    header = pack.header if pack else {}
    initials = {
        lang: re.compile(r"\s*(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
        for lang, words in header.get("lowercase_initials", {}).items()
    }
    lowered = {
        lang: re.compile(r"(?<![\w.'’-])(?:" + "|".join(map(re.escape, words)) + r")(?=\s|['’][^\W\d_])")
        for lang, words in header.get("always_capitalised", {}).items()
    }
    return Conventions(
        frozenset(header.get("noun_capitals", ())),
        {lang: frozenset(words) for lang, words in header.get("sentence_openers", {}).items()},
        {lang: frozenset(words) for lang, words in header.get("abbreviations", {}).items()},
        initials,
        {lang: dict(table) for lang, table in header.get("title_case", {}).items()},
        lowered,
        {lang: frozenset(words) for lang, words in header.get("continuation_words", {}).items()},
        {lang: tuple(ends) for lang, ends in header.get("continuing_endings", {}).items()},
    )


def _neighbour(chunk: Chunk, row: int) -> int | None:
    """The previous segment of the same document in this chunk, or None."""
    if row == 0 or chunk.doc_ids[row - 1] != chunk.doc_ids[row]:
        return None
    return row - 1


def _source_reason(source: str, src_lang: str, conv: Conventions) -> str:
    """What in the source asks for a capital at the start of the target ("" when nothing)."""
    src_open = opening(source)
    dominant = scripts.dominant_script(source)
    # a Latin word at the start of a Japanese sentence (`SHEINって`) is not that sentence's
    # case: the sentence is read as one without case
    if src_open is not None and _cased(src_open.char) and scripts.script_of(src_open.char) == dominant:
        sentence_case = src_open.char.isupper() and not _acronym(src_open.word)
        noun = conv.noun_may_open(src_open.word, src_lang) and not _ends_sentence(source)
        if sentence_case and not noun:
            return f"the source starts with a capital ('{src_open.word}')"
        return ""
    if source.strip() and dominant in _CASELESS_SOURCE:
        return "the source is a whole sentence" if _ends_sentence(source) else "the source starts a segment"
    return ""


def _script_word(text: str, pos: int) -> str:
    """The letters from ``pos`` on in the script of the first one (`SHEIN` of `SHEINって`)."""
    script = scripts.script_of(text[pos])
    end = pos
    while end < len(text) and (scripts.script_of(text[end]) == script or text[end].isdigit()):
        end += 1
    return text[pos:end]


def _same_name(source: str, tgt_word: str) -> str:
    """The source's first word when the target starts with the same word: a name kept as is."""
    src_open = opening(source)
    if src_open is None or not src_open.char.isupper() or len(tgt_word) < 2:
        return ""
    word = _script_word(source, src_open.pos)
    return word if word.casefold() == tgt_word.casefold() else ""


def capital_expected(chunk: Chunk, row: int, conv: Conventions, tgt_word: str = "") -> str:
    """Why the target of ``row`` should start with a capital ("" when nothing says so).

    The target starts with the source's capitalised first word (a name, in any position);
    or the source starts a sentence with a capital (not an acronym, not a German noun in a
    fragment), or a source in a script without case is a whole sentence, and the segment
    does not continue one of the previous segment (source or target).
    """
    name = _same_name(chunk.sources[row], tgt_word) if tgt_word else ""
    if name:
        return f"the source writes '{name}' with a capital"
    src_lang = scripts.base_language(chunk.src_langs[row])
    source = chunk.sources[row]
    reason = _source_reason(source, src_lang, conv)
    if (not reason or reason.endswith("segment")) and _ends_sentence(chunk.targets[row]):
        # a source that does not show a sentence start (no case or final punctuation: a
        # Chinese clause; a German fragment opening with a noun; a number first) that the
        # translation writes as a whole sentence: the target's own full stop asks for a
        # capital, unless the source itself starts in lower case (a continuation)
        src_open = opening(source)
        if source.strip() and (src_open is None or not src_open.char.islower()):
            reason = "the target is a whole sentence"
    if not reason:
        return ""
    prev = _neighbour(chunk, row)
    # a sentence without case starts a new one only after a full stop on both sides
    ended = prev is None or (_ends_sentence(chunk.sources[prev]) and _ends_sentence(chunk.targets[prev]))
    if reason.endswith("sentence") and (not ended or _aside(chunk.targets[row])):
        return ""
    # the first segment of a document of several segments starts a sentence (row 0 of a
    # chunk may be in the middle of one, and a document of one segment may be a UI string);
    # without documents, a segment starts one only after a full stop
    doc = chunk.doc_ids[row]
    inside = bool(doc) and 0 < row < len(chunk) - 1 and prev is None  # not at a chunk's edge
    opens_document = inside and chunk.doc_ids[row + 1] == doc
    # a document of this segment alone: nothing continues it, so a segment that neither
    # ends like a clause going on nor opens with a word that continues one is a sentence
    # (or a heading) of its own
    alone = (
        inside
        and not opens_document
        and not conv.goes_on(source, src_lang, tgt_word, scripts.base_language(chunk.tgt_langs[row]))
    )
    if reason.endswith("segment") and (
        not ((ended and (prev is not None or opens_document)) or alone) or _aside(chunk.targets[row])
    ):
        return ""
    if prev is not None:
        # German capitalises nouns: a capital after a source segment that ends in a word
        # may be a noun in the middle of a sentence
        src_open = opening(chunk.sources[row])
        word_too = src_open is not None and conv.noun_may_open(src_open.word, src_lang)
        if _continues(chunk.sources[prev], word_too) or _continues(chunk.targets[prev], word_too):
            return ""
    return reason


def _aside(target: str) -> bool:
    """A target that opens with a bracket or a symbol: an aside, not a sentence."""
    return bool(_ASIDE.match(target))


def _lowercase_list(chunk: Chunk, row: int, tgt_open: Opening) -> bool:
    """A list item after a list item in lower case in the same document (a list style)."""
    prev = _neighbour(chunk, row)
    if prev is None or not tgt_open.bullet:
        return False
    prev_open = opening(chunk.targets[prev])
    return prev_open is not None and prev_open.bullet and prev_open.char.islower()


@register
class LowercaseStart(Rule):
    """Target starts in lower case where the source starts with a capital.

    ## What it does
    Compares the first letter of source and target, after leading quotation marks,
    brackets, dashes, bullets and list labels (`1.`, `a)`), and flags a target whose first
    letter is lower case where the source's is a capital. A target whose first word is
    the source's capitalised first word (`yvonne` for `Yvonne`, `amazon` for `Amazon-Gründer`)
    is flagged wherever the segment stands: a name keeps its capital. A source in a script
    without case (Chinese, Japanese; also one that opens with a Latin word, `SHEINって…`)
    asks for a capital when it is a whole sentence, and so does any source that does not
    start in lower case when the target is a whole sentence (it ends in `.`, `!` or `?`:
    `下单才 5 分钟，怎么会已完成` → `you only placed the order …?`, a German fragment opening
    with a noun, `Gutschein klingt super` → `store credit sounds great.`, a number first),
    when the previous source and target of the document both end a sentence; a caseless
    source that is neither asks for one when the segment opens a document of several, or
    is a document of its own and reads as no continuation: its source does not end like a
    clause that goes on (a comma; a Japanese particle, `continuing_endings` in the
    `casing.conventions` pack) and its target does not open with a word that continues a
    sentence (`and`, `to`, `which`; `continuation_words`). The
    target must not open with a bracket (`(laughter)`). A word that the target language
    always capitalises (`always_capitalised` in the `casing.conventions` pack: English `i`,
    `i'm`) is flagged at the start of any target whose source does not itself start in
    lower case.

    ## Why is this bad?
    A lost sentence capital is a casing slip of MT post-processing (truecasing, joining
    segments), and in a published text it looks like a fragment.

    ## Example
    Source: `Der Zug fährt um acht Uhr ab.`
    Target: `the train leaves at eight o'clock.`

    Use instead:
    `The train leaves at eight o'clock.`

    ## Known problems
    These are not flagged, because the lower case is right: a segment that continues a
    sentence of the previous segment of the same document (the previous source or target
    ends with a comma, colon, dash or a word without punctuation), a first word that is a
    brand name (`iPhone`, `eBay`), a source that starts with a digit, a symbol (`#`, `@`)
    or an acronym (`DVD`), a German source that is not a whole sentence (German capitalises
    nouns, unless its first word is one that is never a noun: `sentence_openers` in the
    `casing.conventions` pack), each unless the target is a whole sentence; Afrikaans `'n`
    and Dutch `'s`/`'t`, and list items written in lower case throughout. The previous
    segment is only seen inside one chunk: at a chunk boundary a continuation can be
    flagged. Targets of Chinese and Japanese sources are checked only where a full stop,
    the neighbouring segments or a document of one segment show a sentence, so headings,
    adverts and chat without punctuation inside longer documents are left alone (on
    WMT22 references taken one segment at a time, 0.97 of lowered first letters of zh-en
    targets are found and 0.86 of ja-en, against 0.91-1.0 for cased sources; 0.89 and 0.71
    before documents of one segment were read as sentences).

    ## Fix safety
    Unsafe: the suggestion is the first letter in capitals (`İ` for Turkish `i`), right
    unless the segment continues a sentence that the rule could not see.
    """

    code = "CS001"
    name = "lowercase-start"
    category = "casing"
    severity = "warning"
    fix = Applicability.UNSAFE

    def prepare(self) -> None:
        self.conv = conventions(self)
        _, lower = _letter_classes()
        self._lower_start = re.compile(f"^[{_LEAD}]*(?:{_LIST_LABEL.pattern}[{_LEAD}]*)?[{lower}]")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        targets = chunk.targets
        for row, _ in finditer(targets, self._lower_start):
            hit = self._check_row(chunk, row)
            if hit is not None:
                yield hit

    def _check_row(self, chunk: Chunk, row: int) -> Hit | None:
        target = chunk.targets[row]
        tgt_open = opening(target)
        if tgt_open is None or _brand(tgt_open.word, chunk.sources[row]):
            return None
        tgt_lang = scripts.base_language(chunk.tgt_langs[row])
        initials = self.conv.lowercase_initials.get(tgt_lang)
        if initials is not None and initials.match(target):
            return None
        reason = capital_expected(chunk, row, self.conv, _script_word(target, tgt_open.pos))
        if not reason or _lowercase_list(chunk, row, tgt_open):
            # a word the language always capitalises (`i think`) needs its capital anywhere
            word = self.conv.lowered_capital(target, tgt_lang, chunk.sources[row], tgt_open.pos)
            if not word:
                return None
            reason = f"'{word}' is always written with a capital"
        capital = self.conv.capital(tgt_open.char, tgt_lang)
        return Hit(
            row,
            tgt_open.pos,
            tgt_open.pos + 1,
            f"Target starts in lower case ('{tgt_open.word}') where {reason}",
            capital,
        )


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _lowered_names(source: str, target: str) -> int:
    """Capitalised words of the source (names) that the target has in lower case."""
    lowered = set(_words(target))
    words = [w for w in _words(source) if len(w) >= 3 and w[0].isalpha()]
    names = {w for w in words if w[0].isupper() and not w.isupper()}
    if len(names) > 0.6 * len(words):  # a heading in title case (`48Hours Weekend Sale`)
        return 0
    return sum(1 for w in names if w.lower() in lowered)


def _mid_sentence_capitals(source: str) -> int:
    """Capitalised words of the source that do not start a sentence (names, titles)."""
    count = 0
    for m in re.finditer(r"(?<=[^\W\d_])[,;:]?\s+([^\W\d_])", source):
        if m.group(1).isupper():
            count += 1
    return count


@register
class LowercasedTarget(Rule):
    """Whole target in lower case where the source has capitals.

    ## What it does
    Flags a target of at least `min_words` words and `min_letters` cased letters without
    a single capital, when its source says there should be one: the source starts a
    sentence with a capital (as CS001 reads it), or at least `min_names` capitalised
    words of the source appear in lower case in the target, or the source has at least
    `min_names` capitalised words inside the sentence (names) in a language that does not
    capitalise every noun, or the target writes a word that its language always
    capitalises in lower case (English `i`; as CS001). A source heading in title case is
    not evidence.

    ## Why is this bad?
    A target with no capital at all is the mark of a pipeline that lowercased its input
    or output (a lower-cased training corpus, a detruecaser that did not run): every name
    and sentence start of the segment is lost, and usually of the whole file.

    ## Example
    Source: `Maribel Ortega leitet seit 2019 das Büro in Madrid.`
    Target: `maribel ortega has been running the office in madrid since 2019.`

    Use instead:
    `Maribel Ortega has been running the office in Madrid since 2019.`

    ## Known problems
    Chat messages written in lower case on both sides are left alone (the source must
    have capitals); a target that starts with a digit is flagged only on the evidence of
    names in the source.
    """

    code = "CS002"
    name = "lowercased-target"
    category = "casing"
    severity = "error"
    options = {"min_words": 3, "min_letters": 15, "min_names": 2}
    option_docs = {
        "min_words": "Words a target needs before a missing capital is evidence.",
        "min_letters": "Cased letters a target needs before a missing capital is evidence.",
        "min_names": "Capitalised words inside the source's sentences that ask for capitals.",
    }

    def prepare(self) -> None:
        self.conv = conventions(self)
        upper, lower = _letter_classes()
        self._upper = re.compile(f"[{upper}]")
        self._lower = re.compile(f"[{lower}]")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        targets = chunk.targets
        upper = self._upper
        # the rows without a capital, found in C (a capital is usually the first letter)
        no_capital = compress(range(len(targets)), map(operator.not_, map(upper.search, targets)))
        candidates = [r for r in no_capital if targets[r] and self._lower.search(targets[r])]
        for row in candidates:
            reason = self._reason(chunk, row)
            if reason:
                yield Hit(row, -1, -1, f"Target has no capital letter at all where {reason}")

    def _reason(self, chunk: Chunk, row: int) -> str:
        target = chunk.targets[row]
        if len(_words(target)) < self.opts["min_words"]:
            return ""
        if sum(c.islower() for c in target) < self.opts["min_letters"]:
            return ""
        tgt_open = opening(target)
        if tgt_open is not None and tgt_open.char.islower():
            if _lowercase_list(chunk, row, tgt_open):
                return ""
            reason = capital_expected(chunk, row, self.conv, _script_word(target, tgt_open.pos))
            if reason:
                return reason
        tgt_lang = scripts.base_language(chunk.tgt_langs[row])
        word = self.conv.lowered_capital(target, tgt_lang, chunk.sources[row])
        if word:
            return f"'{word}' is always written with a capital"
        src_lang = scripts.base_language(chunk.src_langs[row])
        source = chunk.sources[row]
        kept = _lowered_names(source, target)
        if kept >= self.opts["min_names"]:
            return f"the source writes {kept} of its words with a capital"
        if src_lang in self.conv.noun_capitals or not src_lang:
            return ""
        if scripts.language_script(src_lang) in _CASELESS_SOURCE:
            return ""
        names = _mid_sentence_capitals(source)
        if names >= self.opts["min_names"]:
            return f"the source has {names} capitalised names"
        return ""


@register
class AllCaps(Rule):
    """Target written in capitals where the source is in normal case.

    ## What it does
    Flags a run of at least `min_words` words in capitals (at least `min_letters`
    letters), or a whole target of two or more words in capitals, when the source has no
    run of capitalised words itself. Acronyms are short and rarely three in a row, so
    `NATO and the EU` is not flagged.

    ## Why is this bad?
    Capitals where the source has none come from a system trained on headlines or from a
    casing step gone wrong; the text reads as shouting and names lose their shape.

    ## Example
    Source: `Die Regierung hat den Plan am Montag vorgestellt.`
    Target: `THE GOVERNMENT PRESENTED THE PLAN ON MONDAY.`

    Use instead:
    `The government presented the plan on Monday.`

    ## Known problems
    A target that keeps the capitals of a source heading is left alone; a source without
    case (Chinese, Japanese) gives no evidence of its own, so a heading rendered in
    capitals is flagged unless the source has Latin words in capitals.
    """

    code = "CS003"
    name = "all-caps"
    category = "casing"
    severity = "warning"
    options = {"min_words": 3, "min_letters": 12}
    option_docs = {
        "min_words": "Words in capitals in a row that make a run (a whole target needs two).",
        "min_letters": "Letters a run in capitals needs (shorter runs are acronyms).",
    }

    def prepare(self) -> None:
        upper, _ = _letter_classes()
        # every run has a capital (or `ß`) then a capital, side by side or 1-3 marks apart:
        # the rows to read, found in C
        self._where = re.compile(f"[{upper}ß](?:[{upper}]|[^\\w\\n]{{1,3}}[{upper}])")

    # The patterns below are read only for the rows ``_where`` picks, and compiled for the
    # first of them: each spells the class of every capital several times (`_run`, 14 ms to
    # compile, seven), and a feed of a few rows may have no two capitals side by side.

    @functools.cached_property
    def _upper_word(self) -> re.Pattern[str]:
        """A word in capitals."""
        return re.compile(self._word_pattern()[0])

    @functools.cached_property
    def _run(self) -> re.Pattern[str]:
        """Two or more words in capitals (one-letter words inside: `I HAVE A STORY`), or
        one long word in capitals (a whole target of one word)."""
        upper, _ = _letter_classes()
        word, tail = self._word_pattern()
        # both alternatives open with a capital after no word character: written as the
        # capital, then the look-behind `(?<!\w.)`, so that the capital is searched for in C
        return re.compile(f"[{upper}](?<!\\w.)(?:{tail}(?:[^\\w\\n]{{1,3}}{word})+|[{upper}]{{5,}}(?!\\w))")

    @functools.cached_property
    def _lower(self) -> re.Pattern[str]:
        """A lower-case letter."""
        _, lower = _letter_classes()
        return re.compile(f"[{lower}]")

    @staticmethod
    def _word_pattern() -> tuple[str, str]:
        """(a word in capitals, what follows its first capital) as regex bodies."""
        upper, _ = _letter_classes()
        tail = f"(?:[{upper}ß]|['’\\-][{upper}])*(?!\\w)"
        return f"(?<!\\w)[{upper}]{tail}", tail

    def _caps_letters(self, text: str) -> int:
        """Letters in words of two or more capitals (acronyms, headings in capitals)."""
        return sum(len(w) for w in self._upper_word.findall(text) if len(w) >= 2)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        if not any(map(self._where.search, targets)):
            return  # no two capitals side by side: the patterns below are not even compiled
        for row, m in finditer(targets, self._run, self._where):
            text = m.group()
            whole = not self._lower.search(targets[row])
            n_words = len(self._upper_word.findall(text))
            letters = sum(c.isalpha() for c in text)
            long_run = n_words >= self.opts["min_words"] and letters >= self.opts["min_letters"]
            if not (long_run or (whole and letters >= 6)):
                continue
            # the source's own capitals (a heading, a shouted word) explain as many in the target
            if letters <= 1.5 * self._caps_letters(sources[row]) + 4:
                continue
            excerpt = text if len(text) <= 40 else text[:39] + "…"
            yield Hit(row, m.start(), m.end(), f"Capitals '{excerpt}' where the source is in normal case")


# A sentence end inside a segment: a word, sentence punctuation, space(s), then a
# lower-case letter (possibly after an opening quote). After a closing quote or bracket
# (`"…!" she said`) the sentence may go on, so those are not sentence ends.
_INNER_END = r"(?<![^\W\d_])(?P<word>[^\W\d_]+)[.!?]\s+[\"'“‘«„]?(?=(?P<first>[{lower}])(?P<rest>\w*))"
# Sentence ends inside a source: cased scripts (then a capital) and CJK marks (then text).
_SOURCE_END_CAPITAL = re.compile(r"[^\W\d_][.!?][\"'”’»)]*\s+[\"'“‘«„(]?(?P<first>[^\W\d_])")
_SOURCE_END_CJK = re.compile(r"[。！？](?=[^\s。！？”」』）)])")


@register
class LowercaseSentence(Rule):
    """Lower-case sentence inside the target where the source's has a capital.

    ## What it does
    Flags a lower-case letter after a sentence end inside the target (a word, `.`, `!` or
    `?`, a space) when the source has at least as many sentence ends inside it, each
    followed by a capital (or, in Chinese and Japanese, by more text), and none followed by
    a lower-case letter. Abbreviations before the full stop (`etc.`, `bzw.`, `г.`) come
    from the `abbreviations` table of the `casing.conventions` pack.

    ## Why is this bad?
    Two sentences joined by MT post-processing, or a truecaser that only capitalises the
    segment's first letter, leave the second sentence in lower case.

    ## Example
    Source: `Der Zug ist abgefahren. Wir warten auf den nächsten.`
    Target: `The train has left. we are waiting for the next one.`

    Use instead:
    `The train has left. We are waiting for the next one.`

    ## Known problems
    An abbreviation missing from the pack, followed by a lower-case word, is flagged when
    the source has a sentence end of its own.

    ## Fix safety
    Unsafe: the suggestion is the letter in capitals, wrong after an unknown abbreviation.
    """

    code = "CS004"
    name = "lowercase-sentence"
    category = "casing"
    severity = "warning"
    fix = Applicability.UNSAFE

    def prepare(self) -> None:
        self.conv = conventions(self)
        _, lower = _letter_classes()
        self._inner_end = re.compile(_INNER_END.format(lower=lower))
        # every match has a sentence mark, spaces and a lower-case letter: the rows to read
        self._where = re.compile(f"[.!?]\\s+[\"'“‘«„]?[{lower}]")

    def _source_ends(self, source: str, src_lang: str) -> int:
        """Sentence ends inside the source that a capital follows (-1: one is in lower case).

        In a language that capitalises nouns, only a capitalised word that is never a noun
        (`sentence_openers`) proves a sentence start.
        """
        count = 0
        for m in _SOURCE_END_CAPITAL.finditer(source):
            first = m.group("first")
            if first.islower():
                return -1
            word = _WORD.match(source, m.start("first"))
            if first.isupper() and not self.conv.noun_may_open(word.group() if word else first, src_lang):
                count += 1
        return count + len(_SOURCE_END_CJK.findall(source))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        targets = chunk.targets
        by_row: dict[int, list[re.Match[str]]] = {}
        for row, m in finditer(targets, self._inner_end, self._where):
            by_row.setdefault(row, []).append(m)
        for row, matches in by_row.items():
            tgt_lang = scripts.base_language(chunk.tgt_langs[row])
            ends = self._source_ends(chunk.sources[row], scripts.base_language(chunk.src_langs[row]))
            if ends <= 0:
                continue
            initials = self.conv.lowercase_initials.get(tgt_lang)
            for m in matches:
                if len(m.group("word")) < 2 or self.conv.abbreviation(m.group("word"), tgt_lang):
                    continue
                if _brand(m.group("first") + m.group("rest"), chunk.sources[row]):
                    continue
                if initials is not None and initials.match(targets[row], m.end() - 1):
                    continue
                before = len(_SOURCE_END_CAPITAL.findall(targets[row], 0, m.end())) + 1
                if before > ends:
                    continue
                pos = m.end()
                char = targets[row][pos]
                yield Hit(
                    row,
                    pos,
                    pos + 1,
                    f"Sentence starts in lower case ('{char}') where the source's start with capitals",
                    self.conv.capital(char, tgt_lang),
                )
