"""Consistency rules: a corpus that disagrees with itself (Xbench's inconsistency checks).

Every rule here is a :class:`~tqaudit.rules.base.CorpusRule`: each chunk is hashed and
grouped into a small state, states merge in corpus order, and ``finish`` reports each group
that was rendered several ways, once, on the first segment of its rarest variant, naming the
other segments involved. Nothing compares pairs of segments: the work grows linearly with
the corpus (``benchmarks/consistency_scale.py``). CN001/CN002 (:class:`PairRows`) and CN003
(:class:`NameIndex`) keep 64-bit hashes and positions, not texts, and read back by position
(``Inputs.scan``) only the segments of the groups they report; CN004, whose groups are few
(segments with exactly one acronym), keeps a :class:`Variant` per way a group was rendered,
occurrences counted and only the first few located.

Groups are per document (``doc_id``) when documents are known, the whole corpus otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations, compress, repeat

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein

from tqaudit.chunk import Chunk, SegmentRow
from tqaudit.findings import see_segments
from tqaudit.rules.base import CorpusHit, CorpusRule, Inputs, chunk_memo, text_cache
from tqaudit.rules.registry import register

# Occurrences of a variant located in the state (the rest are only counted): a message
# names at most this many other segments.
LOCATED = 10
SHOWN = 60  # characters of a variant's text shown in a message


@dataclass(slots=True)
class Variant:
    """One way a group was rendered: its text, how often, and where (first ``LOCATED``).

    ``where`` holds (corpus position, segment id, start, end) in corpus order; ``tags``
    is what a rule notes about the variant's segments (CN003: the source names it aligns to).
    """

    text: str
    count: int = 0
    where: list[tuple[int, str, int, int]] = field(default_factory=list)
    tags: frozenset[str] = frozenset()

    def add(self, pos: int, segment_id: str, start: int = -1, end: int = -1) -> None:
        self.count += 1
        if len(self.where) < LOCATED:
            self.where.append((pos, segment_id, start, end))

    def absorb(self, other: Variant) -> None:
        """``other``'s occurrences (which come later in the corpus) added to these."""
        self.count += other.count
        self.where.extend(other.where[: LOCATED - len(self.where)])
        self.tags |= other.tags


# (document, key of a group) -> variant key -> variant, in order of first occurrence
Variants = dict[Hashable, Variant]
Groups = dict[tuple[str, Hashable], Variants]


def merge_groups(states: Sequence[Groups]) -> Groups:
    """The groups of ``states`` (in corpus order) joined key by key into the first, which is
    extended in place and returned (states are consumed: merging chunk after chunk into a
    running state costs the size of each new chunk's state, not of the running one)."""
    if not states:
        return {}
    out = states[0]
    for state in states[1:]:
        for key, variants in state.items():
            mine = out.get(key)
            if mine is None:
                out[key] = variants
                continue
            for v, variant in variants.items():
                if v in mine:
                    mine[v].absorb(variant)
                else:
                    mine[v] = variant
    return out


@dataclass(slots=True)
class PairRows:
    """The state of a rule that groups whole segments (CN001, CN002): three numbers per
    segment it keeps (its group's 64-bit hash, its variant's, its corpus position in 32
    bits where it fits), in arrays, not texts: a million segments cost 20 MB. The texts of
    the few groups rendered several ways are read back by position when the rule finishes.

    Rows are added in corpus order, chunk after chunk (``parts`` is consumed by ``merge``).
    """

    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(p[0]) for p in self.parts)

    def absorb(self, other: PairRows) -> None:
        """``other``'s rows (which come later in the corpus) after these."""
        self.parts.extend(other.parts)
        if len(self.parts) > 64:  # one array per 64 chunks: a bounded list, a cheap concat
            self._compact()

    def _compact(self) -> None:
        """The parts joined into one, a column at a time: the pieces of a column are freed
        once it is joined, so joining costs one column beside the state, not a second state."""
        if len(self.parts) < 2:
            return
        columns = [list(c) for c in zip(*self.parts, strict=True)]
        self.parts = []
        joined = []
        for index, pieces in enumerate(columns):
            joined.append(np.concatenate(pieces))
            columns[index] = []
        self.parts = [(joined[0], joined[1], joined[2])]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(group hashes, variant hashes, positions) of every row, in corpus order."""
        if not self.parts:
            empty = np.zeros(0, dtype=np.uint64)
            return empty, empty, np.zeros(0, dtype=np.int64)
        self._compact()
        return self.parts[0]

    def several_ways(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Per group with two variants or more: its rows' variant hashes and positions, in
        corpus order (groups in the order of their first row).

        A million rows are sorted here, so the temporaries are few and short-lived: the
        sort order, the sorted group hashes and one column of flags at a time; the spans of
        the (few) groups found are looked up in the sorted hashes.
        """
        groups, variants, positions = self.arrays()
        if not len(groups):
            return
        if bool((positions[1:] > positions[:-1]).all()):  # rows come in corpus order
            order = np.argsort(groups, kind="stable")  # by group, then corpus order
        else:
            order = np.lexsort((positions, groups))
        g = groups[order]
        mixed = g[1:] == g[:-1]
        v = variants[order]
        mixed &= v[1:] != v[:-1]  # a change of variant within a group
        del v
        found = np.unique(g[1:][mixed])  # the hashes of the groups rendered several ways
        del mixed
        starts, ends = np.searchsorted(g, found, "left"), np.searchsorted(g, found, "right")
        del g
        firsts = positions[order[starts]].tolist()
        for _, start, end in sorted(zip(firsts, starts.tolist(), ends.tolist(), strict=True)):
            rows = order[start:end]
            yield variants[rows], positions[rows]


