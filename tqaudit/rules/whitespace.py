"""Whitespace rules: doubled spaces, spaces inside quotation marks, invisible characters."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Applicability, Hit, Rule, regex_hits, remap
from tqaudit.rules.registry import register


@register
class DoubleSpace(Rule):
    """Two or more spaces between words (`the  president`).

    ## What it does
    Flags runs of two or more spaces (or no-break spaces) inside a target, between two
    non-space characters, unless the source has a run of spaces too. Two spaces after
    sentence-final punctuation (the typewriter convention) are flagged only when the
    source puts a single space after its sentences.

    ## Why is this bad?
    Doubled spaces come from joined tokens or dropped words; they show in HTML as stray
    gaps in `<pre>` and in plain-text feeds, and often mark the place where a word was lost.

    ## Example
    Source: `Президент Казахстана заявил`
    Target: `President of Kazakhstan  said`

    Use instead:
    `President of Kazakhstan said`

    ## Known problems
    Plain-text tables aligned with spaces are flagged; ignore the rule for such content.

    ## Fix safety
    Safe: the run is replaced by one space.
    """

    code = "WS001"
    name = "double-space"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE
    _pattern = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
    _after_sentence = re.compile(r"[.!?:\"”][ \u00a0]{2,}$")
    _single_after_sentence = re.compile(r"[.!?] (?=\S)")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        for hit in regex_hits(texts, self._pattern, "Double space", " "):
            source = sources[hit.row]
            if self._pattern.search(source):
                continue
            # Two spaces after a sentence are the typewriter convention, or join sentences of
            # a source written without spaces (Japanese): flagged only against a source
            # that puts one space after its sentences.
            after = self._after_sentence.search(texts[hit.row][: hit.end])
            if after and not self._single_after_sentence.search(source):
                continue
            yield hit


@register
class SpaceInsideQuotes(Rule):
    """Space just inside a quotation mark (`“ How long`, `« Oui »` in English).

    ## What it does
    Flags a space right after an opening curly quotation mark (`“`, `„`, `«` in languages
    that do not space guillemets) or right before a closing one (`”`).

    ## Why is this bad?
    The tokenizer separated the mark from the word and detokenisation did not join them;
    the quotation looks broken and can wrap onto its own line.

    ## Example
    Source: `«Сколько длилась подготовка?»`
    Target: `“ How long did this preparation take?”`

    Use instead:
    `“How long did this preparation take?”`

    ## Known problems
    French and Vietnamese put a (no-break) space inside guillemets: a target language whose
    `punctuation.<lang>` pack sets `spaced_guillemets` is not flagged for `«`/`»`.

    ## Fix safety
    Safe: only the space is removed.
    """

    code = "WS002"
    name = "space-inside-quotes"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE
    # An opening mark starts the text or follows a space or bracket; a mark glued to the
    # preceding word (German „Wort“, or a closing “ typed for ”) is a closing mark.
    # A closing mark is followed by a space, punctuation or the end (German »Wort« opens
    # with », so a » before a word is not a closing mark).
    _pattern = re.compile(
        r"(?:^|(?<=[\s(\[]))(?P<open>[“„«])[ \t]+(?=\w)"
        r"|(?<=[\w.,!?;:])[ \t]+(?P<close>[”»])(?=[\s.,;:!?)\]]|$)"
    )

    def _spaced(self, src: str, tgt: str) -> bool:
        """Whether the target language spaces the inside of « » (its ``punctuation.<lang>`` pack)."""
        return any(
            p.header.get("spaced_guillemets") for p in self.packs.for_languages("punctuation", src, tgt)
        )

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for spaced, rows in self.by_language(chunk, self._spaced):
            hits = regex_hits(
                [chunk.targets[r] for r in rows],
                self._pattern,
                "Space inside quotation mark '{open}{close}'",
                "{open}{close}",
            )
            yield from remap((h for h in hits if not (spaced and h.suggestion in ("«", "»"))), rows)


def _invisible(char: str) -> bool:
    """Zero-width and format characters (Unicode category Cf) other than joiners in scripts that need them."""
    return unicodedata.category(char) == "Cf" and char not in "\u200c\u200d"


@functools.lru_cache(maxsize=1)
def invisible_pattern() -> re.Pattern[str]:
    """One character class of every invisible character (built once, on first use)."""
    chars = "".join(re.escape(chr(c)) for c in range(0x110000) if _invisible(chr(c)))
    return re.compile(f"[{chars}]+")


@register
class InvisibleCharacter(Rule):
    """Invisible format character in the target (U+200B, U+FEFF, U+00AD).

    ## What it does
    Flags invisible format characters (Unicode category Cf: zero-width space, byte-order
    mark, soft hyphen, bidirectional controls) that the source does not contain. Zero-width
    joiner and non-joiner are allowed: Persian, Indic scripts and emoji need them.

    ## Why is this bad?
    Invisible characters break search, matching against glossaries and tokenisation in
    the next tool, and bidirectional controls can reorder what a reader sees.

    ## Example
    Source: `Алматы`
    Target: `Al\u200bmaty`

    Use instead:
    `Almaty`

    ## Known problems
    A soft hyphen put in on purpose for hyphenation is flagged. Bidirectional marks in
    right-to-left targets and U+200B in Thai, Lao, Khmer, Myanmar and Tibetan are allowed
    (the `whitespace.invisible` pack); they need `tgt_lang` to be known.

    ## Fix safety
    Safe: the characters are removed; nothing visible changes.
    """

    code = "WS003"
    name = "invisible-character"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE

    def prepare(self) -> None:
        self._allowed = self._allowed_by_language()

    def _allowed_by_language(self) -> dict[str, set[str]]:
        """Characters each target language legitimately uses (``whitespace.invisible`` pack)."""
        pack = self.packs.get("whitespace.invisible")
        by_language = pack.by_language() if pack else {}
        return {lang: set("".join(chars)) for lang, chars in by_language.items()}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        langs = chunk.tgt_langs
        allowed = self._allowed
        for hit in regex_hits(texts, invisible_pattern(), ""):
            chars = texts[hit.row][hit.start : hit.end]
            ok = allowed.get(langs[hit.row], set())
            if all(c in sources[hit.row] or c in ok for c in chars):
                continue
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in chars}))
            yield Hit(hit.row, hit.start, hit.end, f"Invisible character {names}", "")
