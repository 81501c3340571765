"""Repetition rules: doubled words and the phrase loops of degenerate MT decoding."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, regex_hits
from tqaudit.rules.registry import register


def _name_or_emphasis(words: list[str], sentence_start: bool) -> bool:
    """``Run Run`` inside a sentence is a name (Sir Run Run Shaw); ``sehr SEHR`` is emphasis."""
    first, second = words[0], words[-1]
    if second.isupper() and not first.isupper() and len(second) > 1:
        return True
    return not sentence_start and first[:1].isupper() and second[:1].isupper()


@register
class RepeatedWord(Rule):
    """The same word twice in a row (`the the`).

    ## What it does
    Flags a word immediately repeated (case-insensitively) when the source does not
    repeat it too. Pairs that grammar allows (`had had`, German `die die`, French
    `nous nous`) are listed per language in the `repetition` pack.

    ## Why is this bad?
    A doubled word is a typical decoding slip of neural MT and reads as careless.

    ## Example
    Source: `Протесты начались 2 января.`
    Target: `The the protests began on January 2.`

    Use instead:
    `The protests began on January 2.`

    ## Known problems
    Reduplication for emphasis ("very very") in informal text; add such words to a user
    pack. Numbers are never flagged, nor are a capitalised pair inside a sentence (a
    name: "Sir Run Run Shaw") and a repetition in capitals ("sehr SEHR gut").

    ## Fix safety
    Unsafe: the second word is deleted, which is wrong where the repetition is intended.
    """

    code = "RP001"
    name = "repeated-word"
    category = "repetition"
    severity = "warning"
    fix = Applicability.UNSAFE
    _pattern = re.compile(r"(?<!\w)(?P<word>[^\W\d_]+)(?P<rest>\s+(?P=word))(?!\w)", re.IGNORECASE)

    def prepare(self) -> None:
        self._allowed = self._allowed_by_language()

    def _allowed_by_language(self) -> dict[str, set[str]]:
        pack = self.packs.get("repetition")
        by_language = pack.by_language() if pack else {}
        return {lang: {w.casefold() for w in words} for lang, words in by_language.items()}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        allowed = self._allowed
        langs = chunk.tgt_langs
        sources = [s.casefold() for s in chunk.sources]
        texts = chunk.targets
        hits = regex_hits(
            texts,
            self._pattern,
            "Word '{word}' is repeated",
            lambda m: m.group("word"),
        )
        for hit in hits:
            text = texts[hit.row][hit.start : hit.end]
            word = text.split()[0].casefold()
            lang = langs[hit.row]
            ok = allowed.get(lang, set()) | allowed.get("*", set())
            if not lang:
                ok = {w for words in allowed.values() for w in words}
            if word in ok or " ".join(text.split()).casefold() in sources[hit.row]:
                continue
            if _name_or_emphasis(
                text.split(), hit.start == 0 or texts[hit.row][: hit.start].rstrip()[-1:] in ".!?"
            ):
                continue
            yield hit


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
            r"(?<!\w)(?P<unit>[^\W\d_]+(?:[\s,;]+[^\W\d_]+){0,7}?)"
            rf"(?:[\s,;]+(?P=unit)(?!\w)){{{copies},}}",
            re.IGNORECASE,
        )
        pack = self.packs.get("repetition")
        self._joiners = {w.casefold() for w in (pack.header.get("rhetorical_joiners", []) if pack else [])}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        texts = chunk.targets
        joiners = self._joiners
        for hit in regex_hits(texts, self._loop, ""):
            text = texts[hit.row][hit.start : hit.end]
            words = text.replace(",", " ").replace(";", " ").split()
            if len(words) > 1 and words[1].casefold() in joiners:  # "again and again and again"
                continue
            yield Hit(hit.row, hit.start, hit.end, f"Repetition loop '{' '.join(text.split())}'")
