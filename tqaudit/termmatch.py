"""Finding glossary terms in running text across inflection: tokens, stems and one index.

A term and a text are split alike into tokens (runs of letters and digits; a Han or kana
character alone, as those scripts write no spaces). Each text token is reduced to its
Snowball stem (snowballstemmer, BSD; the language's algorithm where Snowball has one, the
lower-cased word otherwise). A term token accepts a text token whose stem lies between the
term token's own stem and its whole lower-cased form: ``Алма-Ата`` (stems ``алм``, ``ат``)
accepts ``Алма-Аты``, ``Алма-Ате``, ``Алма-Ату``; ``Астана`` (stem ``аста``) accepts
``Астане`` (stem ``астан``), which plain stem equality misses because Snowball's Russian
algorithm reads a final ``-на`` as a verb ending; ``Vertrag`` accepts ``Vertrages`` and
``Verträge``. The stem must lie on the term's own letters, so ``токарь`` (stem ``токар``)
is not ``Токаев`` (stem ``тока``).

A multiword term matches its tokens in a row, separated by spaces, hyphens or dashes of
any kind, apostrophes, or the term's own separator (``Алма‑Ата`` with a no-break hyphen,
``Alma Ata``). A token written all in capitals (an acronym: ``ОДКБ``, ``NATO``, ``G20``)
matches only in capitals unless the entry says otherwise (``case_sensitive``); other tokens
match in any case. A trailing ``*`` on a term accepts any ending of its last word (for
languages Snowball lacks: Ukrainian, Japanese, Korean, ...).

Everything is built once per run and language pair: an index from each key a term's first
token accepts to the terms starting with it, so a text costs one dictionary look-up per
token whatever the glossary's size.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import pairwise
from typing import Any

from tqaudit.io.glossary import Glossary, PairEntry, Term, load_glossaries

# ISO 639-1 → Snowball algorithm (snowballstemmer 3.x): every language it has a code for.
SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian",
    "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "fa": "persian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "st": "sesotho", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
_CJK = r"\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
# What may stand between two tokens of one term in a text: spaces, hyphens and dashes of any
# kind, soft hyphens and apostrophes (or nothing, between two CJK characters).
_JOINER = re.compile(r"[\s\u00ad'’\-\u2010-\u2015\u2212]*")
_JOINERS = re.compile(r"[\s\u00ad'’\-\u2010-\u2015\u2212]+")
# Stems kept per language: a corpus has some 10^5 distinct words; past the bound it restarts.
_STEM_CACHE = 200_000


class Stemmer:
    """The Snowball stemmer of one language with a cache (or lower-casing, for none)."""

    def __init__(self, lang: str):
        import snowballstemmer

        name = SNOWBALL.get(lang)
        self.lang = lang
        self._algorithm = snowballstemmer.stemmer(name) if name else None
        self._cache: dict[str, str] = {}

    def __call__(self, lower: str) -> str:
        """The stem of a lower-cased word (digits and CJK characters are their own stem)."""
        stem = self._cache.get(lower)
        if stem is None:
            if len(self._cache) >= _STEM_CACHE:
                self._cache.clear()
            algo = self._algorithm
            stem = algo.stemWord(lower) if algo is not None and lower.isalpha() else lower
            self._cache[lower] = stem
        return stem


@lru_cache(maxsize=64)
def stemmer_for(lang: str) -> Stemmer:
    """This process's stemmer for ``lang`` (an ISO 639-1 base code, "" for none)."""
    return Stemmer(lang)


# A token of a text: (start, end, surface, stem key, lower-cased surface).
Token = tuple[int, int, str, str, str]


def tokenize(text: str, stem: Stemmer) -> list[Token]:
    """The tokens of ``text`` with their stems."""
    return [(m.start(), m.end(), w := m.group(), stem(lw := w.lower()), lw) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, eq=False)  # identity: patterns are compared by object
class Pattern:
    """A compiled term: what each of its tokens accepts, and what it stands for.

    A text token is accepted by term token ``j`` when its stem is one of ``keys[j]``, or
    when ``prefixes[j]`` is set and the token's lower-cased form starts with it (a `*`
    wildcard, or a lenient matcher's stems).
    """

    term: Term
    payload: Any  # what the caller attached (an entry number, a kind)
    keys: tuple[frozenset[str], ...]  # text stems each token accepts
    prefixes: tuple[str, ...]  # or any token starting with this ("": none)
    surfaces: tuple[str, ...]  # the term's tokens as written, for case checks
    sensitive: tuple[bool, ...]  # tokens matched with their case
    gaps: tuple[str, ...]  # the term's own separators between tokens

    @property
    def size(self) -> int:
        """The number of tokens."""
        return len(self.surfaces)


# The shortest stem a lenient matcher extends to longer words (`russia` to `Russians`,
# `ukrain` to `Ukrainian`); shorter ones (`eu`, `un`) would reach unrelated words.
LENIENT_MIN = 4


