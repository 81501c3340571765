"""Markup rules: HTML entities broken or left undecoded; tags and placeholders lost."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from html.entities import html5

from tqaudit.chunk import Chunk, finditer
from tqaudit.rules.base import Applicability, Hit, Rule, regex_hits
from tqaudit.rules.registry import register

# Every named entity of HTML5 (WHATWG's list as shipped in Python's html.entities), longest
# first so that ``&notin;`` is not read as ``&not``.
_NAMES = sorted({name.rstrip(";") for name in html5}, key=lambda n: (-len(n), n))
_ENTITY_BODY = rf"(?:{'|'.join(map(re.escape, _NAMES))}|#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}})"


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

        return regex_hits(
            chunk.targets,
            self._pattern,
            "Broken entity '{text}'; did you mean '{suggestion}'?",
            suggest,
        )


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
        for hit in regex_hits(
            texts,
            self._pattern,
            "Undecoded entity '{text}'; did you mean '{suggestion}'?",
            lambda m: _decode(m.group(0)),
        ):
            entity = texts[hit.row][hit.start : hit.end]
            if entity not in sources[hit.row]:
                yield hit


# Markup that must survive translation unchanged, one alternative per kind (the group name).
# Tags: an opening, closing or empty XML/HTML tag with any attributes. printf: C and Python
# conversions (`%s`, `%1$d`, `%(name)s`, Mozilla's `%S`), not a per cent sign after a number
# (`50 %ige`). brace: Python/.NET/ICU-style `{}`, `{0}`, `{name}`. token: the `#PRS_ORG#`
# anonymisation tokens of WMT and similar `#NAME#` slots. escape: backslash escapes written
# out in the text (`\n`, `\t`, `\"`, `\\`, `\u00a0`).
_MARKUP = re.compile(
    r"(?P<tag><(?P<close>/?)(?P<name>[A-Za-z][\w:.-]*)(?P<attrs>(?:\s[^<>]*)?|/)>)"
    r"|(?P<printf>(?<![\w%])(?<!\d )%(?:\d+\$)?(?:\([A-Za-z_]\w*\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?"
    r"(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGcsS@](?![^\W\d_]))"
    r"|(?P<brace>\{(?:\d+|[A-Za-z_][\w.]*)?(?:![rsa])?(?::[^{}\s]*)?\})"
    r"|(?P<token>#[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*#)"
    r"|(?P<escape>\\(?:u[0-9a-fA-F]{4}|[nrt\"'\\]))"
)
_ATTRIBUTE = re.compile(r"\s+([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


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
    does not count (`<br />` = `<br/>`). Only segments whose source has markup are checked.

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
    (`<Error>`) is prose in angle brackets and is not checked. Markup the source lacks is
    not checked at all, so an escape or tag invented in a target whose source has no
    markup (`bleah.\\n'n leer`) goes unreported. On the WMT22 references it fires twice
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
        sources = chunk.sources
        targets = chunk.targets
        translatable = frozenset(a.lower() for a in self.opts["translatable_attributes"])
        wanted: dict[int, Counter[str]] = {}
        kinds: dict[int, dict[str, list[str]]] = {}
        for row, m in finditer(sources, _MARKUP):
            key = _markup_key(m, translatable)
            wanted.setdefault(row, Counter())[key] += 1
            kinds.setdefault(row, {}).setdefault(key, []).append(_markup_kind(m))
        for row, m in list(finditer(sources, _MARKUP)):
            if m.group("tag") and sources[row].strip() == m.group():
                wanted.pop(row, None)  # `<Error>`: a word in angle brackets, not markup
        found: dict[int, list[tuple[int, int, str, str]]] = {}
        for row, m in finditer(targets, _MARKUP):
            if row in wanted:
                start = m.start()
                found.setdefault(row, []).append(
                    (start, start + len(m.group()), _markup_key(m, translatable), _markup_kind(m))
                )
        for row in sorted(wanted):
            yield from self._compare(row, wanted[row], kinds[row], found.get(row, []))

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