def merge_pairs(states: Sequence[PairRows]) -> PairRows:
    """The states of ``states`` (in corpus order) joined into the first."""
    if not states:
        return PairRows()
    out = states[0]
    for state in states[1:]:
        out.absorb(state)
    return out


def _pair_variants(
    state: PairRows, inputs: Inputs, column: str, refine: Callable[[str], str] | None = None
) -> Iterator[tuple[str, Variants]]:
    """Each group rendered several ways, as (document, its variants): variants in order of
    first occurrence, each with the text of its first occurrence (``column`` of the segment).
    Only the occurrences a message locates (the first ``LOCATED`` of each variant) are read
    back; the others are counted. ``state`` is consumed.

    ``refine``: the form that tells variants apart, when the state hashed a finer one (see
    :func:`_refined`)."""
    found = list(state.several_ways())
    state.parts = []  # consumed: its arrays freed before the rows are read back
    if refine is not None:
        found = _refined(found, inputs, column, refine)
    located: list[list[bool]] = []
    for variant_keys, _ in found:
        seen: dict[int, int] = {}
        marks = []
        for key in variant_keys.tolist():
            seen[key] = seen.get(key, 0) + 1
            marks.append(seen[key] <= LOCATED)
        located.append(marks)
    wanted = {
        int(p)
        for (_, positions), marks in zip(found, located, strict=True)
        for p, m in zip(positions, marks, strict=True)
        if m
    }
    rows = inputs.rows(wanted)
    for (variant_keys, positions), marks in zip(found, located, strict=True):
        variants: Variants = {}
        for key, pos, mark in zip(variant_keys.tolist(), positions.tolist(), marks, strict=True):
            variant = variants.get(key)
            if variant is None:
                variant = variants[key] = Variant(getattr(rows[pos], column))
            if mark:
                variant.add(pos, rows[pos].segment_id)
            else:
                variant.count += 1
        yield rows[int(positions[0])].doc_id, variants


_REFINE_BATCH = 4096  # forms of the rows read back by _refined, hashed at once


