"""Markup rules: HTML entities broken or left undecoded; tags and placeholders lost or invented;
decoder debris (`<unk>`, subword marks) and mojibake."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from html.entities import html5

from tqaudit.chunk import Chunk, rows_containing
from tqaudit.io.formats.common import splice
from tqaudit.rules.base import (
    Applicability,
    Hit,
    Rule,
    literal_alternation,
    regex_hits,
    remap,
)
from tqaudit.rules.registry import register

# Every named entity of HTML5 (WHATWG's list as shipped in Python's html.entities). Their
# names are letters and digits, a letter first, at most 31 of them: the patterns match any
# such name and drop the matches whose name is not an entity (:func:`_entities`). The `;`
# that follows a name fixes where it ends (`&notin;` is never `&not`), so these are the
# matches of the alternation of the 2,125 names, which took 0.05 CPU-s to compile per rule.
_NAMES = frozenset(name.rstrip(";") for name in html5)
_ENTITY_BODY = r"(?:[A-Za-z][A-Za-z0-9]{0,30}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6})"


def _entities(hits: Iterable[Hit], texts: Sequence[str]) -> Iterator[Hit]:
    """The ``hits`` of a pattern with :data:`_ENTITY_BODY` whose name is an entity's."""
    for hit in hits:
        body = texts[hit.row][hit.start + 1 : hit.end - 1].strip(" \t\u00a0")
        if body[0] == "#" or body in _NAMES:
            yield hit


def _decode(entity: str) -> str:
    """The character an entity stands for; the entity itself when it decodes to nothing."""
    decoded = html.unescape(entity)
    return decoded if decoded != entity else entity


@register
class BrokenEntity(Rule):
    """HTML entity broken by a space after the ampersand (`& mdash;`).

    ## What it does
    Flags HTML character references split by whitespace between `&` and the entity name,
    such as `& mdash;`, `& raquo;`, `& lt;` or `& #8212;`.

    ## Why is this bad?
    Machine translation engines tokenise `&mdash;` into `&` and `mdash;` and join them back
    with a space. The result is neither the character nor a valid entity: readers see the
    literal text `& mdash;` in the published article.

    ## Example
    Source: `Протесты начались 2 января — из-за роста цен.`
    Target: `Protests began on January 2 & mdash; due to rising prices.`

    Use instead:
    `Protests began on January 2 — due to rising prices.`

    ## Known problems
    Only names of real HTML5 entities are matched, so `R & amp;D` is flagged but
    `AT & T;` is not.

    ## Fix safety
    Safe: the suggestion is the character the entity stands for.
    """

    code = "MK001"
    name = "broken-entity"
    category = "markup"
    severity = "error"
    fix = Applicability.SAFE
    _pattern = re.compile(rf"&[ \t\u00a0]+(?P<body>{_ENTITY_BODY});")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        def suggest(m: re.Match[str]) -> str:
            return _decode(f"&{m.group('body')};")

        hits = regex_hits(
            chunk.targets,
            self._pattern,
            "Broken entity '{text}'; did you mean '{suggestion}'?",
            suggest,
        )
        return _entities(hits, chunk.targets)


@register
class LiteralEntity(Rule):
    """HTML entity left undecoded in plain text (`&mdash;`, `&quot;`).

    ## What it does
    Flags complete HTML character references (`&mdash;`, `&#171;`, `&amp;`) in a target
    whose source does not contain the same reference.

    ## Why is this bad?
    Feeds scraped from HTML and translated as plain text keep entities that nothing will
    decode: the reader sees `&quot;` instead of a quotation mark.

    ## Example
    Source: `Он сказал: «Да».`
    Target: `He said: &laquo;Yes&raquo;.`

    Use instead:
    `He said: «Yes».`

    ## Known problems
    A target that is meant to be HTML legitimately contains entities; ignore the rule
    (`--ignore MK002`) for HTML content, or give the source so that entities copied from
    it are not flagged.

    ## Fix safety
    Unsafe: in HTML content the entity may be intended.
    """

    code = "MK002"
    name = "literal-entity"
    category = "markup"
    severity = "warning"
    fix = Applicability.UNSAFE
    _pattern = re.compile(rf"&(?P<body>{_ENTITY_BODY});")

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        hits = regex_hits(
            texts,
            self._pattern,
            "Undecoded entity '{text}'; did you mean '{suggestion}'?",
            lambda m: _decode(m.group(0)),
        )
        for hit in _entities(hits, texts):
            entity = texts[hit.row][hit.start : hit.end]
            if entity not in sources[hit.row]:
                yield hit