def _accepted(surface: str, stem: Stemmer) -> tuple[frozenset[str], str]:
    """The text stems a term token accepts (from its own stem up to its whole form), and
    its own stem where that is a prefix of the form."""
    lower = surface.lower()
    own = stem(lower)
    if not lower.startswith(own):  # the stem rewrote letters (German umlauts, Greek accents)
        return frozenset({own, lower}), ""
    return frozenset(lower[:k] for k in range(len(own), len(lower) + 1)), own


def compile_term(term: Term, payload: Any, stem: Stemmer, *, lenient: bool = False) -> Pattern | None:
    """``term`` compiled for texts stemmed by ``stem`` (None: a term with no letters).

    ``lenient``: a token also accepts any word that starts with its stem (derivations:
    `Russian` for `Russia`), for checking that a rendering is there rather than finding it.
    """
    text = term.text.strip()
    wild = text.endswith("*")
    found = list(_TOKEN.finditer(text.rstrip("*")))
    if not found:
        return None
    surfaces = tuple(m.group() for m in found)
    gaps = tuple(text[a.end() : b.start()] for a, b in pairwise(found))
    if term.case_sensitive is None:
        sensitive = tuple(len(s) > 1 and s.isupper() for s in surfaces)
    else:
        sensitive = (term.case_sensitive,) * len(surfaces)
    accepted = [_accepted(s, stem) for s in surfaces]
    keys = tuple(k for k, _ in accepted)
    prefixes = [own if lenient and len(own) >= LENIENT_MIN else "" for _, own in accepted]
    if wild:
        prefixes[-1] = surfaces[-1].lower()
    return Pattern(term, payload, keys, tuple(prefixes), surfaces, sensitive, gaps)


@dataclass(frozen=True)
class Match:
    """One occurrence of a pattern: character offsets into the text."""

    start: int
    end: int
    pattern: Pattern


class Matcher:
    """Every pattern of one side of a language pair, indexed by its first token's keys
    (and, for prefix tokens, by the prefix)."""

    def __init__(self, patterns: Iterable[Pattern], stem: Stemmer):
        self.stem = stem
        self._index: dict[str, list[Pattern]] = {}
        self._prefix: dict[str, list[Pattern]] = {}
        for p in patterns:
            for key in p.keys[0]:
                self._index.setdefault(key, []).append(p)
            if p.prefixes[0]:
                self._prefix.setdefault(p.prefixes[0], []).append(p)
        self._prefix_lengths = sorted({len(k) for k in self._prefix})

    def __bool__(self) -> bool:
        return bool(self._index or self._prefix)

    def tokens(self, text: str) -> list[Token]:
        return tokenize(text, self.stem)

    def find(self, text: str, tokens: Sequence[Token], *, longest: bool = True) -> list[Match]:
        """Occurrences in ``text`` (tokenised by :meth:`tokens`), in text order.

        ``longest``: leftmost-longest occurrences that do not overlap (every pattern on the
        chosen span is kept); otherwise every occurrence, overlapping or not.
        """
        found: list[tuple[int, int, Pattern]] = []  # (first token, token count, pattern)
        index, count = self._index, len(tokens)
        for i, tok in enumerate(tokens):
            exact = index.get(tok[3], ())
            for p in exact:  # the first token's stem is accepted already
                n = p.size
                if n == 1 and not p.sensitive[0]:
                    found.append((i, 1, p))  # most terms: one word, any case
                elif i + n <= count and self._matches(p, text, tokens, i):
                    found.append((i, n, p))
            if self._prefix:
                seen = {id(p) for p in exact}
                for p in self._prefix_candidates(tok[4]):
                    if id(p) not in seen and i + p.size <= count and self._matches(p, text, tokens, i):
                        found.append((i, p.size, p))
        if longest:
            found = _leftmost_longest(found)
        return [Match(tokens[i][0], tokens[i + n - 1][1], p) for i, n, p in found]

    def _prefix_candidates(self, lower: str) -> list[Pattern]:
        out: list[Pattern] = []
        get = self._prefix.get
        for k in self._prefix_lengths:  # ascending
            if k > len(lower):
                break
            out += get(lower[:k], ())
        return out

    def _matches(self, p: Pattern, text: str, tokens: Sequence[Token], i: int) -> bool:
        for j, surface in enumerate(p.surfaces):
            start, _, word, key, lower = tokens[i + j]
            if key not in p.keys[j] and not (p.prefixes[j] and lower.startswith(p.prefixes[j])):
                return False
            if p.sensitive[j] and not _same_case(word, surface):
                return False
            if j:
                gap = text[tokens[i + j - 1][1] : start]
                if gap != p.gaps[j - 1] and not _JOINER.fullmatch(gap):
                    return False
        return True