def _refined(
    found: list[tuple[np.ndarray, np.ndarray]], inputs: Inputs, column: str, form: Callable[[str], str]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The groups of ``found`` (variant hashes, positions) whose rows still read several
    ways when their variants are hashed by ``form``, with those hashes (0: an empty form).

    A rule whose variants compare in a form coarser than one it hashes anyway (CN002's
    sources ignore punctuation, CN001's ``_key`` of the same sources does not) keeps the
    finer hash in its state: equal finer forms have equal coarse ones, so every group the
    coarse form splits is among ``found``, and only the rows of ``found`` (few: the
    groups whose sources differ at all) are read back and hashed again, here, one pass in
    corpus order, a batch of hashes at a time."""
    if not found:
        return found

    def hashed(forms: list[str]) -> np.ndarray:
        empty = np.fromiter(map(len, forms), np.intp, len(forms)) == 0
        return np.where(empty, np.uint64(0), _hashes(forms))

    positions = np.unique(np.concatenate([p for _, p in found]))
    parts, batch = [], []
    for _, row in inputs.scan(positions):  # in corpus order: the order of ``positions``
        batch.append(form(getattr(row, column)))
        if len(batch) == _REFINE_BATCH:
            parts.append(hashed(batch))
            batch = []
    hashes = np.concatenate([*parts, hashed(batch)])
    out = []
    for _, group in found:
        variants = hashes[np.searchsorted(positions, group)]
        if bool((variants != variants[0]).any()):
            out.append((variants, group))
    return out


_MIX = 0x9E3779B97F4A7C15  # an odd 64-bit constant: a document's hash times it, plus the key's


def _paired(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One 64-bit hash of each (first, second) pair of hashes (multiplied modulo 2**64)."""
    return first * np.uint64(_MIX) + second


def _hashes(texts: Sequence[str]) -> np.ndarray:
    """A stable 64-bit hash of each text (pandas' SipHash, in C, the same in every process;
    Python's own ``hash`` differs between worker processes). Texts are valid UTF-8: the
    segments table refuses lone surrogates."""
    if not texts:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_array(np.array(texts, dtype=object), categorize=False)


def _distinct(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts in order of first occurrence, and the index among them of each
    row's text (loops in C: the outputs of several systems in one chunk share their
    sources, a document's rows their doc_id)."""
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == len(texts):  # all distinct (a chunk's targets, mostly): no look-up
        return distinct, np.arange(len(texts))
    index = dict(zip(distinct, range(len(distinct)), strict=True))
    return distinct, np.fromiter(map(index.__getitem__, texts), np.intp, len(texts))


def _doc_hashes(chunk: Chunk) -> np.ndarray:
    """The :func:`_hashes` of each row's doc_id, each document hashed once, and once per
    chunk for all the rules (CN001-CN003 group by document)."""

    def compute() -> np.ndarray:
        distinct, rows = _distinct(chunk.doc_ids)
        return _hashes(distinct)[rows]

    return chunk_memo(chunk, "consistency-doc-hashes", compute)


def _key(text: str) -> str:
    """Comparison form of a sentence: case-folded, whitespace collapsed."""
    folded = text.casefold()
    # A printable text has no whitespace but the ASCII space (tabs, newlines and the other
    # spaces are not printable): with single spaces inside and none at either end, it is
    # its own form (most texts; splitting and joining costs twice the folding).
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded
    return " ".join(folded.split())


_PUNCT = re.compile(r"[^\w\s]+")


def _loose_key(text: str) -> str:
    """Comparison form that ignores punctuation too (``Спасибо!`` = ``Спасибо.``)."""
    return " ".join(_PUNCT.sub(" ", text.casefold()).split())


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


def _ordered(variants: Variants) -> list[Variant]:
    """Most frequent first; a tie goes to the variant seen first."""
    return sorted(variants.values(), key=lambda v: (-v.count, v.where[0][0]))


def _others(variants: Iterable[Variant], here: int, inputs: Inputs) -> str:
    """``(see segments 1, 4 and 2 more)``: the other located segments of a group, and how
    many occurrences were not located; ``(all in this segment)`` when there are none."""
    every = list(variants)
    located = sorted({(pos, sid) for v in every for pos, sid, _, _ in v.where if pos != here})
    unlocated = sum(v.count - len(v.where) for v in every)
    if not located and not unlocated:
        return "(all in this segment)"
    return see_segments([inputs.label(pos, sid, here) for pos, sid in located], unlocated)


def _variants_text(ordered: Sequence[Variant], here: Variant, quote: Callable[[str], str]) -> str:
    parts = []
    for variant in ordered[:4]:
        mark = " here" if variant is here else ""
        parts.append(f"{quote(variant.text)} ×{variant.count}{mark}")
    if len(ordered) > 4:
        parts.append(f"{len(ordered) - 4} more")
    return ", ".join(parts)


def _quoted(text: str) -> str:
    return f"'{_shown(text)}'"


def group_hit(variants: Variants, inputs: Inputs, template: str, whole: bool = True) -> CorpusHit | None:
    """The hit of a group rendered several ways (None: one way), on the first occurrence of
    its rarest variant.

    ``template`` words the message from the number of variants ``{n}`` and their list
    ``{listed}``; ``whole`` hits are about the whole segment, else they point at the occurrence
    (its start and end). The suggestion is the most frequent variant.
    """
    if len(variants) < 2:
        return None
    ordered = _ordered(variants)
    rare = ordered[-1]
    pos, _, start, end = rare.where[0]
    text = template.format(n=len(ordered), listed=_variants_text(ordered, rare, _quoted))
    message = f"{text} {_others(ordered, pos, inputs)}"
    if whole:
        start = end = -1
    return CorpusHit(pos, start, end, message, ordered[0].text)


def _doc_scope(doc: str) -> str:
    return "in this document" if doc else "in this corpus"


class _GroupingRule(CorpusRule):
    """A consistency rule whose state is :data:`Groups`: chunk states merge key by key."""

    def merge(self, states: Sequence[Groups]) -> Groups:
        return merge_groups(states)


@register
class InconsistentTranslation(CorpusRule):
    """The same source sentence translated differently in one document or corpus.

    ## What it does
    Groups segments of one document (`doc_id`; the whole input when there are no document
    ids) whose sources are identical (ignoring case and spacing) and whose sources have at
    least `min_words` words. A group translated in several ways gets one finding, on the
    first segment of its rarest translation, that lists every translation with its count
    and names the other segments of the group; the suggestion is the most frequent one.

    ## Why is this bad?
    A repeated sentence (a disclaimer, a product name, a recurring headline) translated two
    ways confuses readers and breaks translation-memory reuse; sentence-level MT with
    sampling or context produces such drift.

    ## Example
    Source (segments 3 and 9): `Подписывайтесь на наш канал в Telegram`
    Targets: `Subscribe to our Telegram channel` / `Follow our channel in Telegram`

    Use instead: one translation for both.

    ## Known problems
    A sentence may need different translations in different contexts (pronoun gender,
    formality), especially in conversation; raise `min_words` for such content. Inputs that
    join several translators' or systems' work without `doc_id` look inconsistent: give
    each its own `doc_id` (or audit the inputs apart). Translations that differ only in case
    or spacing count as one.
    """

    code = "CN001"
    name = "inconsistent-translation"
    category = "consistency"
    severity = "info"
    options = {"min_words": 4}
    option_docs = {"min_words": "sources with fewer words than this are not compared"}

    def collect(self, chunk: Chunk) -> PairRows:
        return _collect_pairs(chunk, "sources", "targets", self.opts["min_words"], _key, _key)

    def merge(self, states: Sequence[PairRows]) -> PairRows:
        return merge_pairs(states)

    def finish(self, state: PairRows, inputs: Inputs) -> Iterator[CorpusHit]:
        for doc, variants in _pair_variants(state, inputs, "target"):
            scope = _doc_scope(doc)
            hit = group_hit(variants, inputs, f"Same source translated {{n}} ways {scope}: {{listed}}")
            if hit is not None:
                yield hit


def _digests(chunk: Chunk, column: str, form: Callable[[str], str]) -> tuple[np.ndarray, np.ndarray]:
    """The hash of the ``form`` of each row's text of ``chunk``'s ``column``, and the form's
    number of words (0: the form is empty).

    Made once per chunk for all rules (CN001 and CN002 both hash the targets' ``_key``), and
    once per distinct text: several systems' outputs in one chunk share their sources.
    """

    def compute() -> tuple[np.ndarray, np.ndarray]:
        distinct, rows = _distinct(getattr(chunk, column))
        shown = list(map(form, distinct))
        # the words of a form: one space between words, none in an empty form
        spaces = np.fromiter(map(str.count, shown, repeat(" ")), np.int64, len(shown))
        words = np.where(np.fromiter(map(len, shown), np.int64, len(shown)) > 0, spaces + 1, 0)
        return _hashes(shown)[rows], words[rows]

    return chunk_memo(chunk, ("consistency-digests", column, form.__name__), compute)


def _collect_pairs(
    chunk: Chunk,
    keys: str,
    values: str,
    min_words: int,
    key_form: Callable[[str], str],
    value_form: Callable[[str], str],
) -> PairRows:
    """Rows grouped by (document, hashed key text) when the key has at least ``min_words``
    words (and is not empty), variants by hashed value text (0: empty); ``keys`` and
    ``values`` name the chunk's columns."""
    key_digests, key_words = _digests(chunk, keys, key_form)
    value_digests, value_words = _digests(chunk, values, value_form)
    kept = key_words >= max(min_words, 1)
    if not kept.any():
        return PairRows()
    groups = _paired(_doc_hashes(chunk)[kept], key_digests[kept])  # (document, key) as one hash
    variants = np.where(value_words[kept] > 0, value_digests[kept], np.uint64(0))
    positions = np.array(chunk.positions, np.int64)[kept]
    # positions as 32-bit numbers while they fit (every corpus short of two billion rows)
    if positions.max() <= np.iinfo(np.int32).max:
        positions = positions.astype(np.int32)
    return PairRows([(groups, variants, positions)])


@register
class SameTranslationOfDifferentSources(CorpusRule):
    """Different source sentences translated identically (inconsistency in source).

    ## What it does
    Groups segments of one document (the whole input without `doc_id`) whose targets are
    identical (ignoring case and spacing) and have at least `min_words` words; a group
    whose sources differ (ignoring case, spacing and punctuation) gets one finding, on the
    first segment of its rarest source, naming the other segments.

    ## Why is this bad?
    Two different sentences rarely mean the same: one of the two translations is likely
    wrong (a sentence copied from its neighbour, a translation memory match accepted
    without editing, an MT system that ignored a negation or a number).

    ## Example
    Sources: `Цены выросли на 5%` (segment 4) / `Цены выросли на 7%` (segment 8)
    Targets: both `Prices rose by 5%`

    ## Known problems
    Sources that differ only in spelling or in words that the target language does not
    render (particles, word order) are legitimately translated alike; short targets do
    this often, hence `min_words`.
    """

    code = "CN002"
    name = "same-translation-of-different-sources"
    category = "consistency"
    severity = "info"
    options = {"min_words": 5}
    option_docs = {"min_words": "targets with fewer words than this are not compared"}

    def collect(self, chunk: Chunk) -> PairRows:
        sources = chunk.sources
        if all(sources) and not any(map(str.isspace, sources)):  # every row has a source (in C)
            part = chunk
        else:
            part = chunk.subset(list(compress(range(len(chunk)), map(str.strip, sources))))
        # sources hashed by ``_key`` (which CN001 hashes too), refined by ``_loose_key`` when finishing
        return _collect_pairs(part, "targets", "sources", self.opts["min_words"], _key, _key)

    def merge(self, states: Sequence[PairRows]) -> PairRows:
        return merge_pairs(states)

    def finish(self, state: PairRows, inputs: Inputs) -> Iterator[CorpusHit]:
        for doc, variants in _pair_variants(state, inputs, "source", refine=_loose_key):
            scope = _doc_scope(doc)
            hit = group_hit(
                variants,
                inputs,
                f"Same translation for {{n}} different sources {scope}: {{listed}}",
            )
            if hit is not None:
                yield hit


# --------------------------------------------------------------------------- names

# spelling -> (its variant, its skeleton), of one document, in order of first occurrence
Spellings = dict[str, tuple[Variant, str]]

# A capitalised word of a Latin-script target (hyphenated parts too): `Kassym-Jomart`. The
# look-behind follows the first letter (it reads that letter too) so that the pattern opens
# with a character class, which ``re`` searches for in C instead of trying every position.
_NAME = re.compile(r"([A-Z](?<![\w'’-][A-Z])[a-z]+(?:-[A-Z][a-z]+)*)(?![\w-])")


def _names_of_length(length: int) -> re.Pattern[str]:
    """``_NAME`` for the names of at least ``length`` characters only (a look-ahead after the
    first letter; a name ends where its letters and hyphens end, so it can only see the
    name's own). A shorter name has a skeleton shorter than ``length`` (the skeleton of an
    ASCII name only drops letters), which CN003 never compares: two matches in five were
    `The`, `He`, `In`, each a dict look-up and a skip in Python."""
    ahead = f"(?=[A-Za-z-]{{{max(length - 1, 0)}}})"
    return re.compile(_NAME.pattern.replace("[A-Z])", "[A-Z])" + ahead, 1))


# A word of four letters or more of a source, any script (the capitalised ones are names).
_SOURCE_NAME = re.compile(r"([^\W\d_](?<!\w[^\W\d_])[^\W\d_]{3,})")
_OPENERS = frozenset('.!?:;«»"“”„([')
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e iu ia i i ie g u".replace(
            "_", ""
        ).split(" "),
        strict=True,
    )
)
# Transliteration digraphs first (longest first), then glides and doubled letters.
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("sch", "s"),
    ("sh", "s"), ("ch", "c"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("q", "k"),
)  # fmt: skip
_GLIDE = re.compile(r"(?<=[aeiou])i(?=[aeiou])|^i(?=[aeiou])")
_DOUBLE = re.compile(r"(.)\1+")