# Markup that must survive translation unchanged, one alternative per kind (the group name).
# Tags: an opening, closing or empty XML/HTML tag with any attributes. printf: C and Python
# conversions (`%s`, `%1$d`, `%(name)s`, Mozilla's `%S`), not a per cent sign after a number
# (`50 %ige`). brace: Python/.NET/ICU-style `{}`, `{0}`, `{name}`. token: the `#PRS_ORG#`
# anonymisation tokens of WMT and similar `#NAME#` slots. escape: backslash escapes written
# out in the text (`\n`, `\t`, `\"`, `\\`, `\u00a0`). (printf's look-behinds follow its `%`,
# as `(?<![\w%]%)`: every alternative then fails at once where its first character is not.
# The flags are read atomically, `(?=(?P<flags>…))(?P=flags)` (a possessive `*+` before Python
# 3.11): giving a `0` back to the width can never let the conversion match, and trying every
# split of `%000…` made one segment quadratic.)
_MARKUP = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[A-Za-z][\w:.-]*)(?P<attrs>(?:\s[^<>]*)?|/)>)"
    r"|(?P<printf>%(?<![\w%]%)(?<!\d %)(?:\d+\$)?(?:\([A-Za-z_]\w*\))?(?=(?P<flags>[-+#0]*))(?P=flags)"
    r"(?:\d+|\*)?(?:\.\d+)?"
    r"(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGcsS@](?![^\W\d_]))"
    r"|(?P<brace>\{(?:\d+|[A-Za-z_][\w.]*)?(?:![rsa])?(?::[^{}\s]*)?\})"
    r"|(?P<token>#[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*#)"
    r"|(?P<escape>\\(?:u[0-9a-fA-F]{4}|[nrt\"'\\]))"
)
# Every markup item starts with one of these: a text without any cannot match ``_MARKUP``,
# whose alternatives keep the regex engine from skipping ahead by itself (the rows to read).
_MARKUP_START = ("<", "%", "{", "#", "\\")