def _same_case(word: str, surface: str) -> bool:
    """Whether the letters ``word`` shares with ``surface`` (before they differ) have its case."""
    for a, b in zip(word, surface, strict=False):
        if a.lower() != b.lower():
            return True
        if a != b:
            return False
    return True


def _leftmost_longest(found: list[tuple[int, int, Pattern]]) -> list[tuple[int, int, Pattern]]:
    """Occurrences on non-overlapping spans, each the longest starting leftmost."""
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, Pattern]] = []
    end = -1
    span: tuple[int, int] | None = None
    for i, n, p in found:
        if (i, n) == span:
            kept.append((i, n, p))
        elif i >= end:
            kept.append((i, n, p))
            span, end = (i, n), i + n
    return kept


def normal_form(text: str) -> str:
    """Case and dash variants folded: whether a matched text is the term as written."""
    return _JOINERS.sub(" ", text.casefold()).strip()


def patterns(terms: Iterable[tuple[Term, Any]], stem: Stemmer, *, lenient: bool = False) -> list[Pattern]:
    """Compiled patterns of ``(term, payload)`` pairs (terms without letters dropped)."""
    compiled = (compile_term(term, payload, stem, lenient=lenient) for term, payload in terms)
    return [p for p in compiled if p is not None]


@dataclass(frozen=True)
class PairMatcher:
    """A glossary for one language pair: its entries and a matcher for each side.

    Source patterns carry their entry's number; target patterns carry ``(number,
    forbidden)``, approved and forbidden renderings in one matcher so that the longest
    term wins where they overlap. ``renderings`` (built on first use) has the approved
    renderings only, lenient (:func:`compile_term`): whether a rendering is there.
    """

    entries: tuple[PairEntry, ...]
    sources: Matcher
    targets: Matcher
    _renderings: Callable[[], Matcher]

    @property
    def renderings(self) -> Matcher:
        return self._renderings()


class TermBase:
    """The run's glossaries, with one :class:`PairMatcher` per language pair, built once.

    A side's matcher depends only on the entries and that side's language, so pairs that
    share them share it (six pairs into English, one bilingual glossary: one target matcher).
    """

    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self._pairs: dict[tuple[str, str], PairMatcher] = {}
        self._sides: dict[tuple[tuple[str, str], str, str], Matcher] = {}

    def __bool__(self) -> bool:
        return bool(self.glossary.entries)

    def pair(self, src: str, tgt: str) -> PairMatcher:
        """The matchers for segments from ``src`` into ``tgt`` (base codes, "" = unknown)."""
        key = (src, tgt)
        if key not in self._pairs:
            columns = self.glossary.resolve(src, tgt)
            entries = self.glossary.pair(src, tgt)
            if self.glossary.languages and not all(columns):
                logging.getLogger("tqaudit").warning(
                    "glossary columns %s: segments of unknown %s language skip the multilingual "
                    "entries (give --src-lang/--tgt-lang)",
                    ", ".join(self.glossary.languages),
                    "source" if not columns[0] else "target",
                )
            # a language the multilingual columns resolved stands in for an unknown one
            src, tgt = src or columns[0], tgt or columns[1]
            sources = self._side(columns, entries, "source", src)
            targets = self._side(columns, entries, "target", tgt)
            renderings = partial(self._side, columns, entries, "renderings", tgt)
            self._pairs[key] = PairMatcher(entries, sources, targets, renderings)
        return self._pairs[key]

    def _side(
        self, columns: tuple[str, str], entries: tuple[PairEntry, ...], side: str, lang: str
    ) -> Matcher:
        key = (columns, side, lang)
        if key not in self._sides:
            stem = stemmer_for(lang)
            terms: list[tuple[Term, Any]]
            if side == "source":
                terms = [(t, n) for n, e in enumerate(entries) if e.approved for t in e.sources]
            elif side == "renderings":
                terms = [(t, n) for n, e in enumerate(entries) for t in e.approved]
            else:
                terms = [
                    (t, (n, t.forbidden)) for n, e in enumerate(entries) for t in e.approved + e.forbidden
                ]
            self._sides[key] = Matcher(patterns(terms, stem, lenient=side == "renderings"), stem)
        return self._sides[key]


def term_base(paths: Sequence[Any]) -> TermBase:
    """The glossaries at ``paths``, loaded once per process while the files are unchanged
    (TM001 and TM002 share them, and so do the chunks of a run)."""
    import os

    stamp = []
    for path in paths:
        try:
            st = os.stat(path)
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:  # the reader names the problem
            stamp.append((str(path), 0, -1))
    return _term_base(tuple(stamp))


@lru_cache(maxsize=4)
def _term_base(stamp: tuple[tuple[str, int, int], ...]) -> TermBase:
    from pathlib import Path

    return TermBase(load_glossaries([Path(p) for p, _, _ in stamp]))