_TRANSLITERATE = str.maketrans(_CYRILLIC)
_NOT_LETTER = re.compile("[^a-z]+")


def _fold(text: str) -> str:
    """Lower case, Cyrillic transliterated, accents dropped, letters only (in C: a
    translation table and a regex, not a loop over characters)."""
    if text.isascii():  # every name of a target: nothing to transliterate or decompose
        return _NOT_LETTER.sub("", text.lower())
    lowered = text.casefold().translate(_TRANSLITERATE)
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKD", lowered))


@text_cache(65536)
def skeleton(name: str) -> str:
    """The transliteration-normalised form of a name: spellings that romanise one name
    differently share it (`Tokayev`/`Tokaev`, `Kassym-Jomart`/`Kasym-Zhomart`,
    `Zelensky`/`Zelenskyy`, `Sergey`/`Sergei`, `Müller`/`Muller`)."""
    text = _fold(name)
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = text.replace("y", "i")
    if _DOUBLE.search(text):  # a few names: a template's sub costs a Python call even without a match
        text = _DOUBLE.sub(r"\1", text)
    return _GLIDE.sub("", text)


@text_cache(8192)  # several systems' outputs share their sources
def _source_names(source: str) -> dict[str, str]:
    """Skeleton prefix (two letters) -> skeleton, for each capitalised word of ``source``."""
    out: dict[str, str] = {}
    for word in _SOURCE_NAME.findall(source):
        if word[0].isupper():
            key = skeleton(word)
            if len(key) >= 4:
                out.setdefault(key[:2], key[:5])
    return out


