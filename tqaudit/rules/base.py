"""What a rule is: metadata declared once, logic in one method, findings as ``Hit`` rows.

A rule sees a whole chunk of the segments table (a DataFrame with a 0..n-1 index), not one
segment at a time, so that a pattern rule runs one compiled regex over the chunk's joined
text (:func:`iter_matches`) instead of a Python loop per row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from tqaudit.errors import ConfigError
from tqaudit.findings import Applicability

if TYPE_CHECKING:
    from tqaudit.packs import PackSet

# Sections every rule docstring must have (ruff's doc template); checked at registration.
REQUIRED_SECTIONS: tuple[str, ...] = ("## What it does", "## Why is this bad?", "## Example")


@dataclass(frozen=True)
class Hit:
    """One finding inside a chunk: ``row`` is the chunk position, offsets index ``target``.

    ``start``/``end`` are -1 when the finding is about the whole segment.
    """

    row: int
    start: int
    end: int
    message: str
    suggestion: str = ""


class Rule:
    """Base class of every rule. Subclasses set the class attributes and ``check``.

    ``options`` declares every option with its default; ``option_docs`` says what each
    one means. Users override options and severity from config (``[tool.tqaudit.rules.CODE]``).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[str] = "warning"
    fix: ClassVar[Applicability] = Applicability.NONE
    options: ClassVar[dict[str, Any]] = {}
    option_docs: ClassVar[dict[str, str]] = {}
    # Languages the rule applies to (target language, ISO 639-1); empty = every language.
    languages: ClassVar[tuple[str, ...]] = ()
    # "chunk": the engine may split the table; "corpus": the rule sees the whole table at
    # once (consistency across segments), in one call.
    scope: ClassVar[str] = "chunk"
    # Preview rules (ruff's term) run only when selected by their exact code: they are
    # kept out of ALL and prefix selections until they are quiet on human translations.
    preview: ClassVar[bool] = False

    def __init__(self, options: Mapping[str, Any] | None = None, packs: PackSet | None = None):
        given = dict(options or {})
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise ConfigError(f"unknown option {unknown[0]!r} for rule {self.code} (known options: {known})")
        for key, value in given.items():
            default = self.options[key]
            widening = isinstance(default, float) and isinstance(value, int)
            if default is not None and not isinstance(value, type(default)) and not widening:
                raise ConfigError(
                    f"option {key!r} of rule {self.code} must be {type(default).__name__}, got {value!r}"
                )
        self.opts: dict[str, Any] = {**self.options, **given}
        if packs is None:
            from tqaudit.packs import PackSet

            packs = PackSet.default()
        self.packs = packs

    @classmethod
    def summary(cls) -> str:
        """First line of the docstring: what ``tqaudit rules`` prints."""
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def documentation(cls) -> str:
        """The full Markdown documentation, with options and fix safety appended."""
        import inspect

        text = inspect.cleandoc(cls.__doc__ or "")
        lines = [f"# {cls.code} {cls.name}", "", text, ""]
        lines.append(f"Category: {cls.category} · default severity: {cls.severity} · fix: {cls.fix.value}")
        if cls.preview:
            lines.append(f"Preview: runs only when selected by its code (`--select {cls.code}`)")
        if cls.languages:
            lines.append(f"Target languages: {', '.join(cls.languages)}")
        if cls.options:
            lines += ["", "## Options", ""]
            for key, default in cls.options.items():
                lines.append(f"- `{key}` (default `{default!r}`): {cls.option_docs.get(key, '')}")
        return "\n".join(lines).rstrip() + "\n"

    def applies_to(self, tgt_lang: str) -> bool:
        """Whether this rule runs for segments whose target language is ``tgt_lang``."""
        return not self.languages or not tgt_lang or tgt_lang in self.languages

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        """Yield a ``Hit`` per artifact in the chunk (positions are chunk rows)."""
        raise NotImplementedError


# Separator between segments when a chunk's texts are joined for one regex pass. Patterns
# must not match it; no real segment text contains U+0000.
JOIN = "\x00"


def iter_matches(texts: Sequence[str], pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """Run ``pattern`` once over all ``texts`` joined; yield (row, match) with row-local offsets.

    The match object's offsets are into the joined string; use :func:`local_span` to get
    offsets into the row's text. One ``finditer`` over the chunk is much faster than a
    Python-level loop calling ``finditer`` per segment.
    """
    starts = [0, *accumulate(len(t) + 1 for t in texts)]
    joined = JOIN.join(texts)
    for match in pattern.finditer(joined):
        row = bisect_right(starts, match.start()) - 1
        yield row, match


def row_offsets(texts: Sequence[str]) -> list[int]:
    """Start offset of each text in ``JOIN.join(texts)``."""
    return [0, *accumulate(len(t) + 1 for t in texts)][:-1]


def regex_hits(
    texts: Sequence[str],
    pattern: re.Pattern[str],
    message: str,
    suggestion: Any = "",
    group: int | str = 0,
) -> Iterator[Hit]:
    """Hits for every match of ``pattern`` in ``texts`` (one regex pass over the chunk).

    ``message`` is formatted with ``text`` (the matched text) and the match's named groups;
    ``suggestion`` is a string (formatted the same way) or a callable taking the match.
    """
    offsets = row_offsets(texts)
    for row, m in iter_matches(texts, pattern):
        base = offsets[row]
        text = m.group(group)
        fields = {k: v or "" for k, v in m.groupdict().items()}
        sugg = suggestion(m) if callable(suggestion) else suggestion.format(text=text, **fields)
        yield Hit(
            row,
            m.start(group) - base,
            m.end(group) - base,
            message.format(text=text, suggestion=sugg, **fields),
            sugg,
        )


def literal_alternation(
    words: Iterable[str], *, word_boundary: bool = True, flags: int = 0
) -> re.Pattern[str]:
    """One compiled alternation for many literal phrases, longest first."""
    alts = "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
    if not alts:
        return re.compile(r"(?!x)x")
    body = f"(?:{alts})"
    if word_boundary:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, flags)
