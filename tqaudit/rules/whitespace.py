"""Whitespace rules: doubled spaces, spaces inside quotation marks, invisible characters."""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import compress, repeat

from tqaudit import scripts
from tqaudit.chunk import Chunk, finditer, rows_containing
from tqaudit.rules.base import Applicability, Hit, Rule, regex_hits, remap
from tqaudit.rules.registry import register


@register
class DoubleSpace(Rule):
    """Two or more spaces between words (`the  president`).

    ## What it does
    Flags runs of two or more spaces (or no-break spaces) inside a target, between two
    non-space characters, unless the source has as many gaps that explain them: runs of
    two or more spaces (zero-width spaces included), or, in a source written without
    spaces (Chinese, Japanese, Thai), any space (it separates a heading from its text).
    Two spaces after sentence-final punctuation and before the letter that starts the
    next sentence (the typewriter convention) are flagged only when the source puts a
    single space after its sentences; before a digit or a symbol they are flagged.

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
    On the WMT22 references it fires 6 times (0.3 per 1,000 segments), each a double
    space the human translator typed; MT systems almost never produce one.

    ## Fix safety
    Safe: the run is replaced by one space.
    """

    code = "WS001"
    name = "double-space"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE
    _pattern = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
    # two spaces after a sentence, before the letter (or quoted letter) that starts the next
    _after_sentence = re.compile(r"[.!?:\"”][ \u00a0]{2,}$")
    _next_sentence = re.compile(r"[\"“„«‘']?[^\W\d_]")
    _single_after_sentence = re.compile(r"[.!?] (?=\S)")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        by_row: dict[int, list[Hit]] = {}
        # every match has two spaces side by side, so a no-break space or two plain ones:
        # the rows to read, found by substring tests in C
        rows = [row for row, text in enumerate(texts) if "  " in text or "\u00a0" in text]
        found = regex_hits([texts[row] for row in rows], self._pattern, "Double space", " ")
        for hit in remap(found, rows):
            by_row.setdefault(hit.row, []).append(hit)
        for row, hits in by_row.items():
            source = sources[row]
            if len(hits) <= source_gaps(source):
                continue
            for hit in hits:
                if not self._typewriter(texts[row], hit, source):
                    yield hit

    def _typewriter(self, text: str, hit: Hit, source: str) -> bool:
        """Two spaces after a sentence and before the next one's letter (the typewriter way).

        Also how sentences of a source written without spaces (Japanese) are joined: allowed
        unless the source puts one space after its sentences.
        """
        # the hit is a whole run of spaces after a non-space, so only the character before it
        # can start a match ending at hit.end: searching from 0 was quadratic in the segment
        after = self._after_sentence.search(text, max(hit.start - 1, 0), hit.end)
        before_letter = self._next_sentence.match(text, hit.end)
        return bool(after and before_letter and not self._single_after_sentence.search(source))


# Scripts written without spaces between words: a space in such a source separates parts
# (a title from its tagline, a name from a placeholder) that a translation may render as a
# wider gap.
_UNSPACED_SCRIPTS = frozenset({"HAN", "KANA", "THAI", "LAO", "KHMER", "MYANMAR"})
_SOURCE_GAP = re.compile(r"[\s\u200b\ufeff]{2,}")
_SOURCE_SPACE = re.compile(r"[\s\u200b\ufeff]+")


def _unspaced_letters(text: str) -> int:
    """Letters of scripts written without spaces (placeholders like `#NAME#` are Latin)."""
    counts = scripts.script_counts(text)
    return sum(n for script, n in counts.items() if script in _UNSPACED_SCRIPTS)


def source_gaps(source: str) -> int:
    """Gaps of the source that a double space in the target may render faithfully.

    Runs of two or more spaces (zero-width spaces count: `, \u200b\u200b`); in a source
    written without spaces (Chinese, Japanese, Thai), any run of spaces.
    """
    source = source.strip()
    if not source:
        return 0
    if _SOURCE_SPACE.search(source) and _unspaced_letters(source) >= 3:
        return len(_SOURCE_SPACE.findall(source))
    return len(_SOURCE_GAP.findall(source))