def _initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or a quotation, or the text): its
    capital says nothing of it being a name, so it is not aligned to the source's names."""
    before = text[max(0, start - 3) : start].rstrip()
    return not before or before[-1] in _OPENERS


def _inside(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (``_NAME`` or :func:`_names_of_length`'s) for the names that do not open
    a sentence, a quotation or the text: after the first letter, a look-behind for a
    character that is neither a space nor one of ``_OPENERS`` before it, up to two spaces
    apart, which is :func:`_initial` read in C."""
    other = r"[^\s" + re.escape("".join(sorted(_OPENERS))) + "]"
    behind = "|".join(f"(?<={other}{spaces}[A-Z])" for spaces in ("", r"\s", r"\s\s"))
    return re.compile(pattern.pattern.replace("[A-Z])", f"[A-Z])(?:{behind})", 1))


def _columns(rows: Iterable[tuple[str, ...]], width: int) -> list[list[str]]:
    """``rows`` as ``width`` columns (empty columns for no rows), transposed by ``zip`` in C
    (a Python step per value cost CN003 a tenth of its time)."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    if columns and len(columns) != width:
        raise ValueError(f"rows of {len(columns)} values, expected {width}")
    return columns or [[] for _ in range(width)]


@dataclass(slots=True)
class NameIndex:
    """The state of CN003, as 64-bit hashes: (document, skeleton, position) of each name
    of each row, (document, skeleton, spelling) of each spelling, and (document, block,
    skeleton) of each long skeleton that renders a source name, where a block is that name
    with the skeleton's head or tail (two skeletons joined as one name render a common
    source name and are one edit apart, so they share a block). A skeleton can make a
    finding only when it has two spellings or shares a block with another: only the rows
    of those skeletons are read back (a tenth of the rows with names on WMT22, where the
    documents that hold one are most of them). About 100 bytes a segment, against a
    kilobyte for the groups themselves."""

    rows: list[np.ndarray] = field(default_factory=list)  # (n, 3): document, skeleton, position
    keys: list[np.ndarray] = field(default_factory=list)  # (n, 3)
    blocks: list[np.ndarray] = field(default_factory=list)  # (n, 3)

    @classmethod
    def of(
        cls, rows: Sequence[np.ndarray], keys: Sequence[np.ndarray], blocks: Sequence[np.ndarray]
    ) -> NameIndex:
        """The index of one chunk from its columns of hashes (positions as uint64)."""
        return cls([np.column_stack(rows)], [np.column_stack(keys)], [np.column_stack(blocks)])

    def absorb(self, other: NameIndex) -> None:
        """``other``'s entries (later in the corpus) added; repeats folded now and then."""
        self.rows.extend(other.rows)
        self.keys.extend(other.keys)
        self.blocks.extend(other.blocks)
        if len(self.keys) > 64:
            self.rows = [np.concatenate(self.rows)]
            self.keys = [np.unique(np.concatenate(self.keys), axis=0)]
            self.blocks = [np.unique(np.concatenate(self.blocks), axis=0)]

    def candidate_rows(self) -> tuple[np.ndarray, set[int]]:
        """Corpus positions of the rows that hold a skeleton that may make a finding, in
        order, and the positions that are the last such row of their document. The index
        is consumed (its arrays freed)."""
        keys, blocks = np.concatenate(self.keys), np.concatenate(self.blocks)
        self.keys, self.blocks = [], []
        # (document, skeleton) of a skeleton with two spellings, of one sharing a block
        names = np.concatenate((_with_two(keys)[:, :2], _with_two(blocks)[:, ::2]))
        if not len(names):
            return np.zeros(0, dtype=np.int64), set()
        rows = np.concatenate(self.rows)
        self.rows = []  # consumed: freed before the read-back
        rows = rows[np.isin(_paired(rows[:, 0], rows[:, 1]), _paired(names[:, 0], names[:, 1]))]
        if not bool((rows[1:, 2] >= rows[:-1, 2]).all()):  # rows come in corpus order
            rows = rows[np.argsort(rows[:, 2], kind="stable")]
        _, last = np.unique(rows[::-1, 0], return_index=True)  # each document's last row
        closing = set(rows[len(rows) - 1 - last, 2].tolist())
        return np.unique(rows[:, 2]).astype(np.int64), closing


def _ends(key: str, fuzzy: int) -> tuple[str, ...]:
    """The blocks of a skeleton of at least ``fuzzy`` letters: its head and its tail of
    ``(fuzzy - 1) // 2`` letters. Two such skeletons one edit apart share one: an edit at
    a position past the head leaves the heads equal, one within it leaves the tails equal."""
    half = (fuzzy - 1) // 2
    return (f"^{key[:half]}", f"{key[-half:]}$") if half else ("^",)


def _with_two(entries: np.ndarray) -> np.ndarray:
    """The distinct (document, first, second) entries whose (document, first) pair has two
    different seconds or more (``entries`` may repeat). Sorted as single 64-bit hashes of
    their columns (rows of three numbers sort as bytes, several times slower)."""
    pairs = _paired(entries[:, 0], entries[:, 1])
    _, distinct = np.unique(_paired(pairs, entries[:, 2]), return_index=True)
    entries, pairs = entries[distinct], pairs[distinct]
    values, counts = np.unique(pairs, return_counts=True)
    return entries[np.isin(pairs, values[counts > 1])]


@register
class NameVariants(CorpusRule):
    """One name written several ways: `Tokayev` and `Tokaev`.

    ## What it does
    Reads the capitalised words of Latin-script targets (not those opening a sentence for
    the near-spelling test) and hashes each by its transliteration skeleton (lower case,
    accents dropped, Cyrillic transliterated, `zh`→`j`, `kh`→`h`, `y`→`i`, doubled letters
    single, a glide `i` between vowels dropped), per document (`doc_id`) or corpus. Words
    with one skeleton but different spellings are one name written several ways. Words
    whose skeletons (at least `min_length` letters) are one edit apart (rapidfuzz
    Levenshtein distance, candidates found by hashing each skeleton with one letter
    deleted, never by comparing all pairs) count too when the source of both has a
    capitalised word whose transliteration starts like them (the same source name): so
    `Kazakhstan`/`Kazakstan` for `Казахстан`, not `Johnson`/`Johnston`.
    One finding per name, on the first occurrence of its rarest spelling.

    ## Why is this bad?
    A name transliterated two ways in one text reads as two people or places, and breaks
    search; MT systems translate sentence by sentence and drift between romanisations.

    ## Example
    `Tokayev met ...` (segment 1) / `Tokaev said ...` (segment 2)

    Use instead: one spelling (the most frequent is suggested).

    ## Known problems
    Two different people whose names romanise alike (`Maria`/`Mariya` are one skeleton)
    are reported, and so are words that differ by a doubled letter (`Princess`/`Princes`).
    The source name is matched by its first five letters, so two names that start alike
    can align (`Francie`/`Franchise`, one edit apart once `ch` reads `c`). German targets
    capitalise every noun: two spellings of a compound (`Trans-Menschen`/`Transmenschen`)
    are reported, endings of one stem are not. Sources without capitals (Chinese,
    Japanese) give no alignment, so only equal skeletons are found for them. Names are read
    in Latin script only (Russian names inflect: `Токаева`/`Токаеву` are one name).
    Spellings one edit apart are not joined when one segment writes both (a text
    contrasting two names) or one is the other plus letters (`Dominik`/`Dominika`).
    """

    code = "CN003"
    name = "name-variants"
    category = "consistency"
    severity = "info"
    options = {"min_length": 5, "fuzzy_length": 7}
    option_docs = {
        "min_length": "names whose skeleton is shorter than this are not compared",
        "fuzzy_length": "names one edit apart are compared when their skeletons are at least this long",
    }

    def prepare(self) -> None:
        self._pattern = _names_of_length(self.opts["min_length"])
        self._inside = _inside(self._pattern)

    def merge(self, states: Sequence[NameIndex]) -> NameIndex:
        out = states[0] if states else NameIndex()
        for state in states[1:]:
            out.absorb(state)
        return out

    def collect(self, chunk: Chunk) -> NameIndex:
        """What may make a finding, as hashes: every (document, spelling) with its skeleton,
        the blocks its skeleton falls in with each source name it renders, and the rows
        each skeleton is in. The rows of the skeletons that can make a finding are read
        back, and grouped again by :meth:`add_row`, when the rule finishes.

        A chunk's names are handled in bulk, not name by name: each row's words
        (``findall``, no match object each), each distinct word's skeleton and hashes
        once, and the rows' entries as index arrays (a name repeated in a row is entered
        again: the read-back takes each row once); only the rows whose long names may
        render a source name are read word by word (:meth:`_tagged`)."""
        rows, names = self._words(chunk)
        keys: dict[str, str] = {}  # spelling -> skeleton, of min_length letters or more
        for word in dict.fromkeys(chain.from_iterable(names)):
            key = skeleton(word)
            if len(key) >= self.opts["min_length"]:
                keys[word] = key
        spellings = dict(zip(keys, range(len(keys)), strict=True))
        # (row, spelling) of each name of each row, as indexes
        index = np.fromiter(map(spellings.get, chain.from_iterable(names), repeat(-1)), np.intp)
        row_of = np.repeat(np.array(rows, dtype=np.intp), np.fromiter(map(len, names), np.intp, len(names)))
        kept = index >= 0
        index, row_of = index[kept], row_of[kept]
        docs = _doc_hashes(chunk)[row_of]
        key_hashes = _hashes(list(keys.values()))[index]
        word_hashes = _hashes(list(keys))[index]
        _, first = np.unique(_paired(docs, word_hashes), return_index=True)  # each (document, spelling)
        positions = np.array(chunk.positions, dtype=np.uint64)[row_of]
        fuzzy = self.opts["fuzzy_length"]
        tagged = self._tagged(chunk, rows, names, {w: k for w, k in keys.items() if len(k) >= fuzzy})
        blocks = [(doc, f"{tag}{part}", key) for doc, key, tag in tagged for part in _ends(key, fuzzy)]
        return NameIndex.of(
            (docs, key_hashes, positions),
            (docs[first], key_hashes[first], word_hashes[first]),
            [_hashes(column) for column in _columns(blocks, 3)],
        )

    def _words(self, chunk: Chunk) -> tuple[list[int], list[list[str]]]:
        """The rows of ``chunk`` with capitalised words of a Latin-script target and each
        one's words, in order (a word of fewer than ``min_length`` letters is not matched:
        see :func:`_names_of_length`)."""
        found = list(map(self._pattern.findall, chunk.targets))  # in C
        rows = list(compress(range(len(chunk)), found))
        return rows, list(map(found.__getitem__, rows))

    def _tagged(
        self, chunk: Chunk, rows: Sequence[int], names: Sequence[list[str]], long: dict[str, str]
    ) -> set[tuple[str, str, str]]:
        """(document, skeleton, source name) of each spelling in ``long`` (spelling ->
        skeleton) that renders a name of its row's source somewhere it does not open a
        sentence: as :meth:`add_row` tags its variants."""
        tagged: set[tuple[str, str, str]] = set()
        for row, words in zip(rows, names, strict=True):
            mine = list(filter(long.__contains__, words))
            if not mine:
                continue
            source_names = _source_names(chunk.sources[row])
            aligned = [(w, name) for w in mine if (name := source_names.get(long[w][:2])) is not None]
            if not aligned:
                continue
            inside = self._inside.findall(chunk.targets[row])  # its names that open no sentence
            for word, name in aligned:
                if word in inside:
                    tagged.add((chunk.doc_ids[row], long[word], name))
        return tagged

    def add_row(self, documents: dict[str, Spellings], row: SegmentRow, pos: int) -> None:
        """The capitalised words of one segment added to its document's spellings: each
        occurrence located, each spelling tagged with the source names it renders."""
        target = row.target
        spellings = documents.setdefault(row.doc_id, {})
        names: dict[str, str] | None = None
        for match in self._pattern.finditer(target):
            word = match[1]
            entry = spellings.get(word)
            if entry is None:
                key = skeleton(word)
                if len(key) < self.opts["min_length"]:
                    continue
                entry = spellings[word] = (Variant(word), key)
            variant, key = entry
            start = match.start()
            variant.add(pos, row.segment_id, start, match.end())
            if names is None:
                names = _source_names(row.source)
            aligned = names.get(key[:2])  # the source name it may render
            if aligned is not None and aligned not in variant.tags and not _initial(target, start):
                variant.tags |= {aligned}

    def finish(self, state: NameIndex, inputs: Inputs) -> Iterator[CorpusHit]:
        """The rows of the names that may make a finding, read back in one pass over the
        segments, each document grouped and reported as soon as the pass has read its last
        such row (memory: the documents open at once, not every candidate). The other
        names of these rows are grouped too: each has one spelling and joins no other."""
        positions, closing = state.candidate_rows()
        documents: dict[str, Spellings] = {}
        for pos, row in inputs.scan(positions):
            self.add_row(documents, row, pos)
            if pos in closing:
                yield from self._document_hits(row.doc_id, documents.pop(row.doc_id, {}), inputs)

    def _document_hits(self, doc: str, spellings: Spellings, inputs: Inputs) -> Iterator[CorpusHit]:
        skeletons: dict[str, Variants] = {}
        for word, (variant, key) in spellings.items():  # first-seen order, as the groups were
            skeletons.setdefault(key, {})[word] = variant
        scope = _doc_scope(doc)
        for variants in self._join_near(skeletons):
            hit = group_hit(variants, inputs, f"Name written {{n}} ways {scope}: {{listed}}", whole=False)
            if hit is not None:
                yield hit

    def _join_near(self, skeletons: dict[str, Variants]) -> list[Variants]:
        """Skeletons one edit apart and aligned to one source name, joined (union-find)."""
        parent = {key: key for key in skeletons}

        def root(key: str) -> str:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        blocks: dict[str, list[str]] = {}
        for key, variants in skeletons.items():
            if len(key) >= self.opts["fuzzy_length"] and any(v.tags for v in variants.values()):
                for i in range(len(key)):  # every deletion of one letter: a blocking key
                    blocks.setdefault(key[:i] + key[i + 1 :], []).append(key)
                blocks.setdefault(key, []).append(key)
        joined_any: set[str] = set()  # the skeletons joined to another
        for members in blocks.values():
            if len(members) < 2:  # most blocks: one skeleton, no pair to compare
                continue
            for a, b in combinations(dict.fromkeys(members), 2):  # a block holds a few skeletons
                if self._near(a, b, skeletons):
                    parent[root(b)] = root(a)
                    joined_any.update((a, b))
        joined: dict[str, Variants] = {}
        for key, variants in skeletons.items():  # first-seen order, variants in order
            if key not in joined_any:  # alone (a root is joined too): its variants as they are
                joined[key] = variants
                continue
            joined.setdefault(root(key), {}).update(variants)
        return list(joined.values())

    @staticmethod
    def _near(a: str, b: str, skeletons: dict[str, Variants]) -> bool:
        if Levenshtein.distance(a, b, score_cutoff=1) > 1:
            return False
        if _inflected(skeletons[a], skeletons[b]) or _together(skeletons[a], skeletons[b]):
            return False
        tags_a = frozenset().union(*(v.tags for v in skeletons[a].values()))
        tags_b = frozenset().union(*(v.tags for v in skeletons[b].values()))
        return bool(tags_a & tags_b)


# Endings of English and German nouns (plural, genitive, case): `Vampirs`/`Vampire`.
_ENDINGS = ("s", "es", "e", "en", "n", "er", "em", "ern")


def _stems(word: str) -> set[str]:
    """The word folded, and without one or two of ``_ENDINGS`` (`Rasierers` → `rasierer`, `rasier`)."""
    out = {_fold(word)}
    for _ in range(2):
        out |= {w[: -len(e)] for w in out for e in _ENDINGS if w.endswith(e) and len(w) - len(e) >= 5}
    return out


def _inflected(one: Variants, other: Variants) -> bool:
    """Whether a spelling of ``one`` is one of ``other`` plus letters at the end or the reverse,
    or both one stem with other endings (`Governments`, `Dominika`, `Vampirs`/`Vampire`)."""
    first = [_stems(str(v)) for v in one]
    second = [_stems(str(v)) for v in other]
    for a in first:
        for b in second:
            if a & b or any(x.startswith(y) or y.startswith(x) for x in a for y in b):
                return True
    return False


def _together(one: Variants, other: Variants) -> bool:
    """Whether the two are written in one segment (a text contrasting two names)."""
    here = {pos for v in one.values() for pos, _, _, _ in v.where}
    return any(pos in here for v in other.values() for pos, _, _, _ in v.where)


# --------------------------------------------------------------------------- acronyms

# not part of a longer word, a hyphenated one or a dotted abbreviation (`U.S.`); the
# look-behinds follow the first letter, as in ``_NAME``
_CAPITAL = r"[^\W\d_a-zа-яё]"
_ACRONYM = re.compile(rf"({_CAPITAL}(?<![\w-]{_CAPITAL})(?<!\w\.{_CAPITAL}){_CAPITAL}{{1,5}})(?![\w-]|\.\w)")
# What every text with an acronym holds: two capitals in a row (a search in C)
_MAY_HAVE_ACRONYM = re.compile(f"{_CAPITAL}{{2}}")
_ROMAN = re.compile(r"^[IVXLCDM]+$")


def _acronyms(text: str) -> dict[str, tuple[int, int]]:
    """All-capital words of 2-6 letters (not Roman numerals), first position of each."""
    out: dict[str, tuple[int, int]] = {}
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        if word.isupper() and not _ROMAN.match(word):
            out.setdefault(word, match.span(1))
    return out


@register
class AcronymVariants(_GroupingRule):
    """An acronym of the source rendered by different acronyms: `CSTO` and `ODKB`.

    ## What it does
    Takes the segments whose source holds exactly one acronym (an all-capital word of two
    to six letters) and whose target holds exactly one, and pairs them: that is how the
    source acronym was rendered. Per document (`doc_id`) or corpus, a source acronym
    rendered by several target acronyms gets one finding, on the first occurrence of its
    rarest rendering, naming the other segments; the most frequent is suggested.

    ## Why is this bad?
    `CSTO` (the English acronym) and `ODKB` (the Russian one transliterated) name one
    organisation; readers take them for two. MT systems transliterate an acronym they do
    not know in one sentence and translate it in the next.

    ## Example
    `ОДКБ` → `CSTO` (segments 1, 3) and `ODKB` (segment 2)

    ## Known problems
    Segments with several acronyms are not paired (which goes with which is unknown), nor
    segments that spell the acronym out. A source acronym that the target language writes
    two ways by convention (`США` as `US` or `USA`) is reported, and so is one that is part
    of a title in one segment (`PC Magazine`) and a word in another (`ПК`). A segment whose
    one source acronym is spelt out while another acronym appears pairs the wrong two.
    """

    code = "CN004"
    name = "acronym-variants"
    category = "consistency"
    severity = "info"

    def collect(self, chunk: Chunk) -> Groups:
        groups: Groups = {}
        sources, targets = chunk.sources, chunk.targets
        # the one acronym of each source that has one, each distinct source read once
        # (several systems' outputs share a source): the rows are then picked in C
        distinct = list(dict.fromkeys(sources))
        one: dict[str, str] = {}
        for source in compress(distinct, map(_MAY_HAVE_ACRONYM.search, distinct)):
            found = _acronyms(source)
            if len(found) == 1:
                one[source] = next(iter(found))
        for row in compress(range(len(chunk)), map(one.__contains__, sources)):
            target = targets[row]
            rendered = _acronyms(target) if _MAY_HAVE_ACRONYM.search(target) else {}
            if len(rendered) != 1:
                continue
            acronym, ((word, (start, end)),) = one[sources[row]], rendered.items()
            variants = groups.setdefault((chunk.doc_ids[row], acronym), {})
            variant = variants.get(word)
            if variant is None:
                variant = variants[word] = Variant(word)
            variant.add(chunk.positions[row], chunk.ids[row], start, end)
        return groups

    def finish(self, state: Groups, inputs: Inputs) -> Iterator[CorpusHit]:
        for (doc, acronym), variants in state.items():
            scope = _doc_scope(doc)
            hit = group_hit(
                variants,
                inputs,
                f"Acronym '{acronym}' rendered {{n}} ways {scope}: {{listed}}",
                whole=False,
            )
            if hit is not None:
                yield hit
