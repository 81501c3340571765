"""Script of the target: letters of a script its language does not write (LG003, LG006).

Script alone proves these findings: no language model and no source text are needed, so a
one-word target is judged as surely as a paragraph. The script of each language, the
scripts written beside it (kanji with kana) and the letters used as symbols come from the
``language.scripts`` pack. LG003 reports the *source's* script left in the target (an
untranslated leftover); LG006 every other script the target's language does not write
(decoder debris, a third language, any foreign script when the source is unknown). The
two never report the same letters.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule, text_cache
from tqaudit.rules.registry import register

if TYPE_CHECKING:
    from tqaudit.packs import Pack

# URLs, e-mail addresses, ASCII handles and #TOKENS# (`#Product2#` before Japanese text
# ends at the kana), subreddits and bare domain names (`mapy.cz`, `norton.com/pricing`):
# written in Latin in every language, never a leftover.
# The e-mail alternative, ``\S+@\S+\.\w+`` as written before, ran in time quadratic in a
# run of non-spaces (a CJK line): tried at every position, each scanning to the run's end.
# Its match always starts where the run starts and ends after the last ``.\w`` of the run,
# when the run has an ``@`` (not first) with ``.\w`` at least two characters after it, so it
# is now tried at run starts only, checked by one lookahead, and matched without backtracking
# over every ``@``: the same matches, linear time (tests/test_hostile.py compares them).
# A domain's label is at most 63 characters (as in DNS): an unbounded label was tried from
# every position of a long run of hyphens, each try scanning to the run's end (40,000
# hyphens: over 20 s).
MASK = re.compile(
    r"https?://\S+|www\.\S+|(?<!\S)(?=\S[^\s@]*@\S\S*?\.\w)\S*\.\w+|(?<!\w)[@#][A-Za-z0-9_]+#?|(?<!\w)r/\w+"
    r"|(?<![\w.])(?:[\w-]{1,63}\.)+[a-z]{2,}(?!\w)(?:/\S*)?"
)
# A dot before a lower-case ASCII letter: where a domain name's last label starts.
_DOT_LETTER = re.compile(r"\.[a-z]")


def mask_spans(text: str) -> list[tuple[int, int]]:
    """The spans of :data:`MASK` in ``text``, in order.

    Each alternative of the pattern needs one of these in the text: an ``@`` or ``#``
    (addresses, handles, #TOKENS#), ``://``, ``r/``, ``www.`` or a dot before a lower-case
    letter (a domain's last label, before any path). Three texts of the benchmark feed in a
    hundred have one; the tests, in C, cost under a thirtieth of the pattern's pass (28 µs a
    text: its alternatives are tried at every position), which LG003 made for every target
    of a Cyrillic language with a Latin letter in it.
    """
    if not (
        "@" in text
        or "#" in text
        or "://" in text
        or "r/" in text
        or "www." in text
        or _DOT_LETTER.search(text)
    ):
        return []
    return [m.span() for m in MASK.finditer(text)]


_WORD = re.compile(r"[^\W\d_]+")
_CHAR_SCRIPT: dict[str, str] = {}


def char_script(ch: str) -> str:
    """``scripts.script_of`` with a plain dict as memo (called once per character)."""
    found = _CHAR_SCRIPT.get(ch)
    if found is None:
        found = _CHAR_SCRIPT[ch] = scripts.script_of(ch)
    return found


# Every character seen so far, and those of each script among them: the scripts of a text
# are then found by set operations on its distinct characters, in C.
_SEEN: set[str] = set()
_SCRIPT_CHARS: dict[str, set[str]] = {}


def scripts_in(chars: AbstractSet[str]) -> set[str]:
    """The scripts of the letters among ``chars`` (``char_script`` of each, not "")."""
    for ch in chars - _SEEN:
        script = char_script(ch)
        if script:
            _SCRIPT_CHARS.setdefault(script, set()).add(ch)
        _SEEN.add(ch)
    return {s for s, known in _SCRIPT_CHARS.items() if not known.isdisjoint(chars)}


@text_cache(4096)
def distinct_chars(text: str) -> frozenset[str]:
    """The distinct characters of ``text``. LG003, LG004 and LG006 each read those of every
    non-ASCII target of a chunk, one rule after the other: the set (ten microseconds for a
    CJK line, most of what the three rules spend on a row they pass) is made once per text."""
    return frozenset(text)


@text_cache(4096)
def text_scripts(text: str) -> frozenset[str]:
    """``scripts_in`` of the distinct characters of ``text``, once per text for the rules
    that ask one after the other (each asking tests the text's characters against every
    script seen so far)."""
    return frozenset(scripts_in(distinct_chars(text)))


def script_chars(script: str) -> set[str] | frozenset[str]:
    """The characters of ``script`` among those :func:`scripts_in` has seen (every
    character of a text once the text's characters went through it)."""
    return _SCRIPT_CHARS.get(script, _NONE)


_NONE: frozenset[str] = frozenset()


def kind(text: str) -> str:
    """``word`` for a run without spaces, ``text`` for several words."""
    return "text" if any(c.isspace() for c in text) else "word"


def label(script: str) -> str:
    """``CYRILLIC`` -> ``Cyrillic``; ``HAN`` -> ``Han``; ``KANA`` -> ``kana``."""
    return {"HAN": "Han", "KANA": "kana", "HANGUL": "hangul"}.get(script, script.title())


@dataclass(frozen=True)
class ScriptKnowledge:
    """What the ``language.scripts`` pack says: each language's script, the scripts written
    beside it, the scripts worth reporting and the letters that are used as symbols."""

    table: Mapping[str, str]
    companions: Mapping[str, frozenset[str]]
    known: frozenset[str]
    not_letters: frozenset[str]
    # language -> its scripts, for the languages whose script the table knows (asked for
    # every row of a chunk, by several rules)
    _natives: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_pack(cls, pack: Pack | None) -> ScriptKnowledge:
        header: Mapping[str, Any] = pack.header if pack else {}
        table = pack.mapping() if pack else {}
        companions = {k: frozenset(v) for k, v in dict(header.get("companions", {})).items()}
        known = frozenset(table.values()) | {s for v in companions.values() for s in v}
        return cls(table, companions, known, frozenset(header.get("not_letters", ())))

    def native(self, lang: str, text: str = "") -> frozenset[str]:
        """Scripts text in ``lang`` is written in; for an unknown language, the text's own."""
        known = self._natives.get(lang)
        if known is not None:
            return known
        script = scripts.language_script(lang, self.table) if lang else ""
        if script:
            known = self._natives[lang] = frozenset({script, *self.companions.get(script, ())})
            return known
        script = self.dominant(text)
        if script == "HAN":  # Han text may be Chinese, Japanese or Korean
            return frozenset({"HAN", *self.companions})
        if not script:
            return frozenset()
        return frozenset({script, *self.companions.get(script, ())})

    def letters(self, text: str, masked: Callable[[int], bool] | None = None) -> Iterator[tuple[int, str]]:
        """(offset, script) of every letter of ``text`` outside masked offsets."""
        skip = self.not_letters
        for i, ch in enumerate(text):
            if ch.isascii() and not ch.isalpha():
                continue
            script = char_script(ch)
            if script and ch not in skip and (masked is None or not masked(i)):
                yield i, script

    def present(self, text: str) -> frozenset[str]:
        """Scripts with at least one letter in ``text`` (cheap: distinct characters only)."""
        if text.isascii():
            return frozenset({"LATIN"}) if any(c.isalpha() for c in text) else frozenset()
        chars = distinct_chars(text)
        if self.not_letters.isdisjoint(chars):
            return text_scripts(text)
        return frozenset(scripts_in(chars - self.not_letters))

    def weighted(self, text: str, *, unmasked: bool = False) -> dict[str, int]:
        """:meth:`letters` counted per script, a Han, kana or hangul letter weighing
        ``scripts.CJK_WEIGHT`` (``unmasked``: outside :func:`masker`'s spans). Counted per
        distinct character in C rather than letter by letter: the same counts, and the
        scripts in the same order (that of their first letter)."""
        if unmasked:
            spans = mask_spans(text)
            if spans:
                ends = [0, *(b for _, b in spans)]
                starts = [*(a for a, _ in spans), len(text)]
                text = "".join(text[e:s] for e, s in zip(ends, starts, strict=True))
        counts: dict[str, int] = {}
        skip = self.not_letters
        for ch, n in Counter(text).items():
            if ch.isascii() and not ch.isalpha():
                continue
            script = char_script(ch)
            if script and ch not in skip:
                weight = scripts.CJK_WEIGHT if script in scripts.CJK else 1
                counts[script] = counts.get(script, 0) + n * weight
        return counts

    def mostly(self, text: str, foreign: AbstractSet[str], min_share: float) -> bool:
        """Whether the ``foreign`` scripts have ``min_share`` of the weighted letters of
        ``text`` outside its masked spans (as :func:`whole_target` counts them first)."""
        counts = self.weighted(text, unmasked=True)
        total = sum(counts.values())
        return bool(total) and sum(counts.get(s, 0) for s in foreign) >= min_share * total

    def dominant(self, text: str) -> str:
        """The script with the most letters, a Han, kana or hangul letter weighing 3."""
        counts = self.weighted(text)
        return max(counts, key=lambda s: counts[s]) if counts else ""


@dataclass(frozen=True)
class Run:
    """A stretch of letters of one script (with the spaces and marks between them)."""

    start: int
    end: int
    script: str


def masker(text: str) -> Callable[[int], bool]:
    """A test for offsets inside a URL, address, handle or domain name of ``text``."""
    spans = mask_spans(text)
    if not spans:
        return lambda i: False
    starts, ends = [a for a, _ in spans], [b for _, b in spans]  # in order, never overlapping

    def inside(i: int) -> bool:  # a bisection: a scan of every span per letter was quadratic
        at = bisect.bisect_right(starts, i) - 1
        return at >= 0 and i < ends[at]

    return inside


def runs(text: str, letters: list[tuple[int, str]], reported: Callable[[str], bool]) -> list[Run]:
    """Maximal runs of letters of ``text`` whose script is ``reported``; a letter of any
    other script or a digit ends a run, a space or punctuation mark does not."""
    out: list[Run] = []
    current: Run | None = None
    last = -1
    for i, script in letters:
        if current is not None and any(c.isdigit() for c in text[last + 1 : i]):
            current = None  # `90х190х27`: letters between digits are separate signs
        last = i
        if not reported(script):
            current = None
            continue
        if current is not None and current.script == script:
            out[-1] = current = Run(current.start, i + 1, script)
        else:
            current = Run(i, i + 1, script)
            out.append(current)
    return out


def prose_words(text: str, foreign: frozenset[str], masked: Callable[[int], bool]) -> list[str]:
    """Words of ``script`` in ``text`` that read as running text rather than a name: all
    lower case and at least two letters (`powered`, `reset`), not `iPhone` or `Royal`."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        if (
            len(word) >= 2
            and word.islower()
            and not masked(m.start())
            and all(char_script(c) in foreign for c in word)
        ):
            out.append(word)
    return out


def native_words(text: str, native: frozenset[str], masked: Callable[[int], bool]) -> int:
    """Words written wholly in the target language's own scripts."""
    n = 0
    for m in _WORD.finditer(text):
        if not masked(m.start()) and all(char_script(c) in native for c in m.group()):
            n += 1
    return n


def whole_target(
    text: str,
    counts: Mapping[str, int],
    foreign: frozenset[str],
    native: frozenset[str],
    masked: Callable[[int], bool],
    *,
    names_allowed: bool,
    min_share: float,
) -> bool:
    """True when ``text`` as a whole is written in the ``foreign`` scripts, not its own.

    ``foreign`` must have ``min_share`` of the (weighted) letters. When the script is one
    the target language borrows names from (Latin in Russian: ``names_allowed``), the
    target must also have at most one word of its own scripts and a word of running text:
    `Royal Mail International Signed for` inside a Russian sentence is a name, `Tap
    Factory reset под Advanced.` is not Russian.
    ``counts``: the weighted letters of ``text`` outside its masked spans
    (:meth:`ScriptKnowledge.weighted` with ``unmasked``).
    """
    total = sum(counts.values())
    if not total or sum(counts.get(s, 0) for s in foreign) < min_share * total:
        return False
    if not names_allowed:
        return True
    return native_words(text, native, masked) <= 1 and bool(prose_words(text, foreign, masked))


@register
class ForeignScript(Rule):
    """Text in a script the target language does not write (kanji in English).

    ## What it does
    Finds runs of letters in a script that the declared target language does not use (from
    the `language.scripts` pack; kanji count as Japanese, hanja as Korean) and that is not
    the source's script, which LG003 reports. Without a declared target language the
    target's own main script stands in. A target written mostly in such a script is one
    finding for the whole segment, at any length: no language model and no source are
    needed. Latin words in a non-Latin target are names, brands and codes and are left
    alone, unless the whole target is Latin running text; a lone letter of a
    `symbol_scripts` script (`α`, `π`) is a symbol; a run that stands as it is in the
    source is the source's own quotation; mixed words (`sushiカbar`) are found.

    ## Why is this bad?
    Multilingual decoders drift into another script (a Japanese word in an English
    sentence, Chinese characters in Russian), and a target pasted from the wrong column or
    language is useless to its reader however short it is. Language identification needs
    about twenty letters; a script needs one.

    ## Example
    Source: `Встреча в Пекине продлилась три часа.`
    Target: `The meeting in 北京 lasted three hours.`

    Use instead:
    `The meeting in Beijing lasted three hours.`

    ## Known problems
    A translation that quotes a word in a third script on purpose (a Greek motto in an
    English text translated from Czech) is flagged unless the source quotes it too.
    """

    code = "LG006"
    name = "foreign-script"
    category = "language"
    severity = "error"
    options = {"symbol_scripts": ["GREEK"], "min_share": 0.5}
    option_docs = {
        "symbol_scripts": "scripts whose lone letters are symbols in any language (Greek: "
        "`α-helix`, `π`, `Δ`)",
        "min_share": "share of the target's letters (a Han, kana or hangul letter counting 3) "
        "in foreign scripts from which the whole target is reported",
    }

    def prepare(self) -> None:
        self.knowledge = ScriptKnowledge.from_pack(self.packs.get("language.scripts"))
        self.symbols = frozenset(str(s).upper() for s in self.opts["symbol_scripts"])
        glyphs = self.packs.get("language.homoglyphs")
        self.lookalikes = frozenset(glyphs.mapping() if glyphs else ())

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        know = self.knowledge
        rows = zip(chunk.sources, chunk.targets, chunk.src_langs, chunk.tgt_langs, strict=True)
        for row, (source, target, src_lang, tgt_lang) in enumerate(rows):
            tgt = scripts.base_language(tgt_lang)
            if target.isascii() and scripts.language_script(tgt, know.table) in ("", "LATIN"):
                continue  # the common case: an English-like target, nothing foreign
            native = know.native(tgt, target)
            leaked = source_scripts(know, src_lang, source)
            foreign = {s for s in know.present(target) - native - leaked if s in know.known}
            if native and foreign:
                yield from self._findings(row, target, source, native, foreign)

    def _findings(
        self, row: int, target: str, source: str, native: frozenset[str], foreign: set[str]
    ) -> Iterator[Hit]:
        masked = masker(target)
        counts = self.knowledge.weighted(target, unmasked=True)
        expected = "/".join(sorted(label(s) for s in native))
        borrowed = {"LATIN"} if "LATIN" not in native else set()  # names, brands, codes
        for script in sorted(foreign):
            if whole_target(
                target,
                counts,
                frozenset({script}),
                native,
                masked,
                names_allowed=script in borrowed,
                min_share=self.opts["min_share"],
            ):
                yield Hit(row, -1, -1, f"Target is written in {label(script)}, not {expected}")
                return
        # letter by letter only when a script is reported in runs (not for borrowed Latin)
        shown = foreign - borrowed
        letters = list(self.knowledge.letters(target, masked)) if shown else []
        for run in runs(target, letters, lambda s: s in shown):
            text = target[run.start : run.end]
            if len(text) == 1 and run.script in self.symbols:
                continue
            if text in source:
                continue  # quoted as it stands in the source
            message = f"{label(run.script)} {kind(text)} {text!r} in {expected}-script target"
            yield Hit(row, run.start, run.end, message)
        yield from self._mixed(row, target, native, borrowed, masked)

    def _mixed(
        self, row: int, target: str, native: frozenset[str], borrowed: set[str], masked: Callable[[int], bool]
    ) -> Iterator[Hit]:
        """Borrowed-script letters inside a word of the target's own script (`прoграмма`
        with a Latin `o` is LG004's: it has a look-alike; `приvет` is this rule's)."""
        if not borrowed or native & scripts.CJK:
            return  # Chinese and Japanese write Latin names with no space between words
        judged: dict[str, str | None] = {}  # each distinct word judged once (a long text repeats them)
        for m in _WORD.finditer(target):
            word = m.group()
            if word not in judged:
                judged[word] = self._mix_message(word, native, borrowed)
            message = judged[word]
            if message is not None and not masked(m.start()):
                yield Hit(row, m.start(), m.end(), message)

    def _mix_message(self, word: str, native: frozenset[str], borrowed: set[str]) -> str | None:
        """The finding's message for a word with borrowed letters among its own, or None."""
        found = {char_script(c) for c in word}
        if not (found & native and found & borrowed):
            return None
        stray = "".join(c for c in word if char_script(c) in borrowed)
        if all(c in self.lookalikes for c in stray):
            return None  # every stray letter has a look-alike: LG004's finding
        own = label(sorted(found & native)[0])
        return f"Word {word!r} mixes Latin {stray!r} into {own}"


def source_script(know: ScriptKnowledge, src_lang: str, source: str) -> str:
    """The source's script: its declared language's, else the source text's own."""
    declared = scripts.language_script(src_lang, know.table) if src_lang else ""
    return declared or know.dominant(source)


def source_scripts(know: ScriptKnowledge, src_lang: str, source: str) -> frozenset[str]:
    """The scripts of the source language (kana and Han for Japanese), declared or seen."""
    if not src_lang and not source.strip():
        return frozenset()
    return know.native(scripts.base_language(src_lang), source)


def in_own_script(know: ScriptKnowledge, target: str, tgt_lang: str) -> bool:
    """True when ``target``'s main script is one its declared language writes (or no
    language is declared): only then can a language model tell which language it is in;
    a target in another script is LG003's or LG006's, whatever the model says."""
    native = know.native(scripts.base_language(tgt_lang))
    if not native:
        return True
    counts = know.weighted(target, unmasked=True)
    return not counts or max(counts, key=lambda s: counts[s]) in native


def reported_whole(know: ScriptKnowledge, target: str, tgt_lang: str, min_share: float = 0.5) -> bool:
    """True when LG003 or LG006 report ``target`` as a whole: written in scripts its
    declared language does not use (Latin only as running text, not as names)."""
    native = know.native(scripts.base_language(tgt_lang))
    foreign = frozenset(s for s in know.present(target) - native if s in know.known)
    if not native or not foreign:
        return False
    counts = know.weighted(target, unmasked=True)
    names_allowed = foreign <= {"LATIN"}
    return whole_target(
        target, counts, foreign, native, masker(target), names_allowed=names_allowed, min_share=min_share
    )
