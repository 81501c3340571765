"""Language rules: a target in the wrong language, left untranslated, or in the wrong script.

LG001 and LG002 read the language verdicts that the engine's language-identification
stage computes for them (they declare ``requires``). LG003 and LG004 need no model: they
look at the Unicode script of each letter, with the script of each language from the
``language.scripts`` pack and look-alike letters from the ``language.homoglyphs`` pack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from typing import NamedTuple

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, chunk_memo, group_by_languages
from tqaudit.rules.language_script import (
    ScriptKnowledge,
    char_script,
    in_own_script,
    kind,
    label,
    masker,
    runs,
    script_chars,
    source_scripts,
    text_scripts,
    whole_target,
)
from tqaudit.rules.language_words import evidence_words, known_share
from tqaudit.rules.registry import register
from tqaudit.wordfreqs import supported

_WORD = re.compile(r"[^\W\d_]+")


class _Verdicts(NamedTuple):
    """What LG001 and LG002 compare, per row: the declared target language, the target's
    detected language and confidence, and the source's language (declared, else detected)."""

    declared: list[str]
    found: tuple[str, ...]
    conf: list[float]
    source: list[str]


def _verdicts(chunk: Chunk) -> _Verdicts:
    detected_source = chunk.annotation("source_lang")
    source = [
        scripts.base_language(d) or found for d, found in zip(chunk.src_langs, detected_source, strict=True)
    ]
    conf = [
        float(v) if isinstance(v, (int, float)) else math.nan for v in chunk.annotation("target_lang_conf")
    ]
    declared = [scripts.base_language(v) for v in chunk.tgt_langs]
    return _Verdicts(declared, chunk.annotation("target_lang"), conf, source)


def _script_label(script: str) -> str:
    return label(script)


class _LanguageRule(Rule):
    """Shared plumbing of the language rules (helpers, not a rule to inherit behaviour from)."""

    def annotation_rows(self, chunk: Chunk, name: str) -> Sequence[int] | None:
        """The rows whose verdict could make a finding of this rule (``verdict_rows``), and
        the source's detected language only where it stands in for an undeclared
        ``src_lang`` on those rows: every model call skipped is a few milliseconds saved.
        The rows are found once per chunk for all the columns the rule reads."""
        wanted = chunk_memo(chunk, ("language.verdict_rows", id(self)), lambda: self.verdict_rows(chunk))
        if not name.startswith("source_"):
            return wanted
        pairs = zip(chunk.src_langs, chunk.sources, strict=True)
        undeclared = {row for row, (declared, source) in enumerate(pairs) if not declared and source.strip()}
        return [row for row in wanted if row in undeclared]

    def verdict_rows(self, chunk: Chunk) -> list[int]:
        """Rows that need a target verdict: by default those ``judged_rows`` gives."""
        return self.judged_rows(chunk)

    def judged_rows(self, chunk: Chunk) -> list[int]:
        """Rows whose target has text in its declared language's own script (the model
        decides between languages of one script; LG003/LG006 judge the others). Computed
        once per chunk for LG001 and LG002 and all the columns they read."""
        pack = self.packs.get("language.scripts")

        def compute() -> list[int]:
            know = ScriptKnowledge.from_pack(pack)
            pairs = zip(chunk.targets, chunk.tgt_langs, strict=True)
            return [row for row, (t, lang) in enumerate(pairs) if t.strip() and in_own_script(know, t, lang)]

        return chunk_memo(chunk, ("language.judged_rows", id(pack)), compute)

    def prepare(self) -> None:
        scripts_pack = self.packs.get("language.scripts")
        glyphs_pack = self.packs.get("language.homoglyphs")
        self.script_table: dict[str, str] = scripts_pack.mapping() if scripts_pack else {}
        self.homoglyphs: dict[str, str] = glyphs_pack.mapping() if glyphs_pack else {}
        self.knowledge = ScriptKnowledge.from_pack(scripts_pack)


