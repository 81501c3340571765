"""Language rules without a model: a target that is a copy of its source (pofilter's unchanged).

LG002 (in ``language.py``) finds an untranslated target by language identification, which
needs about twenty letters. LG005 catches the copies too short for a verdict, by comparing
the texts, and leaves alone copies that LG002 already reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.language_script import ScriptKnowledge, reported_whole
from tqaudit.rules.registry import register
from tqaudit.wordfreqs import supported, zipf

# Parts of a text that every language copies: URLs, e-mail addresses, @handles, r/forums,
# #hashtags and #PRS_ORG#-style tokens, numbers. What remains is what should be translated.
# The e-mail alternative, ``\S+@\S+\.\w+`` as written before, ran in time quadratic in a
# run of non-spaces (a CJK line): tried at every position, each scanning to the run's end.
# Its match always starts where the run starts and ends after the last ``.\w`` of the run,
# when the run has an ``@`` (not first) with ``.\w`` at least two characters after it, so it
# is now tried at run starts only, checked by one lookahead, and matched without backtracking
# over every ``@``: the same matches, linear time (tests/test_hostile.py compares them).
_COPIED = re.compile(
    r"https?://\S+|www\.\S+|(?<!\S)(?=\S[^\s@]*@\S\S*?\.\w)\S*\.\w+|(?<!\w)[@#][\w#]+|(?<!\w)r/\w+|\d+(?:[.,:]\d+)*"
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@register
class CopiedSource(Rule):
    """Target identical to the source (left untranslated).

    ## What it does
    Flags a segment whose target equals its source (ignoring surrounding spaces) when the
    source and target languages differ and the text has at least `min_letters` letters
    once URLs, e-mail addresses, handles, `#TOKENS#` and numbers are taken out. A copy is
    not flagged when it is plausibly meant: the source is not written in its own
    language's script (an English phrase in a Chinese source), or, for languages sharing a
    script, every word is a name (capitalised and not a common word of the source
    language: `Teath-In.`) or a word of the target language too (`Vojtěch versus
    Hamáček.`, by wordfreq). Copies that LG002 reports (detected in the source language by
    langid) and copies in a script the target language does not write (LG003/LG006) are
    left to those rules.

    ## Why is this bad?
    MT pipelines pass the source through when the engine fails or takes a segment for
    code; short segments (menu items, headings, `Tap Accounts.`) are too short for
    language identification, so only the comparison with the source finds them.

    ## Example
    Source: `Missed Out on Shiba Inu?` (English to Russian)
    Target: `Missed Out on Shiba Inu?`

    Use instead:
    `Пропустили Shiba Inu?`

    ## Known problems
    For a target language wordfreq does not know (Afrikaans), any copied common word of
    the source language counts as untranslated, `Hotel` included. Words that are the same
    in both languages are copies only by accident; raise `min_letters` for UI strings.
    """

    code = "LG005"
    requires = ("target_lang", "target_lang_conf")
    name = "copied-source"
    category = "language"
    severity = "warning"
    options = {"min_letters": 3, "lg002_min_letters": 20, "lg002_min_confidence": 0.9, "word_zipf": 3.0}
    option_docs = {
        "word_zipf": "wordfreq zipf frequency from which a word counts as a word of a language "
        "(a copy made only of names and target-language words is kept)",
        "min_letters": "copies with fewer letters (after URLs, tokens and numbers are taken "
        "out) are not flagged",
        "lg002_min_letters": "LG002's `min_letters`: copies it can report are left to it",
        "lg002_min_confidence": "LG002's `min_confidence`: copies it can report are left to it",
    }

    def annotation_rows(self, chunk: Chunk, name: str) -> list[int]:
        """Only copies need a language verdict."""
        pairs = zip(chunk.sources, chunk.targets, strict=True)
        return [row for row, (s, t) in enumerate(pairs) if s.strip() and s.strip() == t.strip()]

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        found = chunk.annotation("target_lang")
        conf = chunk.annotation("target_lang_conf")
        for row, (source, target) in enumerate(zip(chunk.sources, chunk.targets, strict=True)):
            text = source.strip()
            if not text or text != target.strip():
                continue
            src_lang = scripts.base_language(chunk.src_langs[row])
            tgt_lang = scripts.base_language(chunk.tgt_langs[row])
            if src_lang and src_lang == tgt_lang:
                continue
            words = _WORD.findall(_COPIED.sub(" ", text))
            if sum(len(w) for w in words) < self.opts["min_letters"]:
                continue
            src_script = scripts.language_script(src_lang) or scripts.dominant_script(text)
            tgt_script = scripts.language_script(tgt_lang) or src_script
            if scripts.dominant_script(text) != src_script:
                continue  # not in the source language: a quotation already in another language
            if reported_whole(self.knowledge, text, tgt_lang):
                continue  # in a script the target language does not write: LG003/LG006
            if tgt_script == src_script and self._kept(words, src_lang, tgt_lang):
                continue
            lang, confidence = str(found[row] or ""), _confidence(conf[row])
            if lang and lang == tgt_lang:
                continue  # the source is already in the target language
            if self._lg002_reports(text, lang, confidence, src_lang):
                continue
            yield Hit(row, -1, -1, f"Target is identical to the source: {_short(text)!r}")

    def prepare(self) -> None:
        self.knowledge = ScriptKnowledge.from_pack(self.packs.get("language.scripts"))

    def _kept(self, words: list[str], src: str, tgt: str) -> bool:
        """A copy that is right in the target language too: capitalised words are names
        (`Teath-In.`, `Vojtěch versus Hamáček.`) and lower-case words must be words of the
        target language (`versus`, by wordfreq). A copy of one capitalised word is a name
        only when it is not a common word of the source language that the target language
        lacks (`Unchanged`, `Save`: interface strings left in English)."""
        floor = self.opts["word_zipf"]

        def target_word(lower: str) -> bool:
            return supported(tgt) and zipf(lower, tgt) >= floor

        if len(words) == 1 and words[0][0].isupper():
            lower = words[0].lower()
            common = supported(src) and zipf(lower, src) >= floor
            return not common or target_word(lower)
        return all(w[0].isupper() or target_word(w.lower()) for w in words)

    def _lg002_reports(self, text: str, lang: str, confidence: float, src_lang: str) -> bool:
        return (
            bool(lang)
            and lang == src_lang
            and confidence >= self.opts["lg002_min_confidence"]
            and scripts.letter_count(text) >= self.opts["lg002_min_letters"]
        )


def _confidence(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