@register
class SpaceInsideQuotes(Rule):
    """Space just inside a quotation mark (`“ How long`, `« Oui »` in English).

    ## What it does
    Flags a space right after an opening curly quotation mark (`“`, `„`, `«` in languages
    that do not space guillemets) or right before a closing one (`”`), and the spaces
    inside a pair of straight quotation marks spaced on both sides (`He said: " We will
    keep working. "`).

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
    A source that spaces the inside of its own quotation marks, and a Chinese or Japanese
    full stop before the source's closing quote (`1%。”`, which translators write
    `1%. ”`), explain the space and are not flagged.

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

    # every match has one of these marks: the rows to read, found by substring tests
    _marks = ("“", "„", "«", "”", "»")
    # Straight quotation marks open and close alike: a pair is spaced inside when the first
    # opens (at the start or after a space, bracket or colon) with a space before a word and
    # the next one closes with a space after a word or mark (`He said: " We will. "`, a
    # tokenised quotation that was never joined back).
    _straight = re.compile(
        r'(?:^|(?<=[\s(\[:]))"(?P<open>[ \t]+)(?=\w)'
        r'[^"\n]*?(?<=[\w.,!?;:])(?P<close>[ \t]+)"(?=[\s.,;:!?)\]]|$)'
    )

    def _spaced(self, src: str, tgt: str) -> bool:
        """Whether the target language spaces the inside of « » (its ``punctuation.<lang>`` pack)."""
        return any(
            p.header.get("spaced_guillemets") for p in self.packs.for_languages("punctuation", src, tgt)
        )

    # every text with a spaced straight pair has a straight mark after a space or tab
    _straight_where = re.compile(r'"[ \t]')
    # the source spaces the inside of its own quotation marks
    _source_spaced = re.compile(r"[“„«\"「『][ \t\u3000]+\S|\S[ \t\u3000]+[”»\"」』]")
    # a full-width sentence mark before a closing quote (`1%。”`): it is as wide as a mark
    # and a space, and translators write it as `. ”`
    _wide_stop = re.compile(r"[。！？][”\"」』’]")
    _stop_before = re.compile(r"[.!?]$")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        for spaced, all_rows in self.by_language(chunk, self._spaced):
            picked = rows_containing([targets[r] for r in all_rows], self._marks)
            rows = [all_rows[i] for i in picked]
            hits = regex_hits(
                [targets[r] for r in rows],
                self._pattern,
                "Space inside quotation mark '{open}{close}'",
                "{open}{close}",
            )
            for hit in remap(hits, rows):
                if spaced and hit.suggestion in ("«", "»"):
                    continue
                if not self._explained(hit, targets[hit.row], sources[hit.row]):
                    yield hit
        yield from self._straight_pairs(chunk)

    def _straight_pairs(self, chunk: Chunk) -> Iterator[Hit]:
        """The spaces inside a pair of straight quotation marks (`" We will. "`), unless
        the source spaces its own quotation marks."""
        for row, m in finditer(chunk.targets, self._straight, self._straight_where):
            if self._source_spaced.search(chunk.sources[row]):
                continue
            message = "Space inside quotation mark '\"'"
            yield Hit(row, m.start(), m.end("open"), message, '"')
            yield Hit(row, m.start("close"), m.end(), message, '"')

    def _explained(self, hit: Hit, target: str, source: str) -> bool:
        """Whether the source has the same spacing, or a wide full stop before its quote."""
        if self._source_spaced.search(source):
            return True
        closing = hit.suggestion in ("”", "»")
        return (
            closing
            and bool(self._stop_before.search(target, 0, hit.start))
            and bool(self._wide_stop.search(source))
        )


def _invisible(char: str) -> bool:
    """Zero-width and format characters (Unicode category Cf) other than joiners in scripts that need them."""
    return unicodedata.category(char) == "Cf" and char not in "\u200c\u200d"


# The code points ``_invisible`` accepts, by the Unicode version of ``unicodedata`` (Pythons
# 3.10 to 3.13), as ranges: the same set as a walk over all 1.1M code points, which costs
# a third of a CPU-second. Another Unicode version is walked (tests compare the two).
_INVISIBLE_RANGES: dict[str, str] = {
    "13.0.0": "00AD 0600-0605 061C 06DD 070F 08E2 180E 200B 200E-200F 202A-202E 2060-2064 2066-206F"
    " FEFF FFF9-FFFB 110BD 110CD 13430-13438 1BCA0-1BCA3 1D173-1D17A E0001 E0020-E007F",
    "14.0.0": "00AD 0600-0605 061C 06DD 070F 0890-0891 08E2 180E 200B 200E-200F 202A-202E 2060-2064"
    " 2066-206F FEFF FFF9-FFFB 110BD 110CD 13430-13438 1BCA0-1BCA3 1D173-1D17A E0001 E0020-E007F",
    "15.0.0": "00AD 0600-0605 061C 06DD 070F 0890-0891 08E2 180E 200B 200E-200F 202A-202E 2060-2064"
    " 2066-206F FEFF FFF9-FFFB 110BD 110CD 13430-1343F 1BCA0-1BCA3 1D173-1D17A E0001 E0020-E007F",
}
_INVISIBLE_RANGES["15.1.0"] = _INVISIBLE_RANGES["15.0.0"]


def invisible_chars(version: str | None = None) -> str:
    """Every invisible character in code point order (from the table when it knows ``version``)."""
    ranges = _INVISIBLE_RANGES.get(version or unicodedata.unidata_version)
    if ranges is None:
        return "".join(chr(c) for c in range(0x110000) if _invisible(chr(c)))
    out: list[str] = []
    for span in ranges.split():
        first, _, last = span.partition("-")
        out.extend(map(chr, range(int(first, 16), int(last or first, 16) + 1)))
    return "".join(out)


@functools.lru_cache(maxsize=1)
def invisible_pattern() -> re.Pattern[str]:
    """One character class of every invisible character (built once, on first use)."""
    chars = "".join(map(re.escape, invisible_chars()))
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
        # Format characters are not printable: str.isprintable (in C) picks the few rows the
        # large character class must scan.
        rows = [row for row, text in enumerate(texts) if not text.isprintable()]
        candidates = [texts[row] for row in rows]
        for hit in remap(regex_hits(candidates, invisible_pattern(), ""), rows):
            chars = texts[hit.row][hit.start : hit.end]
            ok = allowed.get(langs[hit.row], set())
            if all(c in sources[hit.row] or c in ok for c in chars):
                continue
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in chars}))
            yield Hit(hit.row, hit.start, hit.end, f"Invisible character {names}", "")


_LEADING = re.compile(r"^\s+")
_TRAILING = re.compile(r"\s+$")


def _cjk_language(lang: str) -> bool:
    return scripts.base_language(lang) in ("ja", "zh", "ko")


def _edge(text: str, pattern: re.Pattern[str], tgt_lang: str) -> str:
    """The whitespace at one edge of ``text``; an ideographic indent counts only in CJK targets."""
    m = pattern.search(text)
    edge = m.group() if m else ""
    return edge if _cjk_language(tgt_lang) else edge.replace("\u3000", "")


def _edge_hits(chunk: Chunk, pattern: re.Pattern[str], where: str) -> Iterator[Hit]:
    """A hit where the whitespace at one edge of the target differs from the source's."""
    sources, targets = chunk.sources, chunk.targets
    # the edge character alone says which rows need a look: those that strip changes (a
    # text without whitespace at that edge comes back as is), found in C
    strip = str.lstrip if where == "Leading" else str.rstrip
    everything = range(len(targets))
    spaced = [
        compress(everything, map(operator.ne, map(len, texts), map(len, map(strip, texts))))
        for texts in (sources, targets)
    ]
    rows = sorted({*spaced[0], *spaced[1]})
    for row in rows:
        source, target = sources[row], targets[row]
        if not source.strip() or not target.strip():
            continue
        want = _edge(source, pattern, chunk.tgt_langs[row])
        m = pattern.search(target)
        have = m.group() if m else ""
        if have == want:
            continue
        start = m.start() if m else (0 if where == "Leading" else len(target))
        if not have:
            message = f"{where} whitespace {want!r} of the source is missing"
        elif not want:
            message = f"{where} whitespace {have!r} that the source lacks"
        else:
            message = f"{where} whitespace {have!r} where the source has {want!r}"
        yield Hit(row, start, start + len(have), message, want)