@register
class WrongLanguage(_LanguageRule):
    """Target in a language other than the declared target language.

    ## What it does
    Flags a segment whose detected language (from `tqaudit.langid`) differs from the
    declared `tgt_lang` with at least `min_confidence`. A target in the *source* language is
    left to LG002 (untranslated). Segments without a verdict (too short, numbers, names)
    are never flagged.

    ## Why is this bad?
    MT systems drift into a third language on noisy input (a Russian source with a Ukrainian
    quote comes out Ukrainian), and multilingual models sometimes answer in the wrong
    language outright. Such a segment is useless to the reader whatever its quality.

    ## Example
    Source: `Президент подписал указ о переносе выборов.`
    Target: `Der Präsident hat ein Dekret über die Verschiebung der Wahl unterzeichnet.`
    (declared target language `en`)

    Use instead:
    `The president signed a decree postponing the election.`

    ## Known problems
    Closely related languages (Czech and Slovak, Croatian and Serbian in Latin script) can
    be confused on short segments; raise `min_confidence` or the `[langid] min_letters`
    threshold if this happens. Languages the backend does not know are only script-checked.
    The model decides only between languages of one script: a target in a script its
    language does not write is LG003's or LG006's finding. A verdict is not believed when
    the target's words (names, numbers and URLs left out) are words of the declared
    language at least as often as of the detected one (wordfreq): langdetect reads
    `Minsk must also consider domestic political costs.` as Catalan.
    """

    code = "LG001"
    requires = ("target_lang", "target_lang_conf", "source_lang")
    name = "wrong-language"
    category = "language"
    severity = "error"
    options = {"min_confidence": 0.9, "min_letters": 25, "word_zipf": 3.0, "word_share": 0.8}
    option_docs = {
        "min_confidence": "lowest detector confidence (0-1) at which a differing language is flagged",
        "min_letters": "targets with fewer letters, once URLs, numbers, names (capitalised words "
        "inside a sentence) and acronyms are taken out, are not flagged: on a short sentence "
        "langdetect names a wrong language with confidence 1.0 (measured on WMT references)",
        "word_zipf": "wordfreq zipf frequency from which a word counts as a word of a language",
        "word_share": "share of the target's words that are words of the declared language "
        "above which a verdict for a language wordfreq does not know is not believed",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        v = _verdicts(chunk)
        targets = chunk.targets
        for row, (want, got, p) in enumerate(zip(v.declared, v.found, v.conf, strict=True)):
            if not want or not got or got == want or not p >= self.opts["min_confidence"]:
                continue
            if got == v.source[row]:
                continue  # in the source language: LG002 reports it
            words = evidence_words(targets[row])
            if sum(len(w) for w in words) < self.opts["min_letters"]:
                continue
            if not in_own_script(self.knowledge, targets[row], want):
                continue  # another script: LG003 or LG006 report it
            if self._words_of(words, want, got):
                continue
            yield Hit(
                row,
                -1,
                -1,
                f"Target detected as {got!r} (confidence {p:.2f}), not the declared {want!r}",
            )

    def verdict_rows(self, chunk: Chunk) -> list[int]:
        """Judged rows whose verdict could be flagged: a declared target language, at least
        `min_letters` of evidence, and not every word a word of the declared language (then
        ``_words_of`` believes the declaration whatever the model says)."""
        rows = []
        for row in self.judged_rows(chunk):
            want = scripts.base_language(chunk.tgt_langs[row])
            if not want:
                continue
            words = evidence_words(chunk.targets[row])
            if sum(len(w) for w in words) < self.opts["min_letters"] or self._all_declared(words, want):
                continue
            rows.append(row)
        return rows

    def _all_declared(self, words: list[str], want: str) -> bool:
        """True when ``_words_of`` holds for any detected language: every word is a word of
        the declared language (a share of 1 is at least any other language's share)."""
        if not supported(want):
            return False
        share = known_share(words, want, self.opts["word_zipf"])
        return share >= 1.0 and share >= self.opts["word_share"]

    def _words_of(self, words: list[str], want: str, got: str) -> bool:
        """True when the target's words are words of the declared language at least as
        often as of the detected one (wordfreq): the model misread a short sentence."""
        if not supported(want):
            return False
        floor = self.opts["word_zipf"]
        share = known_share(words, want, floor)
        if supported(got):
            return share >= known_share(words, got, floor)
        return share >= self.opts["word_share"]


@register
class Untranslated(_LanguageRule):
    """Target left in the source language.

    ## What it does
    Flags a segment whose target is detected (with at least `min_confidence`) in the source
    language, declared (`src_lang`) or detected, when that differs from the declared target
    language. A target identical to its source says so in the message. An empty or blank
    target whose source has text is untranslated too (pofilter's `untranslated` and
    `blank`): LG002 is the one rule that reports it by default (FD002, the same check
    without language identification, runs only when selected by its code), and in a
    localisation file only with `--untranslated`. A target in a script its language does
    not write is left to LG003/LG006.

    ## Why is this bad?
    MT pipelines copy the source through when the engine fails, times out or meets a
    segment it takes for code; a reader of the translation gets text they cannot read.

    ## Example
    Source: `Подписывайтесь на наш канал в Telegram.`
    Target: `Подписывайтесь на наш канал в Telegram.` (declared `ru` -> `en`)

    Use instead:
    `Subscribe to our Telegram channel.`

    ## Known problems
    A source sentence already in the target language (an English quote in a German text)
    is rightly copied; it is not flagged since its detected language is the target's.
    Short segments get no verdict and are not flagged; LG003 still catches a short
    untranslated segment written in another script.
    """

    code = "LG002"
    requires = ("target_lang", "target_lang_conf", "source_lang")
    name = "untranslated"
    category = "language"
    severity = "error"
    options = {"min_confidence": 0.9, "min_letters": 20}
    option_docs = {
        "min_confidence": "lowest detector confidence (0-1) for the target's source-language verdict",
        "min_letters": "targets with fewer letters are not flagged (short lines are often "
        "misread; LG003 still catches a short one in another script)",
    }

    def verdict_rows(self, chunk: Chunk) -> list[int]:
        """Judged rows whose verdict could be flagged: `min_letters` letters, and a source
        language that writes the target language's script. A judged target is mostly in
        its own language's script, so when the source language writes another (ru -> en)
        it cannot be in the source language; a target in the source's script is LG003's."""
        know = self.knowledge
        rows = []
        for row in self.judged_rows(chunk):
            target = chunk.targets[row]
            if scripts.letter_count(target) < self.opts["min_letters"]:
                continue
            own = source_scripts(know, chunk.src_langs[row], chunk.sources[row])
            native = know.native(scripts.base_language(chunk.tgt_langs[row]))
            if own and native and not own & native:
                continue
            rows.append(row)
        return rows

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        v = _verdicts(chunk)
        declared, conf = v.declared, v.conf
        sources = chunk.sources
        targets = chunk.targets
        for row, got in enumerate(v.found):
            if not targets[row].strip() and sources[row].strip():
                yield Hit(row, -1, -1, "Target is empty: the source was not translated")
                continue
            if not got or got != v.source[row] or got == declared[row]:
                continue
            if not in_own_script(self.knowledge, targets[row], declared[row]):
                continue  # another script: LG003 or LG006 report it
            if not conf[row] >= self.opts["min_confidence"]:
                continue
            if scripts.letter_count(targets[row]) < self.opts["min_letters"]:
                continue
            if targets[row].strip() == sources[row].strip():
                message = f"Target is identical to the source (in {got!r})"
            else:
                message = f"Target is in the source language {got!r} (confidence {conf[row]:.2f})"
            if declared[row]:
                message += f", not translated into {declared[row]!r}"
            yield Hit(row, -1, -1, message)


@register
class SourceScriptLeak(_LanguageRule):
    """Text in the source's script left in the target (Cyrillic in English).

    ## What it does
    Finds runs of letters in the script of the source language when the target language
    writes another script. The source script comes from `src_lang` (via the
    `language.scripts` pack) or from the source text; the target's scripts from `tgt_lang`
    (kanji count as Japanese, hanja as Korean) or the target text. When the source's script
    dominates the whole target, one finding covers the segment, at any length. Scripts in
    `allowed_scripts` (Latin, by default: brand names, URLs and codes are written in Latin
    everywhere) are reported only for a whole target of running text (`Tap Factory reset
    под Advanced.` in Russian), never for words inside a sentence of the target language.

    ## Why is this bad?
    An MT engine leaves words it cannot translate (rare names, typos, inflected forms) in the
    source script; readers of the target cannot even pronounce them. A short untranslated
    segment ("Подписаться") is too short for language identification but not for this rule.
    A lone letter with a look-alike in the target's script (`105х195`) is left to LG004,
    which can suggest the replacement.

    ## Example
    Source: `Подписывайтесь на РБК во ВКонтакте`
    Target: `Subscribe to RBC on ВКонтакте`

    Use instead:
    `Subscribe to RBC on VKontakte`

    ## Known problems
    A translation that quotes a name in its original script on purpose ("the newspaper
    Коммерсантъ") is flagged. Letters of a third script (kanji in English from a Russian
    source) are LG006's finding.
    """

    code = "LG003"
    name = "source-script-leak"
    category = "language"
    severity = "error"
    options = {"allowed_scripts": ["LATIN"], "min_share": 0.5}
    option_docs = {
        "allowed_scripts": "scripts reported only for a whole target of running text, never "
        "for words (Unicode script names as in the language.scripts pack: LATIN, CYRILLIC, HAN, "
        "KANA, ...)",
        "min_share": "share of the target's letters (a Han, kana or hangul letter counting 3) "
        "in the source's script from which the whole target is reported",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        know = self.knowledge
        allowed = {str(s).upper() for s in self.opts["allowed_scripts"]}
        sources, targets, src_langs = chunk.sources, chunk.targets, chunk.src_langs
        # by target language (grouped once per chunk for every rule): its script is looked
        # up once, and in a Latin-script language the ASCII targets are set aside first
        for (_, tgt), rows in group_by_languages(chunk).items():
            if scripts.language_script(chunk.tgt_langs[rows[0]], know.table) in ("", "LATIN"):
                # only Latin letters in a Latin-script target: nothing to leak
                rows = list(compress(rows, [not targets[r].isascii() for r in rows]))
            for row in rows:
                source, target = sources[row], targets[row]
                native = know.native(tgt, target)
                # the source's scripts first: between languages of one script (most pairs)
                # nothing can leak, and the target's scripts are not needed
                foreign = source_scripts(know, src_langs[row], source) - native
                if foreign and (leaked := foreign & know.present(target)):
                    yield from self._leaks(row, target, leaked, native, allowed)

    def _lookalike(self, word: str, native: frozenset[str]) -> bool:
        """A lone letter with a look-alike in the target's script is LG004's finding."""
        return len(word) == 1 and char_script(self.homoglyphs.get(word, "")) in native

    def _leaks(
        self, row: int, target: str, leaked: frozenset[str], native: frozenset[str], allowed: set[str]
    ) -> Iterator[Hit]:
        know = self.knowledge
        if leaked <= allowed and not know.mostly(target, leaked, self.opts["min_share"]):
            return  # only a whole target in an allowed script is reported, and this is not one
        masked = masker(target)
        expected = "/".join(sorted(_script_label(s) for s in native))
        if whole_target(
            target,
            know.weighted(target, unmasked=True),
            leaked,
            native,
            masked,
            names_allowed=leaked <= allowed,
            min_share=self.opts["min_share"],
        ):
            main = _script_label(know.dominant(target))
            yield Hit(row, -1, -1, f"Target is written in {main}, the source's script, not {expected}")
            return
        shown = leaked - allowed  # letter by letter only when a script is reported in runs
        letters = list(know.letters(target, masked)) if shown else []
        for run in runs(target, letters, lambda s: s in shown):
            text = target[run.start : run.end]
            if self._lookalike(text, native):
                continue
            yield Hit(
                row,
                run.start,
                run.end,
                f"{_script_label(run.script)} {kind(text)} {text!r} left in {expected}-script target",
            )


@register
class MixedScriptWord(_LanguageRule):
    """Word mixing look-alike letters of two scripts (`Аlmaty` with a Cyrillic `А`).

    ## What it does
    Finds words made of letters from two of the `scripts` (Latin, Cyrillic, Greek by
    default) where every letter of the minority script has a look-alike in the majority
    script (`language.homoglyphs` pack), and suggests the word in one script. A lone
    look-alike letter of another script in the target's script is reported too: the
    Cyrillic `х` of `105х195` or the Cyrillic `С` of `50°С` in English.

    ## Why is this bad?
    Homoglyphs come from OCR, from keyboard-layout slips and from MT subword vocabularies
    shared across languages. The word looks right but no search, spell-checker, glossary
    or screen reader finds it ("Аlmaty" is not "Almaty" to a computer).

    ## Example
    Source: `Алматы`
    Target: `Аlmaty is the largest city.` (first letter is CYRILLIC CAPITAL LETTER A)

    Use instead:
    `Almaty is the largest city.`

    ## Known problems
    Words mixing scripts with letters that have no look-alike (`μm`) are not reported;
    a deliberate mix (a brand styled with a Greek letter) is flagged when its letters
    happen to be look-alikes. A word or letter copied as it stands from the source (the
    Cyrillic `х` of a Russian `105х195` kept in the English `105х195`) is the source's
    spelling, not a slip of the translation, and is not reported.

    ## Fix safety
    Unsafe: replacing letters changes the word's bytes; in rare cases the mix is deliberate.
    """

    code = "LG004"
    name = "mixed-script-word"
    category = "language"
    severity = "warning"
    fix = Applicability.UNSAFE
    options = {"scripts": ["LATIN", "CYRILLIC", "GREEK"]}
    option_docs = {"scripts": "alphabets checked for look-alike mixing within a word"}

    def prepare(self) -> None:
        super().prepare()
        self._checked = {str(s).upper() for s in self.opts["scripts"]}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        glyphs = self.homoglyphs
        checked = self._checked
        table = self.script_table
        rows = zip(chunk.targets, chunk.tgt_langs, chunk.sources, strict=True)
        for row, (target, tgt_lang, source) in enumerate(rows):
            if target.isascii():  # one script only: no mix, no lone look-alike
                continue
            # a mix needs two checked scripts in the text, a lone look-alike one besides Latin
            present = text_scripts(target) & checked
            if len(present) < 2 and not present - {"LATIN"}:
                continue
            preferred = scripts.language_script(tgt_lang, table) or self.knowledge.dominant(target)
            if len(present) < 2 and not present - {preferred, "LATIN"}:
                continue
            hits = []
            copied = _SourceCopies(source)
            own = script_chars(preferred)  # (every character of the target is seen by now)
            judged: dict[str, tuple[str, str] | None] = {}  # each distinct word judged once
            for m in _WORD.finditer(target):
                word = m.group()
                if word.isascii() or own.issuperset(word):
                    continue  # all Latin or all the target's script: no mix, no other script
                if word not in judged:
                    judged[word] = self._word(word, glyphs, checked, preferred) or self._lone(
                        word, glyphs, checked, preferred
                    )
                found = judged[word]
                if found is not None and not copied(target, m.start(), m.end()):
                    hits.append(Hit(row, m.start(), m.end(), *found))
            dominant = self.knowledge.dominant(target) if hits else preferred
            if dominant == preferred or dominant not in checked:
                yield from hits  # (a target wholly in another script is LG003's or LG006's)

    def _lone(
        self, char: str, glyphs: dict[str, str], checked: set[str], preferred: str
    ) -> tuple[str, str] | None:
        """(message, suggestion) for a single letter of another script that looks like one
        of ``preferred`` (105х195)."""
        if len(char) != 1:
            return None
        script = char_script(char)
        new = glyphs.get(char, "")
        # Lone Latin letters are normal in any script (vitamin C, plan B, class A).
        if script in (preferred, "LATIN") or script not in checked or not new:
            return None
        if char_script(new) != preferred:
            return None
        return (
            f"{_script_label(script)} {char!r} in {_script_label(preferred)} text; did you mean {new!r}?",
            new,
        )

    def _word(
        self, word: str, glyphs: dict[str, str], checked: set[str], preferred: str
    ) -> tuple[str, str] | None:
        """(message, suggestion) for a word of two checked scripts whose minority letters all
        have a look-alike in the majority's script."""
        letters = [(ch, char_script(ch)) for ch in word]
        counts: dict[str, int] = {}
        for _, s in letters:
            if s in checked:
                counts[s] = counts.get(s, 0) + 1
        if len(counts) < 2:
            return None
        # Majority script; a tie goes to the target language's script.
        major = max(counts, key=lambda s: (counts[s], s == preferred))
        minority = [ch for ch, s in letters if s in checked and s != major]
        fixed = [glyphs.get(ch, "") for ch in minority]
        if not all(f and char_script(f) == major for f in fixed):
            return None
        other = _script_label(char_script(minority[0]))
        found = ", ".join(repr(ch) for ch in dict.fromkeys(minority))
        means = ", ".join(repr(f) for f in dict.fromkeys(fixed))
        suggestion = "".join(glyphs[ch] if ch in minority else ch for ch in word)
        message = f"Word {word!r} mixes {other} {found} into {_script_label(major)}; did you mean {means}?"
        return message, suggestion


class _SourceCopies:
    """Whether flagged letters stand in the source as they do in the target (with the
    characters on either side): a faithful copy of the source's own spelling.

    A flagged word inside the target is a whole letter run with a non-letter on either side,
    so it occurs in the source only as a whole letter run there with the same neighbours:
    one set of the source's runs answers each word at once, where a substring search per word
    was quadratic (a long source with many flagged words). A word at either end of the target
    (two per row at most) keeps the substring search.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._runs: set[str] | None = None

    def __call__(self, target: str, start: int, end: int) -> bool:
        """Whether the flagged ``target[start:end]`` is a copy of the source."""
        if not self.source:
            return False
        snippet = target[max(0, start - 1) : end + 1]
        if start == 0 or end >= len(target):
            return snippet in self.source
        if self._runs is None:  # every inner run with its neighbours, found in C
            self._runs = set(_RUN_IN_PLACE.findall(self.source))
        return snippet in self._runs


# A whole letter run of :data:`_WORD` with the character on either side (a zero-width match
# at every position: runs that share a neighbour are all found).
_RUN_IN_PLACE = re.compile(r"(?=([\W\d_][^\W\d_]+[\W\d_]))")
