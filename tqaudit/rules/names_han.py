"""Fidelity of Chinese personal names in a Latin-script target (FD014).

A Chinese name is romanised, not translated: `何立峰` is `He Lifeng`, `孙先生` is `Mr Sun`.
MT engines drop such names, render their characters as words (`夏宾` as `Sharp`) or respell
them (`Mr. Son`). Without a named-entity model, a name is read only where Chinese news text
marks one: after a title (`记者`, `主任`), before a form of address (`先生`), and only when
what follows the name ends it (a verb of saying, a function word, punctuation). Its surname
is then looked for in the target under any of its romanisations (the ``names.zh`` pack).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule, group_by_languages, text_cache
from tqaudit.rules.registry import register

_LATIN_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class HanName:
    """A name found in a source: its characters, its surname and where it starts."""

    text: str
    surname: str
    start: int


@dataclass(frozen=True)
class _Knowledge:
    """The ``names.zh`` pack, compiled."""

    surnames: dict[str, tuple[str, ...]]
    titled: re.Pattern[str]  # a title, then a surname and one or two characters
    addressed: re.Pattern[str]  # a surname, then a form of address (searched for in C)
    after: tuple[str, ...]
    foreign: frozenset[str]
    not_names: tuple[str, ...]

    def names(self, source: str) -> list[HanName]:
        """The names of ``source``, in order (each once)."""
        found: dict[int, HanName] = {}
        for m in self.titled.finditer(source):
            name = self._name_at(source, m.start(1))
            if name is not None:
                found.setdefault(name.start, name)
        for m in self.addressed.finditer(source):
            at = m.start()
            if at and _is_han(source[at - 1]):
                continue  # the end of a word (`老孙`), not a surname on its own
            if at not in found and not source.startswith(self.not_names, at):
                found[at] = HanName(m.group(1), m.group(1), at)
        return [found[k] for k in sorted(found)]

    def _name_at(self, source: str, start: int) -> HanName | None:
        """The surname at ``start`` with the given name (two characters, else one) that a
        name's end follows; None when neither length ends there."""
        if source.startswith(self.not_names, start):
            return None
        for length in (3, 2):
            end = start + length
            text = source[start:end]
            if len(text) < length or not all(map(_is_han, text)):
                continue
            if self.foreign.intersection(text[1:]):
                return None  # a transcribed foreign name (`冯德莱恩`)
            if self._ends(source, end):
                return HanName(text, text[0], start)
        return None

    def _ends(self, source: str, end: int) -> bool:
        """Whether a name may end at ``end``: the text ends, a character that is not Han
        follows, or one of the pack's words does."""
        if end >= len(source) or not _is_han(source[end]):
            return True
        return source.startswith(self.after, end)


def _knowledge(rule: Rule) -> _Knowledge | None:
    pack = rule.packs.get("names.zh")
    if pack is None:
        return None
    header = pack.header
    surnames = {k: tuple(v) for k, v in header.get("surnames", {}).items()}
    context = header.get("context", {})
    chars = "".join(re.escape(c) for c in surnames)
    titles = "|".join(re.escape(t) for t in sorted(context.get("titles_before", ()), key=len, reverse=True))
    address = "|".join(re.escape(t) for t in sorted(context.get("titles_after", ()), key=len, reverse=True))
    if not surnames or not titles or not address:
        return None
    return _Knowledge(
        surnames=surnames,
        titled=re.compile(f"(?:{titles})([{chars}])"),
        addressed=re.compile(f"([{chars}])(?:{address})"),
        after=tuple(context.get("after", ())),
        foreign=frozenset(context.get("foreign", "")),
        not_names=tuple(context.get("not_names", ())),
    )


def _is_han(char: str) -> bool:
    """A Han character (a name's characters; not Chinese punctuation)."""
    return scripts.script_of(char) == "HAN"


@text_cache(8192)
def _target_words(text: str) -> frozenset[str]:
    """The target's Latin words, lower case, apostrophes and hyphens splitting them."""
    return frozenset(w.lower() for w in _LATIN_WORD.findall(text))


@register
class HanNameMissing(Rule):
    """Chinese name of the source with no romanised surname in the target.

    ## What it does
    Finds personal names in a Chinese source where the text marks them: a surname of the
    `names.zh` pack after a title (`记者马祚波`, `主任何立峰`) and followed by something
    that ends a name (a verb of saying or attending, a function word, punctuation, the end
    of the text), or a surname before a form of address (`孙先生`). The target (in Latin
    script) must write the surname as a word in one of its romanisations: its pinyin
    readings, or a Cantonese, Wade-Giles, Hokkien, Korean or Vietnamese spelling (`Ho`,
    `Lee`, `Tan`, `Kim`, `Pham`). Transcribed foreign names (`冯德莱恩`, von der Leyen) and
    words that begin like a name (`白宫`, the White House; `周六`, Saturday) are left alone.

    ## Why is this bad?
    A name rendered as words (`Sharp` for 夏宾 Xia Bin), respelt (`Mr. Son` for 孙先生) or
    dropped changes who said or did what, and no reader of the translation can tell.

    ## Example
    Source: `中新财经记者夏宾`
    Target: `Sharp, a financial journalist from China News`

    Use instead:
    `Xia Bin, a financial journalist from China News`

    ## Known problems
    Names outside the marked contexts are not found, and only the surname is checked: a
    wrong given name (`He Li Feng` for `He Lifeng`, a format error) passes. A name that
    the translation replaces by a pronoun or by the title alone (`the reporter`) is
    flagged. Japanese and Korean names written in Chinese characters are read as Chinese
    only when their surname is in the pack (`金` as `Kim` is).
    """

    code = "FD014"
    name = "han-name-missing"
    category = "fidelity"
    severity = "warning"

    def prepare(self) -> None:
        self._known = _knowledge(self)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        known = self._known
        if known is None:
            return
        sources, targets = chunk.sources, chunk.targets
        for (src, tgt), rows in group_by_languages(chunk).items():
            if src != "zh" or scripts.language_script(tgt) != "LATIN":
                continue
            for row in rows:
                if sources[row] and targets[row].strip():
                    yield from self._hits(row, sources[row], targets[row], known)

    @staticmethod
    def _hits(row: int, source: str, target: str, known: _Knowledge) -> Iterator[Hit]:
        names = known.names(source)
        if not names:
            return
        words = _target_words(target)
        for name in names:
            spellings = known.surnames[name.surname]
            if words.isdisjoint(spellings):
                shown = "', '".join(s.capitalize() for s in spellings[:3])
                yield Hit(
                    row,
                    -1,
                    -1,
                    f"Name '{name.text}' of the source is missing from the target "
                    f"(its surname as '{shown}' or another romanisation)",
                )