@register
class LeadingWhitespace(Rule):
    """Whitespace at the start of the target that differs from the source's.

    ## What it does
    Compares the whitespace before the first visible character of source and target
    (pofilter's `startwhitespace`) and flags a target that adds, drops or changes it.
    Segments without a source are skipped. An ideographic-space indent (U+3000) of a
    Chinese or Japanese source is not expected in a target in another language.

    ## Why is this bad?
    Leading whitespace is layout: in software strings and subtitles it indents or aligns;
    an extra space from a tokenizer or a lost indent shows on screen.

    ## Example
    Source: `Der Zug fährt ab.`
    Target: ` The train leaves.`

    Use instead:
    `The train leaves.`

    ## Known problems
    A source whose leading whitespace is an artifact itself passes it on to the expected
    target.

    ## Fix safety
    Safe: the target's leading whitespace is replaced by the source's; no text changes.
    """

    code = "WS004"
    name = "leading-whitespace"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        return _edge_hits(chunk, _LEADING, "Leading")


@register
class TrailingWhitespace(Rule):
    """Whitespace at the end of the target that differs from the source's.

    ## What it does
    Compares the whitespace after the last visible character of source and target
    (pofilter's `endwhitespace`) and flags a target that adds, drops or changes it.
    Segments without a source are skipped.

    ## Why is this bad?
    Strings are concatenated in software and subtitles (`"Saved " + name`): a lost or an
    extra trailing space glues words together or doubles a space.

    ## Example
    Source: `Gespeichert in `
    Target: `Saved to`

    Use instead:
    `Saved to `

    ## Known problems
    A source whose trailing whitespace is an artifact itself passes it on to the expected
    target.

    ## Fix safety
    Safe: the target's trailing whitespace is replaced by the source's; no text changes.
    """

    code = "WS005"
    name = "trailing-whitespace"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        return _edge_hits(chunk, _TRAILING, "Trailing")