def _markup_items(texts: Sequence[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """(row, match) of every markup item, in the rows with a character that starts one."""
    for row in rows_containing(texts, _MARKUP_START):
        for m in _MARKUP.finditer(texts[row]):
            yield row, m


# An attribute starts where a run of whitespace starts (``(?<!\s)``): matches end after a name
# or a value, never inside such a run, so this finds the same attributes, and a tag of many
# spaces is read once instead of once per space (which was quadratic).
_ATTRIBUTE = re.compile(r"(?<!\s)\s+([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def _markup_key(m: re.Match[str], translatable: frozenset[str]) -> str:
    """Comparison form of a markup item: tags without translatable attributes, spacing."""
    if not m.group("tag"):
        return m.group()
    attrs = m.group("attrs")
    empty = attrs.rstrip().endswith("/")
    body = attrs.rstrip()[:-1] if empty else attrs
    kept = [
        f" {name}{'=' + value if value else ''}"
        for name, value in _ATTRIBUTE.findall(body)
        if name.lower() not in translatable
    ]
    return f"<{m.group('close')}{m.group('name')}{''.join(kept)}{'/' if empty else ''}>"


def _markup_kind(m: re.Match[str]) -> str:
    """What a changed item is compared by: a tag's name, else the kind of placeholder."""
    if m.group("tag"):
        return f"tag {m.group('close')}{m.group('name').lower()}"
    return str(m.lastgroup)


@register
class MarkupMismatch(Rule):
    """Tag, placeholder or escape of the source missing or changed in the target.

    ## What it does
    Collects the markup of the source and of the target: XML/HTML tags (`<b>`, `</b>`,
    `<br/>`, `<a href="…">`), printf and brace placeholders (`%s`, `%1$d`, `%(name)s`,
    `{0}`, `{name}`), anonymisation tokens (`#PRS_ORG#`) and written-out escapes (`\\n`,
    `\\t`, `\\"`), and compares them as multisets. A target item the source does not have
    is flagged where it stands (as *changed* when the source lost an item of the same
    kind, with the source's item as the suggestion); a source item the target lacks is
    flagged for the whole segment. Attributes people translate (`title`, `alt`, `lang` …;
    `translatable_attributes`) are left out of the comparison, and spacing inside a tag
    does not count (`<br />` = `<br/>`). In a segment whose source has no markup, a tag or
    escape of the target is flagged as invented.

    ## Why is this bad?
    MT engines translate tag names and attribute values, drop closing tags, renumber or
    translate placeholders and turn `#PRS_ORG#` into words. The result breaks the page
    or the program that fills the placeholders, or leaks the anonymised slot.

    ## Example
    Source: `Click <a href="page.html">here</a> to see %d new messages.`
    Target: `Klicken Sie <a href="seite.html">hier</a>, um %d neue Nachrichten zu sehen.`

    Use instead:
    `Klicken Sie <a href="page.html">hier</a>, um %d neue Nachrichten zu sehen.`

    ## Known problems
    Placeholders legitimately reordered are fine (multisets), but a translation that
    needs a placeholder twice or once fewer (`%s` of a plural form) is flagged. Text
    comparisons such as `x<y and z>w` read as a tag. A source that is only one tag
    (`<Error>`) is prose in angle brackets and is not checked. Where the source has no
    markup, only tags and escapes of the target are flagged (`bleah.\\n'n leer`, a `<br/>`
    the decoder invented), not placeholders, and decoder tokens (`</s>`) are left to
    MK004. On the WMT22 references it fires twice
    (0.09 per 1,000 segments), both where the source's anonymisation garbled or doubled a
    token (`gel#PRS_ORG#n`) and the translator wrote it once.

    ## Fix safety
    Unsafe: the suggestion restores the source's tag or placeholder, which is right
    unless the translator meant to change it.
    """

    code = "MK003"
    name = "markup-mismatch"
    category = "markup"
    severity = "error"
    fix = Applicability.UNSAFE
    options = {
        "translatable_attributes": [
            "alt",
            "aria-label",
            "dir",
            "label",
            "lang",
            "placeholder",
            "summary",
            "title",
            "xml-lang",
            "xml:lang",
        ]
    }
    option_docs = {
        "translatable_attributes": "tag attributes whose values are translated (compared "
        "by neither name nor value)",
    }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources, targets = chunk.sources, chunk.targets
        translatable = frozenset(a.lower() for a in self.opts["translatable_attributes"])
        wanted: dict[int, Counter[str]] = {}
        kinds: dict[int, dict[str, list[str]]] = {}
        in_sources = list(_markup_items(sources))
        for row, m in in_sources:
            key = _markup_key(m, translatable)
            wanted.setdefault(row, Counter())[key] += 1
            kinds.setdefault(row, {}).setdefault(key, []).append(_markup_kind(m))
        prose: set[int] = set()
        for row, m in in_sources:
            if m.group("tag") and sources[row].strip() == m.group():
                wanted.pop(row, None)  # `<Error>`: a word in angle brackets, not markup
                prose.add(row)
        found: dict[int, list[tuple[int, int, str, str]]] = {}
        for row, m in _markup_items(targets):
            if row in wanted:
                start = m.start()
                found.setdefault(row, []).append(
                    (start, start + len(m.group()), _markup_key(m, translatable), _markup_kind(m))
                )
            elif chunk.sources[row].strip() and row not in prose and self._invented(m):
                yield Hit(row, m.start(), m.end(), f"Markup '{m.group()}' is not in the source")
        for row in sorted(wanted):
            yield from self._compare(row, wanted[row], kinds[row], found.get(row, []))

    def prepare(self) -> None:
        pack = self.packs.get("markup.decoder")
        self._decoder_tokens = frozenset(t.casefold() for t in (pack.patterns() if pack else ()))
        self._html = frozenset(pack.header.get("html_elements", ()) if pack else ())

    def _invented(self, m: re.Match[str]) -> bool:
        """A tag or escape in a target whose source has no markup (`bleah.\\n'n leer`).

        Placeholders and tokens are not counted there (`{` and `%` in prose are no
        markup), nor decoder tokens such as `</s>` (MK004's), nor words in angle brackets
        (`<Toraya>`): a tag must close, be empty, have attributes or name an HTML element.
        """
        if m.group("escape"):
            return True
        if not m.group("tag") or m.group().casefold() in self._decoder_tokens:
            return False
        attrs = m.group("attrs") or ""
        return bool(m.group("close")) or "=" in attrs or attrs.endswith("/") or m.group("name") in self._html

    @staticmethod
    def _compare(
        row: int,
        want: Counter[str],
        kinds: dict[str, list[str]],
        have: list[tuple[int, int, str, str]],
    ) -> Iterator[Hit]:
        missing = want - Counter(key for _, _, key, _ in have)
        left = Counter(want)
        extras = []
        for start, end, key, kind in have:
            if left[key] > 0:
                left[key] -= 1
            else:
                extras.append((start, end, key, kind))
        for start, end, key, kind in extras:
            lost = next((k for k in missing if missing[k] > 0 and kind in kinds[k]), None)
            if lost is None:
                yield Hit(row, start, end, f"Markup '{key}' is not in the source")
                continue
            missing[lost] -= 1
            yield Hit(row, start, end, f"Markup '{key}' differs from the source's '{lost}'", lost)
        for key, count in sorted(missing.items()):
            for _ in range(count):
                yield Hit(row, -1, -1, f"Markup '{key}' of the source is missing from the target")


def _delete_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span to delete for a token at ``start:end``: with one space beside it, if any.

    `word <unk> word` -> `word word`; `word</s>` -> `word`.
    """
    if start > 0 and text[start - 1] == " " and (end == len(text) or text[end] in " .,;:!?"):
        return start - 1, end
    if end < len(text) and text[end] == " " and (start == 0 or text[start - 1] == " "):
        return start, end + 1
    return start, end


@register
class DecoderToken(Rule):
    """Decoder token left in the translation (`<unk>`, `⁇`, `</s>`, `<pad>`).

    ## What it does
    Flags the special tokens of NMT and LLM vocabularies (listed in the `markup.decoder`
    pack: `<unk>`, sentencepiece's `⁇`, `[UNK]`, `<s>`, `</s>`, `<pad>`, `<mask>`,
    `<url>`, `<|endoftext|>` …) in a target whose source does not contain the same token.

    ## Why is this bad?
    An unknown-word token marks a source word the model could not translate: the word
    is lost, and the reader sees `<unk>` or `⁇` instead. Boundary and padding tokens show
    that the output was not post-processed.

    ## Example
    Source: `Губернатор Приморья посетил Находку.`
    Target: `The governor of Primorye visited <unk>.`

    Use instead:
    `The governor of Primorye visited Nakhodka.`

    ## Known problems
    A text about NLP that names these tokens on purpose is flagged unless its source
    names them too. `<s>` is also HTML's strikethrough tag: a target with HTML markup
    and a source with `<s>` is left to MK003.

    ## Fix safety
    Unsafe: the token is deleted (with one space beside it). For `<unk>`, `⁇` and `<url>`
    the word or address it stands for is still missing and must be restored by hand.
    """

    code = "MK004"
    name = "decoder-token"
    category = "markup"
    severity = "error"
    fix = Applicability.UNSAFE

    def prepare(self) -> None:
        pack = self.packs.get("markup.decoder")
        tokens = pack.patterns() if pack else []
        self._pattern = literal_alternation(tokens, word_boundary=False, flags=re.IGNORECASE)
        # Every match starts with a token's first character: when none is a letter (which
        # the case-blind match could find in another case), the rows to read are those
        # with one, found by substring tests.
        firsts = tuple(sorted({token[:1] for token in tokens}))
        self._firsts = None if any(not c or c.isalpha() for c in firsts) else firsts

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        rows = range(len(texts)) if self._firsts is None else rows_containing(texts, self._firsts)
        for row, m in ((r, m) for r in rows for m in self._pattern.finditer(texts[r])):
            token = m.group()
            if token.casefold() in sources[row].casefold():
                continue
            start, end = _delete_span(texts[row], m.start(), m.end())
            yield Hit(row, start, end, f"Decoder token '{token}' in the translation", "")


# Subword marks of the three common segmenters: sentencepiece's word-start mark U+2581
# (`▁The▁cat`), subword-nmt's BPE continuation `@@ ` (`trans@@ lation`, Sennrich et al.
# 2016) and OpenNMT Tokenizer's joiner U+FFED (`trans￭lation`).
_SUBWORD = re.compile(r"\u2581+|(?<=\w)@@(?: |$)|\uffed")
# every subword mark has one of these: the rows to read, found by substring tests
_SUBWORD_MARKS = ("\u2581", "@@", "\uffed")


def _join_subwords(m: re.Match[str]) -> str:
    """What a subword mark becomes: a space for a word-start mark between words, else nothing."""
    text, mark = m.string, m.group()
    if mark.startswith("\u2581"):
        before = text[m.start() - 1 : m.start()]
        after = text[m.end() : m.end() + 1]
        return " " if before and not before.isspace() and after and not after.isspace() else ""
    return ""


@register
class SubwordMark(Rule):
    """Subword segmentation mark left in the translation (`▁`, `@@ `, `￭`).

    ## What it does
    Flags sentencepiece's word-start mark `▁` (U+2581), subword-nmt's BPE joint `@@ `
    after a word piece (`trans@@ lation`) and OpenNMT's joiner `￭` (U+FFED) in a target
    whose source has none of them.

    ## Why is this bad?
    These marks exist only between the tokenizer and the decoder: a pipeline that forgot
    to detokenise publishes `trans@@ lation` or `▁The▁cat`, split words and strange glyphs.

    ## Example
    Source: `Перевод готов.`
    Target: `The trans@@ lation is ready.`

    Use instead:
    `The translation is ready.`

    ## Known problems
    Texts about tokenisers that show these marks on purpose are flagged unless the source
    shows them too. `@@` not after a word piece (`@@handle`) is not matched.

    ## Fix safety
    Unsafe: `@@ ` and `￭` are removed (joining the pieces) and `▁` becomes a space
    between words; the joined word is what the decoder meant, but spacing around
    punctuation may still need a look.
    """

    code = "MK005"
    name = "subword-mark"
    category = "markup"
    severity = "error"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        message = "Subword mark '{text}' in the translation"
        rows = rows_containing(chunk.targets, _SUBWORD_MARKS)
        found = regex_hits([chunk.targets[row] for row in rows], _SUBWORD, message, _join_subwords)
        for hit in remap(found, rows):
            if not _SUBWORD.search(sources[hit.row]):
                yield hit


# Cheap signature of UTF-8 read as cp1252/Latin-1: a lead byte of a 2- to 4-byte sequence
# (Â-ô) followed by a continuation byte as cp1252 shows it (0x80-0xBF: € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹
# Œ Ž ' ' " " • – — ˜ ™ š › œ ž Ÿ and NBSP-¿), or `Ã` and two spaces: `à ` is `Ã`, a
# no-break space and a space, and HTML pipelines turn the no-break space into a plain one
# (`Il vit Ã  Londres`, `voilÃ  tout`; ftfy restores it). One space after `Ã` is a letter
# of its own (`IRMÃ E`, `Ã is a letter`). Only rows with it go to ftfy.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
# (One leading class, the alternatives after it: an alternation of the two took twice as long.)
_MOJIBAKE_HINT = re.compile(f"[\u00c2-\u00f4](?:[{_CONTINUATION}]|(?<=\u00c3)  )")
# A stretch of such sequences: re-encoded as cp1252 it must be valid UTF-8 (`ÄŒ` -> `Č`).
_MOJIBAKE_STRETCH = re.compile(f"(?:[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}})+")


def _redecode(stretch: str) -> str | None:
    """The text a stretch stands for if it is UTF-8 read as cp1252 (done up to 3 times)."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    text = stretch
    for _ in range(3):
        try:
            decoded = text.encode("sloppy-windows-1252").decode("utf-8")
        except UnicodeError:
            break
        text = decoded
        if not _MOJIBAKE_HINT.search(text):
            break
    return text if text != stretch else None


def _stretch_edits(text: str) -> list[tuple[int, int, str]]:
    """Mojibake stretches that ftfy's whole-text heuristic lets pass (`FAÄŒR`, `Åžahin`)."""
    edits = []
    for m in _MOJIBAKE_STRETCH.finditer(text):
        repair = _redecode(m.group())
        if repair is not None:
            edits.append((m.start(), m.end(), repair))
    return edits


# Texts longer than this are not aligned with their repair by ``difflib`` (cubic on a long
# repetitive text: 3,000 characters of `cafÃ© ` took 36 CPU-s): their edits are the
# signature stretches, each re-decoded.
_ALIGN_CHARS = 500


def _mojibake_edits(text: str) -> list[tuple[int, int, str]]:
    """(start, end, repair) of each stretch ftfy's encoding repair changes in ``text``.

    The signature stretches, each re-decoded (:func:`_stretch_edits`), are those edits
    when applying them gives ftfy's repair (found in one pass); otherwise a short text is
    aligned with its repair by ``difflib``, and a long one keeps the stretches."""
    import ftfy

    fixed = ftfy.fix_encoding(text)
    if fixed == text:
        return []
    stretches = _stretch_edits(text)
    if splice(text, stretches) == fixed or len(text) > _ALIGN_CHARS:
        return _joined(text, stretches)
    import difflib

    matcher = difflib.SequenceMatcher(None, text, fixed, autojunk=False)
    edits = [(i1, i2, fixed[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    return _joined(text, edits)


def _joined(text: str, edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``edits`` with those only whitespace apart joined into one stretch (the whitespace
    kept in its repair)."""
    out: list[tuple[int, int, str]] = []
    for start, end, repair in edits:
        if out and not text[out[-1][1] : start].strip():
            first, last, done = out[-1]
            out[-1] = (first, end, done + text[last:start] + repair)
        else:
            out.append((start, end, repair))
    return out


@register
class Mojibake(Rule):
    """Mojibake: UTF-8 text decoded as another encoding (`â€”`, `Ã©`, `Ð¿Ñ€Ð¸`).

    ## What it does
    Flags a target that ftfy (`ftfy.badness.is_bad`) judges to be mis-decoded text when
    its source is not, one finding per stretch that ftfy's encoding repair
    (`ftfy.fix_encoding`) changes, with the repair as the suggestion. Only targets with
    a mojibake signature (a Latin-1 lead character followed by a cp1252 continuation
    character) are given to ftfy. ftfy's heuristic lets a single mis-decoded letter pass
    (`FAÄŒR`, `UÄŸur Åžahin`, `105Ñ…195`); such a stretch is flagged too when, encoded
    back as cp1252, it is valid UTF-8 and the source does not contain it.

    ## Why is this bad?
    A pipeline that reads UTF-8 as cp1252 or Latin-1 (or the reverse) turns every
    non-ASCII character into two or three symbols: dashes become `â€”`, `é` becomes `Ã©`,
    a Russian word becomes `Ð¿Ñ€Ð¸`. The text is unreadable where it matters most.

    ## Example
    Source: `Кафе открылось — наконец.`
    Target: `The cafÃ© has opened â€” finally.`

    Use instead:
    `The café has opened — finally.`

    ## Known problems
    ftfy is a heuristic: short stretches that happen to look like mojibake (`Â£` in a
    text about encodings) are flagged; mojibake of a source that is itself mis-decoded is
    not (the target copies it faithfully).

    ## Fix safety
    Unsafe: ftfy's repair is right for real mojibake, but it re-decodes bytes, which is
    wrong for the rare text that means what it shows.
    """

    code = "MK006"
    name = "mojibake"
    category = "markup"
    severity = "error"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        texts = chunk.targets
        # the signature is not ASCII, and str.isascii takes no time
        rows = [row for row, text in enumerate(texts) if not text.isascii() and _MOJIBAKE_HINT.search(text)]
        if not rows:
            return  # ftfy is imported only for a chunk with a mojibake signature
        from ftfy.badness import is_bad

        for row in rows:
            text, source = texts[row], sources[row]
            if is_bad(source):
                continue  # the source is mis-decoded itself: the target copies it
            edits = _mojibake_edits(text) if is_bad(text) else []
            if not edits:
                edits = [e for e in _stretch_edits(text) if text[e[0] : e[1]] not in source]
            for start, end, repair in edits:
                yield Hit(row, start, end, f"Mojibake '{text[start:end]}'; did you mean '{repair}'?", repair)
