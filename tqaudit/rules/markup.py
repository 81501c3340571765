"""Markup rules: HTML entities that machine translation broke or left undecoded."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.entities import html5

import pandas as pd

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

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        def suggest(m: re.Match[str]) -> str:
            return _decode(f"&{m.group('body')};")

        return regex_hits(
            chunk["target"].tolist(),
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

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        sources: list[str] = chunk["source"].tolist()
        texts: list[str] = chunk["target"].tolist()
        for hit in regex_hits(
            texts,
            self._pattern,
            "Undecoded entity '{text}'; did you mean '{suggestion}'?",
            lambda m: _decode(m.group(0)),
        ):
            entity = texts[hit.row][hit.start : hit.end]
            if entity not in sources[hit.row]:
                yield hit