@register
class ForeignSpace(Rule):
    """Foreign space character between words (U+3000 between English words).

    ## What it does
    Flags a space character other than U+0020 between two words of the target (also
    after a word's comma, full stop or closing quote: `Hello,\u3000how`): the
    ideographic space U+3000, the typesetting spaces U+2000-U+200A and U+205F, and the
    no-break spaces U+00A0/U+202F between two letters. The `whitespace.spaces` pack lists
    them with the target languages that use them (U+3000 in Chinese and Japanese, a
    no-break space after Czech or Russian one-letter prepositions). A character the source
    has between two words of its own is left alone.

    ## Why is this bad?
    The character comes from the source's script or from a typesetting tool: the gap looks
    too wide or too narrow, words no longer split where they should, and search or
    tokenisation in the next tool fails on it.

    ## Example
    Source: `東京都は新しい規則を発表した。`
    Target: `Tokyo announced\u3000new rules.`

    Use instead:
    `Tokyo announced new rules.`

    ## Known problems
    A no-break space next to a digit (`5\u00a0km`, `April\u00a03`) or a dash is
    typography and is not flagged; one between two letters in English (`Henry\u00a0VIII`)
    is. Between two CJK characters any of them is left alone.

    ## Fix safety
    Safe: the run is replaced by one plain space.
    """

    code = "WS006"
    name = "foreign-space"
    category = "whitespace"
    severity = "warning"
    fix = Applicability.SAFE

    def prepare(self) -> None:
        pack = self.packs.get("whitespace.spaces")
        entries = pack.entries if pack else ()
        self._allowed: dict[str, set[str]] = {}
        chars = ""
        for entry in entries:
            chars += entry["pattern"]
            for lang in entry.get("languages", ()):
                self._allowed.setdefault(lang, set()).update(entry["pattern"])
        body = re.escape(chars) if chars else "(?!)"
        # after a word, or after a word's comma, full stop or closing quote (`Hello,\u3000how`)
        self._pattern = re.compile(
            f"(?:(?<=[^\\W_])|(?<=[^\\W_][,.;:!?)\\]\"'”’»]))[ {body}]*[{body}][ {body}]*(?=[^\\W_])"
        )
        # every match has one of the characters: the rows to read, found in C (and, when
        # none of them is ASCII, only in the texts that are not ASCII: str.isascii takes no time)
        self._where = re.compile(f"[{body}]")
        self._ascii = any(c.isascii() for c in chars) or not chars

    def _foreign(self, text: str, m: re.Match[str], lang: str) -> str:
        """The foreign characters of a match (empty when the place allows them)."""
        allowed = self._allowed.get(scripts.base_language(lang), set())
        chars = {c for c in m.group() if c != " " and c not in allowed}
        before, after = text[m.start() - 1], text[m.end()]
        if scripts.script_of(before) in scripts.CJK and scripts.script_of(after) in scripts.CJK:
            return ""
        if not (before.isalpha() and after.isalpha()):
            chars -= {"\u00a0", "\u202f"}  # binds a number to its unit: typography
        return "".join(sorted(chars))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        targets = chunk.targets
        sources = chunk.sources
        rows = range(len(targets)) if self._ascii else [r for r, t in enumerate(targets) if not t.isascii()]
        for i, m in finditer([targets[r] for r in rows], self._pattern, self._where):
            row = rows[i]
            chars = self._foreign(targets[row], m, chunk.tgt_langs[row])
            if not chars:
                continue
            source = sources[row]
            src_lang = chunk.src_langs[row]
            own = "".join(self._foreign(source, s, src_lang) for s in self._pattern.finditer(source))
            chars = "".join(c for c in chars if c not in own)
            if not chars:
                continue
            names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}" for c in chars)
            yield Hit(row, m.start(), m.end(), f"Foreign space character {names} between words", " ")


