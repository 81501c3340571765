"""What a rule is: metadata declared once, logic in one method, findings as ``Hit`` rows.

A rule sees a prepared, read-only :class:`~tqaudit.chunk.Chunk` (targets, sources and
languages as tuples, and the annotations it declares in ``requires``), never the segments
table, and never calls language identification or scoring itself: the engine computes what
the selected rules declare. Compiled patterns are built once per run in ``prepare()`` or
built per language pair by :meth:`Rule.by_language`, not once per chunk.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import operator
import re
import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, repeat
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, ParamSpec, TypeVar

from tqaudit import scripts
from tqaudit.chunk import Chunk, SegmentRow, finditer
from tqaudit.errors import ConfigError
from tqaudit.findings import Applicability, Edit, RuleInfo

T = TypeVar("T")
P = ParamSpec("P")

if TYPE_CHECKING:
    from tqaudit.packs import PackSet

# Sections every rule docstring must have (ruff's doc template); checked at registration.
REQUIRED_SECTIONS: tuple[str, ...] = ("## What it does", "## Why is this bad?", "## Example")


@dataclass(frozen=True)
class Hit:
    """One finding inside a chunk: ``row`` is the chunk row, offsets index ``target``.

    ``start``/``end`` are -1 when the finding is about the whole segment. ``suggestion`` is
    the replacement for ``target[start:end]``: ``None`` when no fix is known, ``""`` for a
    deletion on purpose (the two are never confused).
    """

    row: int
    start: int
    end: int
    message: str
    suggestion: str | None = None

    @property
    def edit(self) -> Edit | None:
        """The fix as an edit of the target, or None (whole-segment findings have none)."""
        if self.suggestion is None or self.start < 0:
            return None
        return Edit(self.start, self.end, self.suggestion)


def _check_number(code: str, key: str, default: Any, value: Any) -> None:
    """A numeric option is a finite number of the default's sign: every threshold and count
    of the catalogue is non-negative, and a NaN would silently switch a comparison off."""
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return
    if isinstance(value, bool):
        raise ConfigError(f"option {key!r} of rule {code} must be a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(f"option {key!r} of rule {code} must be a finite number, got {value!r}")
    if default >= 0 > value:
        raise ConfigError(f"option {key!r} of rule {code} must not be negative, got {value!r}")


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
    # "chunk": the engine may split the table; "corpus": a :class:`CorpusRule`, whose
    # state the engine collects per chunk, merges, and finishes once (consistency).
    scope: ClassVar[str] = "chunk"
    # Annotation columns the rule reads (``target_lang``, ``source_lang``, ``chrf``, ...): the
    # engine runs exactly the annotators that the selected rules declare.
    requires: ClassVar[tuple[str, ...]] = ()
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
            _check_number(self.code, key, default, value)
        self.opts: dict[str, Any] = {**self.options, **given}
        if packs is None:
            from tqaudit.packs import PackSet

            packs = PackSet.default()
        self.packs = packs
        self._by_language: dict[tuple[str, str, str], Any] = {}
        self.prepare()

    def by_language(
        self, chunk: Chunk, build: Callable[[str, str], T], default_tgt: str = ""
    ) -> Iterator[tuple[T, list[int]]]:
        """(``build(src, tgt)``, rows) for each language pair in the chunk.

        For rules whose knowledge depends on the segment's languages (packs chosen by
        ``<category>.<src>-<tgt>``): each pair's table is built once per run.
        ``default_tgt`` stands in for segments without a target language.
        """
        for (src, tgt), rows in group_by_languages(chunk, default_tgt).items():
            key = (build.__name__, src, tgt)
            if key not in self._by_language:
                self._by_language[key] = build(src, tgt)
            yield self._by_language[key], rows

    def prepare(self) -> None:
        """Build what ``check`` needs for the whole run (compiled patterns, pack tables).

        Called once, when the rule is made with its options and packs.
        """

    def annotation_rows(self, chunk: Chunk, name: str) -> Sequence[int] | None:
        """The rows for which this rule reads the annotation ``name`` (None: every row).

        A rule that needs a verdict for some segments only says which (LG005: copies of
        the source; LG001/LG002: the source's language only where none is declared), so
        that the engine does not compute the others for it. The chunk has no annotations yet.
        """
        return None

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
        if cls.requires:
            lines.append(f"Reads: {', '.join(cls.requires)}")
        if cls.options:
            lines += ["", "## Options", ""]
            for key, default in cls.options.items():
                lines.append(f"- `{key}` (default `{default!r}`): {cls.option_docs.get(key, '')}")
        return "\n".join(lines).rstrip() + "\n"

    @classmethod
    def info(cls) -> RuleInfo:
        """The rule's catalogue entry, which reports read instead of the rule class."""
        return RuleInfo(
            code=cls.code,
            name=cls.name,
            category=cls.category,
            severity=cls.severity,
            fix=cls.fix.value,
            summary=cls.summary(),
            documentation=cls.documentation(),
            preview=cls.preview,
        )

    def applies_to(self, tgt_lang: str) -> bool:
        """Whether this rule runs for segments whose target language is ``tgt_lang``."""
        return not self.languages or not tgt_lang or tgt_lang in self.languages

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        """Yield a ``Hit`` per artifact in the chunk (positions are chunk rows)."""
        raise NotImplementedError


@dataclass(frozen=True)
class CorpusHit:
    """One finding of a corpus rule: ``pos`` is the segment's position in the corpus (what
    the rule read from ``chunk.positions``), offsets index its target as in :class:`Hit`."""

    pos: int
    start: int
    end: int
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Inputs:
    """Where corpus positions come from when several inputs are pooled: the first position
    and the name of each input, in order. One input (the default) has no name to show.

    ``lookup`` gives the texts of segments by corpus position (one pass over the audit's
    segment store): a corpus rule keeps hashes and positions in its state, not texts, and
    reads back only the segments it reports.
    """

    starts: tuple[int, ...] = (0,)
    names: tuple[str, ...] = ("",)
    lookup: Callable[[Collection[int]], Iterator[tuple[int, SegmentRow]]] | None = None

    def scan(self, positions: Collection[int]) -> Iterator[tuple[int, SegmentRow]]:
        """The segments at corpus ``positions``, in corpus order, read as they are taken."""
        if self.lookup is None:
            raise RuntimeError("no segment lookup: corpus rules finish through the engine")
        return self.lookup(positions) if len(positions) else iter(())  # an array has no truth value

    def rows(self, positions: Collection[int]) -> dict[int, SegmentRow]:
        """The segments at corpus ``positions`` (a few: they are all in memory at once)."""
        return dict(self.scan(positions))

    def input_of(self, pos: int) -> int:
        """The index of the input that holds corpus position ``pos``."""
        return bisect.bisect_right(self.starts, pos) - 1

    def label(self, pos: int, segment_id: str, seen_from: int) -> str:
        """How a finding on position ``seen_from`` names the segment at ``pos``: its id,
        prefixed by its input's name when it sits in another input."""
        where = self.input_of(pos)
        if where == self.input_of(seen_from):
            return segment_id
        return f"{self.names[where]}:{segment_id}"


class CorpusRule(Rule):
    """A rule across segments (consistency), split so that chunks can be checked apart.

    ``collect`` turns one chunk into a small, picklable state (texts hashed and grouped,
    keyed by ``chunk.positions``, which the engine sets to corpus positions); ``merge``
    joins the states of several chunks, in corpus order; ``finish`` turns the merged state
    into hits. The engine calls ``collect`` inside each chunk's stage (in worker processes
    too) and ``finish`` once, so the findings do not depend on the chunk size or ``--jobs``,
    and pooled inputs are one corpus. Rules never see more than a chunk at a time.
    """

    scope: ClassVar[str] = "corpus"

    def collect(self, chunk: Chunk) -> Any:
        """The state of one chunk."""
        raise NotImplementedError

    def merge(self, states: Sequence[Any]) -> Any:
        """One state for ``states`` (given in corpus order; they are consumed: the merged
        state may be built from their parts, or from the first extended in place)."""
        raise NotImplementedError

    def finish(self, state: Any, inputs: Inputs) -> Iterable[CorpusHit]:
        """The hits of the whole corpus; ``inputs`` names segments of other inputs."""
        raise NotImplementedError

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        """The corpus rule on one chunk taken as the whole corpus (rows are chunk rows)."""
        rows = {pos: row for row, pos in enumerate(chunk.positions)}

        def lookup(positions: Collection[int]) -> Iterator[tuple[int, SegmentRow]]:
            for pos in sorted(positions):
                r = rows[pos]
                yield pos, SegmentRow(chunk.ids[r], chunk.doc_ids[r], chunk.sources[r], chunk.targets[r])

        for hit in self.finish(self.merge([self.collect(chunk)]), Inputs(lookup=lookup)):
            yield Hit(rows[hit.pos], hit.start, hit.end, hit.message, hit.suggestion)


def regex_hits(
    texts: Sequence[str],
    pattern: re.Pattern[str],
    message: str,
    suggestion: str | Callable[[re.Match[str]], str] | None = None,
    group: int | str = 0,
    where: re.Pattern[str] | None = None,
) -> Iterator[Hit]:
    """Hits for every match of ``pattern`` in ``texts`` (each text matched on its own).

    ``message`` is formatted with ``text`` (the matched text), ``suggestion`` and the match's
    named groups; ``suggestion`` is a string (formatted the same way), a callable taking the
    match, or None when the rule knows no fix. ``where`` picks the rows to match, as in
    :func:`~tqaudit.chunk.finditer`.
    """
    for row, m in finditer(texts, pattern, where):
        text = m.group(group)
        fields = {k: v or "" for k, v in m.groupdict().items()}
        if suggestion is None:
            sugg = None
        elif callable(suggestion):
            sugg = suggestion(m)
        else:
            sugg = suggestion.format(text=text, **fields)
        yield Hit(
            row,
            m.start(group),
            m.end(group),
            message.format(text=text, suggestion=sugg or "", **fields),
            sugg,
        )


# The groups of each chunk alive, by ``default_tgt``: the engine hands the same read-only
# chunk to every rule, and a dozen rules group it.
_GROUPS: weakref.WeakKeyDictionary[Chunk, dict[str, dict[tuple[str, str], list[int]]]] = (
    weakref.WeakKeyDictionary()
)


def group_by_languages(chunk: Chunk, default_tgt: str = "") -> dict[tuple[str, str], list[int]]:
    """Chunk rows grouped by (source, target) base language, for rules that read packs per pair.

    ``default_tgt`` stands in for segments without a target language. Grouped once per
    chunk; each call gets its own lists.
    """
    by_default = _GROUPS.setdefault(chunk, {})
    groups = by_default.get(default_tgt)
    if groups is None:
        groups = by_default[default_tgt] = _group_by_languages(chunk, default_tgt)
    return {key: list(rows) for key, rows in groups.items()}


# What several rules derive from the same chunk, by key, while the chunk is alive.
_MEMO: weakref.WeakKeyDictionary[Chunk, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


# The letters that a case-blind pattern takes for `i` while their case folding is not `i`:
# Turkish `İ` (folds to `i` and a combining dot) and `ı` (folds to itself). Every other
# character folds as the letters the regex engine matches it with (`ſ` as `s`, `ς` as `σ`,
# `ᲀ` as `в`; tests/rules/test_calque.py reads the engine's case classes for all of
# Unicode), so a literal looked for in a case-folded text finds every text that a
# case-blind pattern with the literal matches, unless the text has one of these two.
FOLDS_UNLIKE_ITS_CASE = "\u0130\u0131"


def folds_unlike_its_case(text: str) -> bool:
    """Whether ``text`` has a letter of :data:`FOLDS_UNLIKE_ITS_CASE` (two ``in`` tests: a
    regex search for them cost ten times more)."""
    return "\u0130" in text or "\u0131" in text


def rows_with_literals(texts: Sequence[str], literals: Iterable[str]) -> set[int]:
    """The indices of the ``texts`` that hold one of the ``literals`` (none of which may
    hold a line break).

    Each literal is looked for in all the texts at once, joined by line breaks, with
    ``str.find``: a literal is in few texts of a chunk or in none, and finding it there is
    faster than trying a prefix tree of every literal at every position of every text."""
    joined = "\n".join(texts)
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    found: set[int] = set()
    for literal in literals:
        at = joined.find(literal)
        while at >= 0:
            row = bisect.bisect_right(starts, at) - 1
            found.add(row)
            at = joined.find(literal, starts[row + 1])  # the next text that has it
    return found


# Texts longer than this are not kept by :func:`text_cache`.
CACHED_CHARS = 4_096


def text_cache(
    maxsize: int,
) -> Callable[[Callable[Concatenate[str, P], T]], Callable[Concatenate[str, P], T]]:
    """``functools.lru_cache`` for a function of one text (and a few hashable parameters)
    that rules ask about again (a source read by several rules and by every system's
    output), keeping texts of up to ``CACHED_CHARS`` only: the cache holds its keys, and
    ``maxsize`` cells of a megabyte would be gigabytes beside the streaming audit's bounded
    memory. A long text is computed each time it is asked, which costs little beside what
    the rules do with it."""

    def wrap(func: Callable[Concatenate[str, P], T]) -> Callable[Concatenate[str, P], T]:
        cached: Callable[..., T] = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def call(text: str, *args: P.args, **kwargs: P.kwargs) -> T:
            return cached(text, *args, **kwargs) if len(text) <= CACHED_CHARS else func(text, *args, **kwargs)

        return call

    return wrap


def chunk_memo(chunk: Chunk, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, run once per chunk and ``key`` (which names what is computed and
    its parameters): the engine hands the same read-only chunk to every rule, so rules
    that share a costly derivation (RP003-RP005's repeats) make it once. The value is
    shared: callers must not change it."""
    memo = _MEMO.setdefault(chunk, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _group_by_languages(chunk: Chunk, default_tgt: str) -> dict[tuple[str, str], list[int]]:
    """The groups of :func:`group_by_languages`, computed."""
    # rows by the declared codes first (a chunk holds few), then each code pair mapped once
    groups: dict[tuple[str, str], list[int]] = {}
    for (src, tgt), rows in _rows_by_pair(chunk).items():
        key = (scripts.base_language(src), scripts.base_language(tgt) or default_tgt)
        if key in groups:  # `pt-BR` and `pt`: one group, rows in order
            groups[key] = sorted(groups[key] + rows)
        else:
            groups[key] = rows
    return groups


def _rows_by_pair(chunk: Chunk) -> dict[tuple[str, str], list[int]]:
    """Chunk rows by declared (source, target) codes, in order of first appearance.

    A chunk holds one or a few pairs: each pair's rows are picked by a pass in C.
    """
    pairs = list(zip(chunk.src_langs, chunk.tgt_langs, strict=True))
    declared = dict.fromkeys(pairs)
    if len(declared) == 1:
        return {pair: list(range(len(pairs))) for pair in declared}
    if len(declared) <= 8:
        everything = range(len(pairs))
        return {pair: list(compress(everything, map(operator.eq, pairs, repeat(pair)))) for pair in declared}
    out: dict[tuple[str, str], list[int]] = {}
    for row, pair in enumerate(pairs):
        out.setdefault(pair, []).append(row)
    return out


def remap(hits: Iterable[Hit], rows: Sequence[int]) -> Iterator[Hit]:
    """Hits found on ``rows`` of a chunk (renumbered 0..k-1) with the chunk's row numbers."""
    for hit in hits:
        yield dataclasses.replace(hit, row=rows[hit.row])


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


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def word_start_trie(words: Iterable[str], after_first: str, before: str, depth: int = 1) -> str:
    """``(?:before)(?:trie_alternation(words))``, written with the test of what stands before the word
    (``before``, a lookbehind that is a word edge) moved after its first character
    (``after_first``, the same test as a two-character lookbehind): every branch then opens
    with a literal. Words that do not open with a letter or digit keep the plain form.

    With ``depth`` above 1, the test is made after the first ``depth`` characters where the
    words go on with letters or digits (``after_first`` widened by a ``.`` for each): far
    fewer places of a text open with three letters of a word than with its first (FD001's
    probes of English texts: 47 -> 31 ms on the feed of ``benchmarks/rule_speed.py``)."""
    words = sorted(set(words))
    if not words:
        return ""
    if not all(_LETTER_OR_DIGIT.fullmatch(w[:1]) for w in words):
        return f"{before}(?:{trie_alternation(words)})"
    return _tested_trie(words, after_first, depth)


def _tested_trie(words: list[str], test: str, depth: int) -> str:
    """The words (each opening with a letter or digit) as a prefix tree with ``test``, a
    lookbehind that ends with a ``.`` for each character read, after their first ``depth``
    characters, or earlier on a branch where a word ends or goes on with another character."""
    heads: dict[str, list[str]] = {}
    for w in words:
        heads.setdefault(w[0], []).append(w[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        if depth > 1 and all(_LETTER_OR_DIGIT.fullmatch(t[:1]) for t in tails):
            rest = _tested_trie(tails, test[:-1] + ".)", depth - 1)
        else:
            rest = test + trie_alternation(tails)
        branches.append(re.escape(head) + rest)
    return "(?:" + "|".join(branches) + ")"


def trie_alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` as a prefix tree: far faster than a flat
    alternation, which Python's engine tries word by word at every position."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + emit(node[c]) for c in sorted(node) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(tree)