@register
class SentenceSpacing(Rule):
    """One space after a sentence where the source puts two.

    ## What it does
    Flags a single space between two sentences of the target when the source separates
    every one of its sentences with two spaces (pofilter's `doublespacing` in this
    direction: the typewriter convention of the source is kept).

    ## Why is this bad?
    A text that follows the two-space convention (plain-text manuals, monospaced help
    files, some style guides) mixes both conventions once translated.

    ## Example
    Source: `Speichern Sie die Datei.  Starten Sie neu.`
    Target: `Save the file. Restart.`

    Use instead:
    `Save the file.  Restart.`

    ## Known problems
    One space after a sentence is the norm of most style guides today, and MT systems
    normalise to it, so the finding is `info`: raise its severity in the configuration for
    content that keeps the two-space convention. An abbreviation followed by a capitalised
    word (`Dr. Smith`) looks like a sentence end and is flagged when the source uses two
    spaces after its sentences.

    ## Fix safety
    Unsafe: the single space may follow an abbreviation rather than end a sentence.
    """

    code = "WS007"
    name = "sentence-spacing"
    category = "whitespace"
    severity = "info"
    fix = Applicability.UNSAFE
    _double = re.compile(r"[.!?][\"'”’)]?  (?=\S)")
    _single = re.compile(r"(?<=[.!?])([\"'”’)]?) (?=[\"'“‘(]?[^\W\d_])")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        # only a source with two spaces in a row can put two after its sentences
        for row in compress(range(len(sources)), map(operator.contains, sources, repeat("  "))):
            source = sources[row]
            if not self._double.search(source) or DoubleSpace._single_after_sentence.search(source):
                continue
            for m in self._single.finditer(targets[row]):
                start = m.end() - 1
                yield Hit(row, start, start + 1, "One space after a sentence where the source puts two", "  ")
