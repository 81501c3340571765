"""Numbers of the source and the target compared by value, in both directions (FD001).

A number is read wherever a text writes one: digits in any locale's grouping and decimal
style, number words (`пятеро`, `Twenty`, `fünfundzwanzig`), Han numerals (`五十`, `3万`),
each with its scale word (`2,7 млн`), sign (`минус 12`) and clock (`3 p.m.`). What each
language writes lives in the ``numbers.<lang>`` packs; the parsing is here.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import accumulate, compress
from typing import Any

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.rules.base import (
    CACHED_CHARS,
    Hit,
    Rule,
    literal_alternation,
    text_cache,
    trie_alternation,
    word_start_trie,
)
from tqaudit.rules.registry import register

# Digits as written in running text: optional group separators (comma, full stop, space,
# no-break, narrow no-break or thin space, apostrophe) and an optional decimal part. Not
# inside a longer number, nor the tail of a name like COVID-19.
_DIGITS = (
    r"(?<!\d)(?<!\d[.,])"
    r"(?:\d{1,3}(?:[,.\u00a0\u202f\u2009' ]\d{3})+|\d+)(?:[.,]\d+)?(?![.,]?\d)"
)
# Dates and version-like numbers whose parts a translation may write apart (`12.12.19`,
# `2022-03-12`, `5/7`): compared part by part.
_DATE = (
    r"(?<![\d.,/])(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}[./]\d{1,2}[./]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|\d{1,2}/\d{1,2})(?![.,/]?\d)"
)
# Digits with Han myriads between them (`6万5000`, `4億5000万`): one number.
# (`1億2千万`: a digit with 千, 百 or 十 inside a myriad)
_MIXED = r"(?P<mixed>(?<![\d.,])\d+(?:\.\d+)?[万萬亿億](?:\d+(?:\.\d+)?[千百十]?[万萬亿億]?)+)"
_MIXED_TOKEN = re.compile(r"\d+(?:\.\d+)?|[万萬亿億千百十]")
_GROUP_SEPARATORS = re.compile(r"[\u00a0\u202f\u2009' ]")
_RUN = re.compile(r"\d+")
# A sign written as a character right before the digits, not after a word or number (`5-7`).
_SIGN = re.compile(r"(?:^|[^\d.,])([-\u2212\uff0d])$")
_ORDINAL_AFTER = re.compile(
    r"(?:st|nd|rd|th|er|e|ème)\b|\.\s?[^\W\d]|-?(?:й|я|е|го|му|м|х|ї|ий|а)\b|[日号號届屆回位]", re.I
)
_ANY_DIGIT = re.compile(r"\d")
# The letters of a number word that ``Lexicon.strong_probe`` looks for at the start of a word.
_STRONG_OPENING = 5
# A word as number words are looked up: letters, with an apostrophe inside (`п'ять`, `сім'я`).
_WORD = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+")
# The same words in an ASCII text, whose letters are A-Z and a-z: the engine tests a range
# far faster than the Unicode class (each character looked up three times).
_ASCII_WORD = re.compile(r"[A-Za-z]++(?:'[A-Za-z]++)*+")


def _words(text: str) -> re.Pattern[str]:
    """``_WORD``, or for an ASCII text (most targets of the feed) ``_ASCII_WORD``."""
    return _ASCII_WORD if text.isascii() else _WORD


_TWO_DIGITS = re.compile(r"\d\d(?!\d)")
_MINUTES_BEFORE = re.compile(r"\d[:.]$|\d\s?[:.]\s?$")
_CLOCK_AFTER = re.compile(r"[:.]\d\d(?!\d)")
_ROMAN = re.compile(r"(?<![\w.])(?=[IVXLC]{2,}\b)(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\w])")
# two letters as two classes, not ``{2}``: the engine then skips at C speed to the letters
# of the first class instead of starting a repeat at every position (twice as fast)
_ROMAN_PROBE = re.compile("[IVXLC][IVXLC]")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SYMBOLS = {"%": "percent", "°": "degree"}
# signs written attached to a number, by the symbol they stand for
_SYMBOL_FORMS = {"%": "%", "％": "%", "°": "°", "℃": "°", "℉": "°"}
_ONE = Decimal(1)
# No compound of number words is longer (`siebenhundertfünfundzwanzigtausendjährige` is 41):
# a longer word is not read as one, and a hostile one is not parsed.
_LONGEST_COMPOUND = 64
# A source or target longer than this is a document in one cell, not a segment: its numbers
# are not read (tens of thousands of them cost seconds, and they cannot be paired anyway).
_LONGEST_TEXT = 100_000
# Rows and sources whose reading FD001 keeps for the rest of a run (most rows are not read).
_REMEMBERED = 20_000


# A decimal digit other than 0-9: one class, tested once per character (a lookahead before
# ``\d`` made the engine try each position three times as slowly).
_OTHER_DIGIT = re.compile(r"[^\D0-9]")


@functools.lru_cache(maxsize=4096)
def _ascii_digit(char: str) -> str:
    """A Unicode decimal digit (full-width ３, Arabic-Indic ٣, Persian ۳, …) as 0-9."""
    return str(unicodedata.decimal(char))


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written as an ASCII digit (same length)."""
    if text.isascii() or not _OTHER_DIGIT.search(text):
        return text
    return _OTHER_DIGIT.sub(lambda m: _ascii_digit(m.group()), text)


def key(value: Decimal) -> str:
    """One spelling per value: ``2.70`` and ``2.7`` -> ``2.7``, ``1E+6`` -> ``1000000``."""
    text = format(value.normalize(), "f")
    return text


def digit_values(text: str) -> list[Decimal]:
    """The values a digit string may mean, the likeliest first.

    ``1 000,5``, ``1,000.5`` and ``1.000,5`` are ``1000.5``; a single separator followed by
    exactly three digits (``1,500``, ``2.500``) is grouping in every locale that uses it that
    way, and a decimal in the others, so both readings are returned.
    """
    text = _GROUP_SEPARATORS.sub(" ", ascii_digits(text))
    if " " in text:
        head, _, tail = (
            text.replace(" ", "").partition(",") if "," in text else (text.replace(" ", ""), "", "")
        )
        if "." in head and not tail:
            return _decimals(head.replace(".", "", head.count(".") - 1) if head.count(".") > 1 else head)
        return _decimals(f"{head}.{tail}" if tail else head)
    seps = re.findall(r"[.,]", text)
    if not seps:
        return _decimals(text)
    last = max(text.rfind("."), text.rfind(","))
    integer, decimal = text[:last], text[last + 1 :]
    if len(seps) == 1:
        if len(decimal) == 3 and integer.strip("0") and not decimal.endswith("0"):
            return _decimals(integer + decimal) + _decimals(f"{integer}.{decimal}")
        if len(decimal) == 3 and integer.strip("0"):  # `41.000`: grouping (a decimal ends in 0 rarely)
            return _decimals(integer + decimal)
        return _decimals(f"{integer}.{decimal}")
    if len(set(seps)) == 1:  # 1,000,000 or 1.000.000
        return _decimals(re.sub(r"\D", "", text))
    return _decimals(re.sub(r"\D", "", integer) + "." + decimal)


@functools.lru_cache(maxsize=8192)
def _values(text: str) -> tuple[Decimal, ...]:
    """``digit_values`` of a digit string, read once per distinct string (texts and systems
    repeat their years, prices and counts)."""
    return tuple(digit_values(text))


@functools.lru_cache(maxsize=8192)
def _spelling(text: str) -> str:
    """The values of a grouped digit string as the fast path compares them (`1,686` = `1.686`)."""
    return "|".join(key(v) for v in _values(text))


@dataclass(frozen=True)
class _Figure:
    """What a digit string writes by itself, whatever stands around it (`1,500`, `2022`,
    `3 410`): the part of a mention that ``_digits`` reads once per distinct string."""

    values: tuple[Decimal, ...]
    keys: frozenset[str]  # the keys of the values when no scale word follows
    year: bool  # four plain digits
    whole: int | None  # the first value when it is a whole number of 0-2100 (a year, an hour)
    parts: frozenset[str]  # `April 3 410 bodies`: the groups, which may be two numbers
    runs: frozenset[str]
    padded: bool  # a leading zero, as codes write (`007`, `0815`)


@text_cache(8192)
def _figure(digits: str) -> _Figure | None:
    """The ``_Figure`` of a digit string (None when it has no value), read once per distinct
    string: texts and systems repeat their years, prices and counts."""
    values = _values(digits)
    if not values:
        return None
    groups = ascii_digits(digits).split(" ")
    parts = (
        frozenset(p.lstrip("0") or "0" for p in groups)
        if len(groups) > 1 and "000" not in groups
        else frozenset()
    )
    return _Figure(
        values,
        frozenset(key(value * _ONE) for value in values),
        len(digits) == 4 and digits.isdigit(),
        _whole(values[0]),
        parts,
        frozenset(r.lstrip("0") or "0" for r in _RUN.findall(ascii_digits(digits))),
        digits.startswith("0") and digits.isdigit(),
    )


def _whole(value: Decimal) -> int | None:
    """``value`` as an int when it is a whole number of 0-2100 (what may be a year or an hour)."""
    # out of range first: int() of a number of 100,000 digits takes a second
    if value != value.to_integral_value() or not 0 <= value <= 2100:
        return None
    return int(value)


def _decimals(text: str) -> list[Decimal]:
    try:
        return [Decimal(text)]
    except InvalidOperation:
        return []


def han_value(text: str, digits: dict[str, int], units: dict[str, int]) -> Decimal | None:
    """The value of a run of Han numerals: ``五十`` 50, ``三千五百万`` 35,000,000, ``二〇二二`` 2022."""
    if len(text) > 1 and all(c in digits for c in text):
        return Decimal("".join(str(digits[c]) for c in text))
    total, section, number = 0, 0, -1
    for char in text:
        unit = units.get(char, 0)
        if char in digits:
            number = digits[char]
        elif unit >= 10_000:  # 万, 亿 close a section: 三千五百万 = 3500 x 10,000
            section += max(number, 0)
            if section == 0 and total:
                total *= unit
            else:
                total += max(section, 1) * unit
            section, number = 0, -1
        elif unit:
            section += (number if number >= 0 else 1) * unit
            number = -1
        else:
            return None
    return Decimal(total + section + max(number, 0))


_HAN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_UNITS = {
    "十": 10,
    "百": 100,
    "千": 1000,
    "万": 10**4,
    "萬": 10**4,
    "亿": 10**8,
    "億": 10**8,
    "兆": 10**12,
}


# Han numerals checked alone before a counter: digits, not `千人` (an idiom: thousands)
_HAN_COUNTED = "二两兩三四五六七八九"
_HAN_APPROX = re.compile("([一二三四五六七八九])([一二三四五六七八九])(?=[十百千万萬亿億])")


def _han_readings(text: str) -> list[str]:
    """``七八十`` (seventy or eighty) -> ``七十``, ``八十``; other runs have one reading."""
    m = _HAN_APPROX.search(text)
    if not m:
        return [text]
    return [
        text[: m.start()] + m.group(1) + text[m.end() :],
        text[: m.start()] + m.group(2) + text[m.end() :],
    ]


def roman_value(text: str) -> int:
    """The value of a valid Roman numeral below 100 (``XIX`` 19)."""
    values = [_ROMAN_VALUES[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass
class Mention:
    """One number written in a text: where, as what, and what it may stand for.

    ``keys`` are the values it may mean (with the aliases a translator may write: `1995`
    for `95`, `3` for `15:00`); a scaled number (`2,7 млн`) also ``accepts`` its bare
    mantissa on the other side (`2.7m`, where `m` is not read as a scale). A mention that
    is not ``checked`` (`one`, `both`, a month name) only accounts for the other side's.
    """

    start: int
    end: int
    text: str
    keys: set[str]
    accepts: set[str] = field(default_factory=set)
    checked: bool = True
    aliases: set[str] = field(default_factory=set)
    runs: frozenset[str] = frozenset()
    word: bool = False  # written in words or Han numerals
    vague: bool = False  # a vague word (`both`, `December`): accounts only for the other side
    # often added or left implicit: dates and ranks (`12th`, `19.`, `19-й`, `25日`), a turn (`180°`)
    implicit: bool = False
    symbol: str = ""


@dataclass
class Side:
    """All the numbers of one text, and the sets the other text is compared with."""

    mentions: list[Mention]
    keys: set[str]
    aliases: set[str]  # what the numbers may also stand for: matched against keys only
    plain: set[str]  # keys of unscaled mentions (what a scaled mantissa may stand for)
    accepts: set[str]
    runs: set[str]
    words: str
    vague: set[str] = field(default_factory=set)  # the text, lower case, for the symbol and sign words

    def copy(self) -> Side:
        """A copy whose sets ``_settle`` may change (the mentions are shared: they are not)."""
        # not ``dataclasses.replace``, which looks the fields up on every call
        return Side(
            self.mentions,
            set(self.keys),
            self.aliases,
            set(self.plain),
            self.accepts,
            self.runs,
            self.words,
            self.vague,
        )

    def spells(self, m: Mention) -> bool:
        """Whether this text writes the number ``m`` of the other text itself (a key, or a
        scaled number's mantissa), without an alias."""
        return bool(m.keys & self.keys or m.accepts & self.plain or (not m.accepts and m.keys & self.accepts))

    def accounts_for(self, m: Mention, left: tuple[set[str], set[str]] | None = None) -> bool:
        """Whether this text has the number ``m`` of the other text in some spelling.

        ``left`` holds the keys and aliases of this text's numbers that the other text does
        not match exactly (:meth:`unmatched`): an alias pairs only those. In `1612年（慶長17年）`
        → `1615 (Keicho 17)` the two 17s are each other's; neither is the century of 1612
        or of 1615 (every set of this text when not given)."""
        if self.spells(m):
            return True
        keys, aliases = (self.keys, self.aliases) if left is None else left
        if m.aliases & keys or m.keys & aliases or m.aliases & m.runs & self.keys:
            return True
        # dates and times written with other separators or words (`12.03.` = `March 12`)
        # (not a scaled number: `1.5 million` is not `1,5 Milliarden`)
        return not m.accepts and len(m.runs) > 1 and m.runs <= (self.runs | self.keys | self.aliases)

    def unmatched(self, other: Side) -> tuple[set[str], set[str]]:
        """The keys and aliases of the numbers of this text that ``other`` does not write
        as often (counted by value; `1990 … 90` against `1990 … 80`: the 1990s are each
        other's, so `90` is not the 1990 of the other text), which an alias may pair."""
        mine = _key_counts(self.mentions)
        theirs = _key_counts(other.mentions)
        keys: set[str] = set()
        aliases: set[str] = set()
        for m in self.mentions:
            if m.vague or not m.keys:
                continue
            # the groups of a spaced number (`April 3 410 bodies`) are a reading of its digits,
            # not a translator's alias: they stay whatever the other text matches
            aliases |= m.aliases & m.runs
            if max(mine.get(k, 0) for k in m.keys) >= max(theirs.get(k, 0) for k in m.keys) + m.checked:
                keys |= m.keys
                aliases |= m.aliases
                if len(m.runs) > 1:  # `2.10`: each part stands for a number (as in ``_side``)
                    aliases |= {r for r in m.runs if len(r) > 1}
        return keys, aliases


@dataclass
class _Recount:
    """What the pairings of :func:`_fewer` and :func:`_for_a_word` read of a row, worked out
    once per row (each number asked about would repeat it: quadratic in a text of
    thousands of numbers)."""

    src: Side
    tgt: Side
    # by id of the side asked about: its figure keys, its numbers by key, its ranks
    _figures: dict[int, set[str]] = field(default_factory=dict, repr=False)
    _holders: dict[int, dict[str, list[int]]] = field(default_factory=dict, repr=False)
    _orders: dict[int, dict[int, int]] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def fewer(self) -> list[Mention]:
        """The source's figures that the target writes fewer times than the source does."""
        mine, theirs = _key_counts(self.src.mentions), _key_counts(self.tgt.mentions)
        return [
            s
            for s in self.src.mentions
            if s.checked
            and _plain_figure(s)
            and max(mine.get(k, 0) for k in s.keys) > max(theirs.get(k, 0) for k in s.keys)
        ]

    def figures(self, side: Side) -> set[str]:
        """The keys of the numbers ``side`` writes in figures (not words)."""
        key = id(side)
        if key not in self._figures:
            written = (x for x in side.mentions if x.checked and not (x.word or x.vague))
            self._figures[key] = {k for x in written for k in x.keys}
        return self._figures[key]

    def holding(self, side: Side, keys: frozenset[str]) -> int:
        """How many numbers of ``side`` have one of ``keys`` (in the target, vague words
        left out): counted through an index by key, not by reading every number."""
        index = self._holders.get(id(side))
        if index is None:
            index = self._holders[id(side)] = {}
            for i, x in enumerate(side.mentions):
                if side is self.src or not x.vague:
                    for k in x.keys:
                        index.setdefault(k, []).append(i)
        found = [index[k] for k in keys if k in index]
        return len(set().union(*found)) if len(found) > 1 else len(found[0]) if found else 0

    def order(self, side: Side) -> dict[int, int]:
        """The rank of each checked number of ``side`` by its place in the text (the
        first rank of a place two numbers share)."""
        ranks = self._orders.get(id(side))
        if ranks is None:
            ranks = self._orders[id(side)] = {}
            for i, start in enumerate(sorted(o.start for o in side.mentions if o.checked and not o.vague)):
                ranks.setdefault(start, i)
        return ranks


def _fewer(m: Mention, counts: _Recount) -> Mention | None:
    """A number of the source that the target writes fewer times than the source does and
    that the added ``m`` writes with one digit changed (`2021年 … 2021年` → `2041 … 2021`:
    one 2021 became 2041), or None. Figures in digits only, of one run each: words, dates
    and ranks account loosely for each other (`2/1` and `1st`, `2.10` and `2`)."""
    if not _plain_figure(m):
        return None
    (digits,) = m.runs
    return next((s for s in counts.fewer if _one_digit_apart(next(iter(s.runs)), digits)), None)


def _for_a_word(m: Mention, own: Side, other: Side, paired: set[int], counts: _Recount) -> Mention | None:
    """A figure of the ``other`` text, close to the figure ``m`` of the ``own`` text that the
    other lost or added, that only a word of ``own`` accounts for: `ein 8 mm Loch` → `a 1
    mm hole` (`ein` stands for the `a`, not for the `1`: `1` is the changed `8`), `1 g` →
    `7 g` of `a level spoon` (the `a` stands for `ein`, not for the `1`). ``paired`` holds
    the ids of the other text's numbers left unaccounted, which the direct pairing has tried."""
    if not _plain_figure(m):
        return None
    (digits,) = m.runs
    figures = counts.figures(own)
    for t in other.mentions:
        if not (t.checked and _plain_figure(t)) or id(t) in paired or t.keys & figures:
            continue
        if _one_digit_apart(digits, next(iter(t.runs)), least=1):
            return t
    return None


def _plain_figure(m: Mention) -> bool:
    """A number written as one run of digits, not a word, date or rank."""
    return bool(m.keys) and len(m.runs) == 1 and not (m.word or m.vague or m.implicit)


def _one_digit_apart(a: str, b: str, least: int = 2) -> bool:
    """Two digit strings of the same length (``least`` or more) that differ in one place."""
    return len(a) == len(b) >= least and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _unaccounted(
    mentions: Iterable[Mention], side: Side, other: Side, counted: Callable[[Mention], bool]
) -> list[Mention]:
    """The checked (and ``counted``) ``mentions`` of ``other`` that ``side`` does not account
    for. What ``side`` leaves over for an alias (:meth:`Side.unmatched`) is worked out only
    for a number it does not write itself: most are."""
    out = []
    left = None
    for m in mentions:
        if not (m.checked and counted(m)) or side.spells(m):
            continue
        if left is None:
            left = side.unmatched(other)
        if not side.accounts_for(m, left):
            out.append(m)
    return out


def _key_counts(mentions: Iterable[Mention]) -> dict[str, int]:
    """How many of the checked ``mentions`` have each key (`eine` of `eine Lieferung`
    and other words that only account for a number match nothing here)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.checked and not m.vague:
            for k in m.keys:
                counts[k] = counts.get(k, 0) + 1
    return counts


class Lexicon:
    """What one language writes for numbers, compiled from its ``numbers.<lang>`` pack.

    The large patterns (``pattern``, ``word_probe``, ``strong_probe``) are compiled when a
    row first needs them: a text without digits asks only ``strong_probe``, one with digits
    ``word_probe``, and only the rows read ask ``pattern``. Russian and Ukrainian probes take
    about 10 ms each to compile, and an audit of a few rows per language pair needs few of
    them (48 rows of the 8 WMT22 pairs: 60 of the lexicons' 150 ms)."""

    def __init__(self, header: dict[str, Any]):
        self._header = header
        self.words: dict[str, set[Decimal]] = {}
        self.scales: dict[str, Decimal] = {}
        self.vague: dict[str, set[Decimal]] = {}
        for value, forms in header.get("cardinals", {}).items():
            for form in forms:
                self.words.setdefault(form.lower(), set()).add(Decimal(value))
        endings = header.get("ordinal_endings", [])
        for value, stems in header.get("ordinal_stems", {}).items():
            for stem in stems:
                for ending in endings:
                    self.words.setdefault((stem + ending).lower(), set()).add(Decimal(value))
        for value, forms in header.get("scales", {}).items():
            for form in forms:
                self.scales[form.lower()] = Decimal(value)
        for value, forms in header.get("vague", {}).items():
            for form in forms:
                self.vague.setdefault(form.lower(), set()).add(Decimal(value))
        self.weak_values = {Decimal(v) for v in header.get("weak_values", [])}
        self.weak_forms = {f.lower() for f in header.get("weak_forms", [])}
        self.han = header.get("han_numerals", "")
        self.han_vague = set(header.get("han_vague", []))
        # a single Han numeral is checked before one of these counters (`两本书`, `三名工人`)
        counters = header.get("han_counters", "")
        self.counted = (
            re.compile(f"[{_HAN_COUNTED}][{re.escape(counters)}]") if self.han and counters else None
        )
        self.clock = _alternation(header.get("clock", []))
        minus_words = header.get("minus", [])
        minus = _alternation(minus_words)
        self.minus = Phrases.of(minus, minus_words) if minus is not None else None
        self._symbol_forms = {"%": header.get("percent", []), "°": header.get("degree", [])}
        self._word_tables(header)

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """The numbers written with digits or Han numerals (:meth:`_compile`)."""
        return self._compile(self._header)

    @functools.cached_property
    def optional_names(self) -> list[str]:
        """The groups of ``pattern`` that only some lexicons have (:meth:`optional_groups`)."""
        return [g for g in ("scale", "sym", "hanscale") if g in self.pattern.groupindex]

    def _scale_pattern(self) -> str:
        """Scale words after digits: `2,7 млн`, `5 Mio.`, `60万`, `30余万`."""
        if not self.scales:
            return ""
        cjk = [s for s in self.scales if scripts.script_of(s[0]) == "HAN"]
        other = [s for s in self.scales if s not in cjk]
        parts = []
        if other:
            alts = trie_alternation(other)
            parts.append(rf"\s?(?:{alts})(?:(?<=\.)|(?!\w))")
        if cjk:
            parts.append(r"\s?[多余]?(?:" + "|".join(re.escape(s) for s in cjk) + ")+")
        return rf"(?P<scale>{'|'.join(parts)})?"

    def _multiplier(self, scale: str) -> Decimal:
        """The value of a scale word, or of a run of Han ones (`万亿` = 10**12)."""
        if not scale:
            return _ONE
        if scale in self.scales:
            return self.scales[scale]
        value = _ONE
        for char in scale:
            value *= self.scales.get(char, _ONE)
        return value

    def _word_tables(self, header: dict[str, Any]) -> None:
        """Number words are looked up word by word (a dict is far faster than one regex
        alternation of every form); compounds (`fünfundzwanzig`, `sedmičlenný`) are split
        into number words the same way, only for words that open like a number word."""
        atoms = [
            w for w in (*self.words, *self.scales) if len(w) > 1 and " " not in w and not w.endswith(".")
        ]
        self.atoms = {a: self._value(a) for a in atoms}
        self.atoms.update({a[:-1]: self._value(a) for a in self.scales if a.endswith(".") and len(a) > 2})
        self.openings = {a[:3] for a in atoms}
        self.strong = {
            w
            for w, values in self.words.items()
            if w not in self.weak_forms and not values <= self.weak_values
        }
        joiner = header.get("joiner", r"[\s\-]+")
        self.joiner = re.compile(joiner, re.IGNORECASE)
        # compounds are parsed by looking up their parts, longest first (``_compound_head``):
        # no regex alternation of every form to compile, and a word is not rescanned per form
        self.forms = frozenset(atoms)
        self.long_forms = frozenset(a for a in atoms if len(a) > 3)
        self.form_lengths = sorted({len(a) for a in atoms}, reverse=True)
        self.suffix = re.compile(f"(?:{header.get('suffix', '')})", re.IGNORECASE)
        self.empty_joiner = self.joiner.fullmatch("") is not None
        # a text repeats its words (and a corpus its texts): each is parsed once
        self.compound_reading = text_cache(8192)(self._compound_reading)
        self.phrase_reading = text_cache(8192)(self._phrase_reading)
        single = {w.rstrip("."): v for w, v in self.vague.items() if " " not in w}
        self.vague_words = {w: v for w, v in single.items() if scripts.script_of(w[0]) not in scripts.CJK}
        # their keys, spelt once (a text names a month or says `both` often)
        self.vague_keys = {w: frozenset(key(v) for v in values) for w, values in self.vague_words.items()}
        multi = [w for w in self.vague if w not in single or scripts.script_of(w[0]) in scripts.CJK]
        self.vague_pattern = Phrases.of(_vague_pattern(multi), multi) if multi else None
        self.han2 = re.compile(f"[{re.escape(self.han)}]{{2}}") if self.han else None
        minus = "|".join(re.escape(m) for m in header.get("minus", []) if m.isalpha())
        self.minus_before = re.compile(rf"(?:{minus})\s$", re.IGNORECASE) if minus else None
        words = [w for w in self.scales if w.isalpha() and len(w) > 2]
        alts = trie_alternation(words)
        # `тисяч 100` (colloquial: about 100 thousand)
        self.scale_before = re.compile(rf"(?<!\w)(?:{alts})\s$", re.IGNORECASE) if alts else None
        self.units: dict[str, tuple[str, Decimal]] = {}
        for spec, forms in header.get("units", {}).items():
            quantity, factor = spec.split(":")
            self.units.update({f.lower(): (quantity, Decimal(factor)) for f in forms})
        # what a text says, looked at once per distinct text of the run: the outputs of
        # several systems share a source, and systems often agree
        self.says_words = text_cache(16384)(self._says_words)

    @functools.cached_property
    def word_probe(self) -> Probe:
        """What may make or change a checked number in a text with digits (:meth:`_word_probe`)."""
        return self._word_probe(self._header)

    @functools.cached_property
    def strong_probe(self) -> Probe:
        """What may say a checked number in a text without digits (:meth:`_strong_probe`)."""
        return self._strong_probe()

    @functools.cached_property
    def unit_after(self) -> re.Pattern[str] | None:
        """A unit written right after a number, compiled when first needed (only to compare
        a lost and an added number): anchored there, no word edge before (`5kg`); a whole
        word after."""
        latin = [u for u in self.units if scripts.script_of(u[0]) not in scripts.CJK]
        cjk = [u for u in self.units if u not in latin]
        unit_alts = [f"(?:{trie_alternation(latin)})(?![^\\W\\d_])"] if latin else []
        unit_alts += [trie_alternation(cjk)] if cjk else []
        return re.compile("|".join(unit_alts), re.IGNORECASE) if unit_alts else None

    @functools.cached_property
    def symbol_words(self) -> dict[str, re.Pattern[str] | None]:
        """The words for `%` and `°`, compiled when first needed: for a number of 180 or
        360, a negative one, or a sign of the other text (a source's are seldom needed)."""
        return {symbol: _alternation(forms) for symbol, forms in self._symbol_forms.items()}

    def _form_ends(self, word: str, pos: int, forms: frozenset[str]) -> Iterator[int]:
        """Where a number word of ``forms`` written at ``pos`` of ``word`` ends, longest first."""
        room = len(word) - pos
        for n in self.form_lengths:
            if n <= room and word[pos : pos + n] in forms:
                yield pos + n

    def _joins_at(self, word: str, pos: int) -> list[int]:
        """Where a joiner written at ``pos`` of ``word`` ends (`und` of `fünfundzwanzig`), in
        the order the joiner pattern tries them: its first match, then none if it may be empty."""
        found = self.joiner.match(word, pos)
        ends = [found.end()] if found is not None else []
        if self.empty_joiner and pos not in ends:
            ends.append(pos)
        return ends

    def _next_form(self, word: str, pos: int) -> int | None:
        """The end of the first joiner and number word that follow ``pos``, or None."""
        for joined in self._joins_at(word, pos):
            for end in self._form_ends(word, joined, self.forms):
                return end
        return None

    def _compound_head(self, word: str) -> str | None:
        """The number words that make ``word``: all of it (number words joined, then a
        suffix: `fünfundzwanzig`, `fünfjährige`), or its opening (`sedmičlenném`, `Zweierbob`)
        that starts with a long number word; None when it does not open with one."""
        if len(word) > _LONGEST_COMPOUND:
            return None
        todo, seen = list(self._form_ends(word, 0, self.forms)), set()
        while todo:
            pos = todo.pop()
            if pos in seen:
                continue
            seen.add(pos)
            if self.suffix.fullmatch(word, pos):
                return word
            for joined in self._joins_at(word, pos):
                todo.extend(self._form_ends(word, joined, self.forms))
        end = next(self._form_ends(word, 0, self.long_forms), None)
        if end is None:
            return None
        while (following := self._next_form(word, end)) is not None:  # as many as follow
            end = following
        return word[:end]

    def _parts(self, head: str) -> list[str]:
        """The number words of ``head`` from left to right, the longest at each place."""
        parts, pos = [], 0
        while pos < len(head):
            end = next(self._form_ends(head, pos, self.forms), None)
            if end is None:
                pos += 1
            else:
                parts.append(head[pos:end])
                pos = end
        return parts

    def _word_probe(self, header: dict[str, Any]) -> Probe:
        """Anything but plain digits that may make or change a checked number: a number word
        that is checked alone, a weak one (`one`, `ein`) joined to another (`one hundred`,
        `einundzwanzig`), a scale or minus word; where words compound (`fünfundzwanzig`,
        `пятилетний`) as the start of a word. Two Han numerals, a Han scale after digits.
        A row whose two texts have none of these and the same digit strings cannot differ
        in number (the fast path)."""
        scales = {w.lower().rstrip(".") for w in self.scales}
        minus = {m.lower() for m in header.get("minus", [])}
        cjk = {f for f in scales | minus if f and scripts.script_of(f[0]) in scripts.CJK}
        strong = {w for w in self.strong if " " not in w} | (scales - cjk) | (minus - cjk)
        weak = set(self.atoms) - strong
        compounds = bool(header.get("suffix")) or self.joiner.fullmatch("") is not None
        parts = []
        end = "" if compounds else r"(?![^\W\d_])"
        # with nothing after them, the words that start with another one of the set are
        # found where it is: left out, they leave the same rows (and a third of the pattern)
        shortest = _shortest if compounds else set
        if strong:  # `below zero`, `unter null`
            body = word_start_trie(shortest(strong), *_WORD_EDGE, _EDGE_DEPTH).replace("\\ ", r"\s+")
            parts.append(f"{body}{end}")
        if weak:
            joined = f"(?:{self.joiner.pattern})(?:{trie_alternation(shortest(self.atoms))})"
            parts.append(f"{word_start_trie(weak, *_WORD_EDGE, _EDGE_DEPTH)}{joined}{end}")
        other = []
        if (strong or weak) and scales - cjk:  # `5k`, `20Mio.`
            other.append(rf"\d(?:{trie_alternation(scales - cjk)})")
        if self.han:
            other.append(f"[{re.escape(self.han)}]{{2}}")
        if self.counted is not None:
            other.append(self.counted.pattern)
        scale_chars = [c for c in cjk if c in self.scales]
        if scale_chars:
            other.append(rf"\d\s?[多余]?(?:{trie_alternation(scale_chars)})")
        if cjk - set(scale_chars):
            other.append(rf"(?:{trie_alternation(cjk - set(scale_chars))})\s\d")  # `零下 5`: a sign
        if other:
            parts.append("|".join(other))
        return Probe(tuple(re.compile(p) for p in parts))  # on lower case: far faster than IGNORECASE

    def _strong_probe(self) -> Probe:
        """Where ``probe`` may find something in a text without digits, on lower case: a
        word that opens like a number word checked alone (its first ``_STRONG_OPENING``
        letters) or two Han numerals. A quick regex before ``probe``, which reads the words:
        the openings find a few more texts for it to read (1 ms on the 24,000 segments of
        ``benchmarks/rule_speed.py``) than the whole forms, whose pattern (every case form of
        Russian and Czech) took 9 ms to compile for the feed's languages, against 3."""
        words = _shortest(w[:_STRONG_OPENING] for w in self.strong if " " not in w)
        parts = [word_start_trie(words, *_WORD_OR_UNDERSCORE, _EDGE_DEPTH)] if words else []
        other = []
        if self.han:
            other.append(f"[{re.escape(self.han)}]{{2}}")
        if self.counted is not None:
            other.append(self.counted.pattern)
        if other:
            parts.append("|".join(other))
        return Probe(tuple(re.compile(p) for p in parts))

    def _says_words(self, text: str) -> bool:
        """Whether ``word_probe`` finds something in ``text`` (on its lower case)."""
        return self.word_probe.found(text.lower())

    def says_number(self, text: str) -> bool:
        """Whether ``text``, a text without digits, has a number word checked alone or two
        Han numerals (the quick regex on lower case, then ``probe``)."""
        return self.strong_probe.found(text.lower()) and self.probe(text)

    def saying_number(self, texts: Iterable[str]) -> set[str]:
        """The texts of ``texts`` (without digits) that ``says_number``, each distinct one
        looked at once.

        The quick regex runs over the distinct texts, lowered and joined by a NUL, at C
        speed (a NUL stands where a text starts or ends for every pattern of
        ``strong_probe``: not a letter, digit, underscore or space), then ``probe`` looks
        at the texts it finds. Verdicts are not kept between calls: the texts a later chunk
        asks again (its sources) are a small part of the scan, and keeping them saved 1.5
        of 45 ms on the 24,000 segments of ``benchmarks/rule_speed.py``."""
        distinct = list(dict.fromkeys(texts))
        lowered = list(map(str.lower, distinct))
        joined = "\0".join(lowered)
        starts = list(accumulate((len(text) + 1 for text in lowered), initial=0))
        found = {
            bisect.bisect_right(starts, m.start()) - 1
            for pattern in self.strong_probe.patterns
            for m in pattern.finditer(joined)
        }
        return {distinct[i] for i in found if self.probe(distinct[i])}

    def probe(self, text: str) -> bool:
        """Whether ``text`` may hold a checked number: a digit, two Han numerals or a number word."""
        if _ANY_DIGIT.search(text) or (self.han2 is not None and self.han2.search(text)):
            return True
        if self.counted is not None and self.counted.search(text):
            return True
        return bool(self.strong) and not self.strong.isdisjoint(_words(text).findall(text.lower()))

    def _compile(self, header: dict[str, Any]) -> re.Pattern[str]:
        """One pattern for the numbers written with digits or Han numerals."""
        body = [
            _clock_pattern(header.get("clock", [])),
            rf"(?P<date>{_DATE})",
            _MIXED,
            rf"(?P<num>(?P<digits>{_DIGITS}){self._scale_pattern()}(?P<sym>\s?[%°％℃℉])?)",
        ]
        if self.han:
            tail = "".join(s for s in self.scales if len(s) == 1 and s not in self.han)
            tail_group = rf"(?P<hanscale>[{re.escape(tail)}])?" if tail else ""
            body.append(rf"(?P<han>[{re.escape(self.han)}]+){tail_group}")
        # every alternative starts with a digit or a Han numeral: other positions fail at once
        first = rf"(?=[\d{re.escape(self.han)}])"
        return re.compile(first + "(?:" + "|".join(body) + ")", re.IGNORECASE)

    def optional_groups(self, m: re.Match[str]) -> dict[str, str | None]:
        """The groups of ``pattern`` that only some lexicons have (scale, sign, Han scale),
        None when absent: the few ``_digits`` and ``_han`` read, not all of ``groupdict()``."""
        return {name: m.group(name) for name in self.optional_names}

    def mentions(self, text: str) -> list[Mention]:
        """Every number of ``text`` (checked ones and vague ones)."""
        found: list[Mention] = []
        plain = ascii_digits(text)
        for m in self.pattern.finditer(text):
            mention: Mention | None
            group = m.group  # by name: far cheaper than a dict of every group per match
            if group("clock"):
                mention = _clock(m)
            elif group("date"):
                mention = _date(m, plain)
            elif group("mixed"):
                mention = _mixed(m, plain)
            elif group("num"):
                mention = self._digits(m, text)
            else:
                mention = self._han(m, text)
            if mention is not None:
                found.append(mention)
        if self.atoms or self.vague_words:
            found += self._word_mentions(text)
        if self.vague_pattern is not None:
            for m in self.vague_pattern.finditer(text):
                keys = {key(v) for v in self.vague[m.group().lower()]}
                found.append(
                    Mention(m.start(), m.end(), m.group(), keys, checked=False, word=True, vague=True)
                )
        for m in _ROMAN.finditer(text) if _ROMAN_PROBE.search(text) else ():
            found.append(Mention(m.start(), m.end(), m.group(), {str(roman_value(m.group()))}, checked=False))
        return found

    def _digits(self, m: re.Match[str], text: str) -> Mention | None:
        digits = m.group("digits")
        figure = _figure(digits)
        if figure is None:
            return None
        values = figure.values
        start, end = m.span("digits")
        before, after = text[max(0, start - 3) : start], text[end : end + 12]
        if _MINUTES_BEFORE.search(before) and _TWO_DIGITS.match(digits):
            checked = int(values[0]) != 0  # `:00` of a clock time is not a number anyone writes
            return Mention(start, end, digits, {key(values[0])}, checked=checked)
        groups = self.optional_groups(m)
        mention_start = m.start()
        said = self.minus_before.search(text, max(0, start - 12), start) if self.minus_before else None
        if said:
            mention_start = said.start()
        sign = _SIGN.search(text[max(0, start - 2) : start])
        if sign and sign.start(1) > 0:
            lead = text[start - 2]
            if lead.isalpha() and scripts.script_of(lead) not in scripts.CJK:
                sign = None  # `COVID-19`, `Formel-1`
        negative = said is not None or sign is not None
        if sign is not None and not said:
            mention_start = start - 1  # the sign is part of what the text writes
        scale = (groups.get("scale") or "").strip().lstrip("多余").lower()
        multiplier = self._multiplier(scale)
        keys = {key(value * multiplier) for value in values} if scale else set(figure.keys)
        aliases = _aliases(figure.whole, after, self.clock, figure.year) if not scale else set()
        if negative:
            signed = {"-" + k for k in keys}
            # an ASCII hyphen is as often a dash or a bullet (`(-2 mm)`) as a minus sign, but
            # not before a temperature (`-15 degrees`, `-5°C`)
            dash = sign is not None and sign.group(1) == "-" and not self._temperature(m, after)
            aliases = {"-" + k for k in aliases} | (keys if dash else set())
            keys = signed
        before_scale = (
            self.scale_before.search(text, max(0, start - 14), start) if self.scale_before else None
        )
        if before_scale is not None and not scale:
            aliases |= {key(v * self._multiplier(before_scale.group().strip().lower())) for v in values}
        aliases |= figure.parts
        accepts = {key(v) for v in values} if scale and multiplier != _ONE else set()
        symbol = _SYMBOL_FORMS.get((groups.get("sym") or "").strip(), "")
        # digits right after a letter are part of a name or code (`COVID-19`, `F1`, `WW2`):
        # the names rule compares those; here they only account for a number of the other text
        lead = text[max(0, start - 2) : start].replace("-", "")[-1:]
        named = lead.isalpha() and scripts.script_of(lead) not in scripts.CJK
        implicit = bool(_ORDINAL_AFTER.match(text, m.end()))
        implicit |= figure.padded  # codes: `007`, `0815`
        if figure.whole in (180, 360) and (symbol == "°" or self._degrees(after)):
            implicit = True  # `повернулися на 180 градусів` = `turned around`
        return Mention(
            mention_start,
            m.end(),
            text[mention_start : m.end()],
            keys,
            accepts,
            not named,
            aliases=aliases,
            runs=figure.runs,
            symbol=symbol,
            implicit=implicit,
        )

    def _temperature(self, m: re.Match[str], after: str) -> bool:
        """Whether the number of ``m`` is followed by a degree sign or word."""
        symbol = (m.group("sym") or "").strip()
        return symbol in ("°", "℃", "℉") or self._degrees(after)

    def _degrees(self, after: str) -> bool:
        """Whether ``after`` (what follows a number) opens with a degree word."""
        degrees = self.symbol_words["°"]
        return degrees is not None and degrees.match(after.lstrip()) is not None

    def _word_mentions(self, text: str) -> list[Mention]:
        """Numbers written in words: runs of number words joined as the language joins them
        (`twenty-five`, `пять тысяч`), compounds, and vague words (`both`, `December`)."""
        found: list[Mention] = []
        low = text.lower()
        same = len(low) == len(text)  # each character lowered to one: the same spans
        # the words of the lower case, read once (with their spans when they are the text's)
        tokenizer = _words(text)
        tokens = list(tokenizer.finditer(low)) if same else []
        found_words = list(map(re.Match.group, tokens)) if same else tokenizer.findall(low)
        words = set(found_words)
        for word in words & self.vague_keys.keys():  # never reported: no position needed
            keys = set(self.vague_keys[word])
            found.append(Mention(-1, -1, word, keys, checked=False, word=True, vague=True))
        atoms, openings = self.atoms, self.openings
        # the words looked at (at C speed): number words, words that open like one, and the
        # word right after a number word (it joins the next one or ends the run); no other
        # word changes anything
        wanted = {w for w in words if w in atoms or w[:3] in openings}
        if not wanted:
            return found
        if not same:
            tokens = list(tokenizer.finditer(text))
        lows = found_words if same else [m.group().lower() for m in tokens]
        # in order: the wanted words and each word after a number word
        after = [False, *map(atoms.__contains__, lows)]
        todo = compress(range(len(lows)), map(operator.or_, map(wanted.__contains__, lows), after))
        run: list[tuple[int, int, str]] = []
        for i in todo:
            (start, end), word = tokens[i].span(), lows[i]
            if word in atoms:
                if run and not self.joiner.fullmatch(text, run[-1][1], start):
                    found.append(self._phrase(text, run))
                    run = []
                run.append((start, end, word))
                continue
            if (
                run
                and i + 1 < len(lows)
                and self._joins(text, run[-1][1], tokens[i + 1].start(), lows[i + 1])
            ):
                continue  # the `and` of `two hundred and fifty`, the `y` of `treinta y dos`
            if run:
                found.append(self._phrase(text, run))
                run = []
            if word[:3] in openings:
                compound = self._compound(text, start, end, word)
                if compound is not None:
                    found.append(compound)
        if run:
            found.append(self._phrase(text, run))
        return found

    def _joins(self, text: str, end: int, following: int, word: str) -> bool:
        """Whether the text from ``end`` only joins a number word to the next one,
        ``word`` (lower case) at ``following``."""
        return word in self.atoms and self.joiner.fullmatch(text, end, following) is not None

    def _compound(self, text: str, start: int, end: int, word: str) -> Mention | None:
        """`fünfundzwanzig`, `fünfjährige` (checked); `sedmičlenném`, `Zweierbob` (vague)."""
        reading = self.compound_reading(word)
        if reading is None:
            return None
        value, checked = reading
        return Mention(start, end, text[start:end], {key(value)}, checked=checked, word=True)

    def _compound_reading(self, word: str) -> tuple[Decimal, bool] | None:
        """The value of the compound ``word`` (lower case) and whether it is checked."""
        head = self._compound_head(word)
        if head is None:
            return None
        parts = [self.atoms[a] for a in self._parts(head)]
        if not parts:
            return None
        value, _ = _combine(parts)
        return value, head == word and word not in self.weak_forms and value not in self.weak_values

    def _phrase(self, text: str, run: list[tuple[int, int, str]]) -> Mention:
        start, end = run[0][0], run[-1][1]
        phrase = text[start:end]
        keys, checked = self.phrase_reading(phrase, tuple(t for _, _, t in run))
        return Mention(start, end, phrase, set(keys), checked=checked, word=True)

    def _phrase_reading(self, phrase: str, tokens: tuple[str, ...]) -> tuple[frozenset[str], bool]:
        """The keys of a run of number words (``phrase``, its words in lower case ``tokens``)
        and whether it is checked."""
        parts = [self.atoms[t] for t in tokens]
        value, well_formed = _combine(parts)
        weak = phrase.lower() in self.weak_forms or (
            len(tokens) == 1
            and (tokens[0] in self.scales or tokens[0] in self.weak_forms or value in self.weak_values)
        )
        keys = {key(value)}
        if len(tokens) == 1 and tokens[0] in self.words:
            keys |= {key(v) for v in self.words[tokens[0]]}
        if not well_formed:  # `dva jedenáctileté` (two 11-year-olds), `ein zweites`: each word
            keys |= {key(v) for v, _ in parts}
        return frozenset(keys), not weak

    def _value(self, token: str) -> tuple[Decimal, bool]:
        token = token.lower()
        if token in self.scales:
            return self.scales[token], True
        return min(self.words[token]), False

    def _han(self, m: re.Match[str], whole: str) -> Mention | None:
        text = m.group("han")
        values = [han_value(t, _HAN_DIGITS, _HAN_UNITS) for t in _han_readings(text)]
        if not values or values[0] is None:
            return None
        scale = self.scales.get(self.optional_groups(m).get("hanscale") or "", _ONE)
        value = values[0] * scale
        digits_only = all(c in _HAN_DIGITS for c in text)
        year = digits_only and len(text) == 4 and 1000 <= value <= 2100
        checked = (
            len(text) > 1 and text not in self.han_vague and (not digits_only or year) and len(values) == 1
        )
        if len(text) == 1 and self.counted is not None and not m.group("hanscale"):
            counted = self.counted.match(whole, m.start()) is not None
            checked = counted and values[0] not in self.weak_values
        keys = {key(v * scale) for v in values if v is not None}
        if not checked:  # a list (`一二三年级`, grades 1, 2 and 3) or a name (`十四五`, the 14th plan)
            keys |= {str(_HAN_DIGITS[c]) for c in text if c in _HAN_DIGITS}
            keys |= {
                key(v) for i in range(1, len(text)) if (v := han_value(text[:i], _HAN_DIGITS, _HAN_UNITS))
            }
        aliases = _aliases(_whole(value), "", None, year=year)
        return Mention(m.start(), m.end(), m.group(), keys, checked=checked, aliases=aliases, word=True)


def _shortest(words: Iterable[str]) -> set[str]:
    """The ``words`` that do not start with another of them (one without a space, which a
    pattern matches literally): a pattern of words followed by nothing matches at the same
    places with the longer words left out (`fünf` matches where `fünfzig` does)."""
    kept: set[str] = set()
    opening = None  # the last word kept without a space: in sorted order, the words it opens follow it
    for word in sorted(set(words)):
        if opening is not None and word.startswith(opening):
            continue
        kept.add(word)
        if " " not in word:
            opening = word
    return kept


@dataclass(frozen=True)
class Probe:
    """Patterns searched one after the other: a text is found when one of them matches.

    Split so that each can open with a literal: the regex engine then skips at C speed to
    the positions where a match may start, instead of trying every position."""

    patterns: tuple[re.Pattern[str], ...]

    def found(self, text: str) -> bool:
        """Whether one of the patterns matches somewhere in ``text``."""
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class Phrases:
    """A pattern of whole words or phrases in any case, with a quick test for ASCII texts.

    When its words are all ASCII, an ASCII text can only match where its lower case holds
    one of them (ignoring case, an ASCII character of the pattern matches only itself in
    either case in an ASCII text): a text without one is not searched. Most texts are ruled
    out so, by substring tests at C speed, instead of the pattern's word-edge lookbehind
    tried at every position."""

    pattern: re.Pattern[str]
    ascii_words: tuple[str, ...] | None  # lower case; None: no quick test

    @classmethod
    def of(cls, pattern: re.Pattern[str], words: Iterable[str]) -> Phrases:
        """``pattern``, which matches nothing but ``words`` in any case."""
        words = list(words)
        plain = all(w.isascii() for w in words)
        return cls(pattern, tuple(sorted({w.lower() for w in words})) if plain else None)

    def _absent(self, text: str) -> bool:
        """Whether ``text`` cannot match (only ever true of an ASCII text)."""
        if self.ascii_words is None or not text.isascii():
            return False
        return not any(map(text.lower().__contains__, self.ascii_words))

    def search(self, text: str) -> re.Match[str] | None:
        return None if self._absent(text) else self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return iter(()) if self._absent(text) else self.pattern.finditer(text)


# What stands before a word, as a lookbehind before its first character and as one after
# it: a word edge (`\b`), and a word edge or an underscore.
_WORD_EDGE = (r"(?<!\w.)", r"\b")
_WORD_OR_UNDERSCORE = (r"(?<![^\W_].)", r"(?:\b|(?<=_))")
# The letters of a number word the probes read before testing what stands before it (see
# ``word_start_trie``): 30 instead of 47 ms for English texts on the feed, and 2 would be 35.
_EDGE_DEPTH = 3


def _clock_pattern(words: Sequence[str]) -> str:
    """A clock time: `19:45`, `7.45pm`, `18.30 Uhr` (a full stop only before a clock word)."""
    alts = "|".join(re.escape(c) for c in sorted(words, key=len, reverse=True))
    dotted = rf"|\.(?P<mm2>[0-5]\d)(?=\s?(?:{alts}|[ap]\.?\s?m\b))" if alts else ""
    return (
        rf"(?P<clock>(?<![\d.,:])(?P<hh>[01]?\d|2[0-4])(?::(?P<mm>[0-5]\d){dotted})(?!\d|[.,:]\d)"
        r"(?:\s?(?P<ampm>[ap])\.?\s?m\b\.?)?)"
    )


def _clock(m: re.Match[str]) -> Mention:
    """A clock time, equal to the same time on the other clock (`19:45` = `7.45pm`)."""
    hour, minute = int(m.group("hh")), int(m.group("mm") or m.group("mm2"))
    ampm = (m.group("ampm") or "").lower()
    if ampm == "p" and hour < 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    other = hour - 12 if hour > 12 else hour + 12
    keys = {f"c{hour}:{minute:02d}"}
    aliases = {f"c{other}:{minute:02d}"}
    if not minute:  # `15:00` = `3 p.m.` = `15 Uhr`
        keys.add(str(hour))
        aliases.add(str(other % 24))
    runs = frozenset({str(int(m.group("hh"))), str(minute)})
    return Mention(m.start(), m.end(), m.group(), keys, checked=True, aliases=aliases, runs=runs)


def _mixed(m: re.Match[str], plain: str) -> Mention:
    total, section, number = Decimal(0), Decimal(0), Decimal(0)
    for token in _MIXED_TOKEN.findall(plain[m.start() : m.end()]):
        unit = _HAN_UNITS.get(token)
        if unit is None:
            number = Decimal(token)
        elif unit >= 10_000:  # a myriad closes a section: 2千万 = 2,000 x 10,000
            total += (section + number) * unit
            section, number = Decimal(0), Decimal(0)
        else:
            section += number * unit
            number = Decimal(0)
    total += section + number
    runs = frozenset(r.lstrip("0") or "0" for r in _RUN.findall(plain[m.start() : m.end()]))
    return Mention(m.start(), m.end(), m.group(), {key(total)}, runs=runs)


def _date(m: re.Match[str], plain: str) -> Mention:
    runs = frozenset(r.lstrip("0") or "0" for r in _RUN.findall(plain[m.start() : m.end()]))
    keys = {"d" + ".".join(sorted(runs))} | (set(runs) if len(runs) == 1 else set())  # `5/5` stars
    return Mention(m.start(), m.end(), m.group(), keys, runs=runs)


def _combine(parts: Sequence[tuple[Decimal, bool]]) -> tuple[Decimal, bool]:
    """The value of a sequence of number words (`twenty five` 25, `пять тысяч` 5,000,
    `fünfundzwanzig` 25) and whether the sequence reads as one number (`two three` does not)."""
    total, current = Decimal(0), Decimal(0)
    well_formed = True
    for value, is_scale in parts:
        if is_scale and value >= 1000:
            total += (current or _ONE) * value
            current = Decimal(0)
        elif is_scale:
            current = (current or _ONE) * value
        elif not current or value < _place(current) or (current < 10 and value % 10 == 0 and value < 100):
            current += value
        else:
            well_formed = False
            current += value
    return total + current, well_formed


def _place(value: Decimal) -> Decimal:
    """The smallest power of ten that divides ``value`` (`20` 10, `300` 100, `25` 1)."""
    place = _ONE
    while value and value % (place * 10) == 0:
        place *= 10
    return place


def _vague_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Vague words as whole words; CJK ones anywhere (those scripts have no spaces)."""
    cjk = [w for w in words if scripts.script_of(w[0]) in scripts.CJK]
    other = literal_alternation([w for w in words if w not in cjk]).pattern
    if cjk:
        other += "|" + literal_alternation(cjk, word_boundary=False).pattern
    return re.compile(other, re.IGNORECASE)


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    """Whole words or phrases, any case; CJK ones anywhere."""
    words = [w for w in words if w]
    if not words:
        return None
    cjk = [w for w in words if scripts.script_of(w[0]) in scripts.CJK]  # no spaces, no word edges
    alts = "|".join(re.escape(w) for w in sorted(set(words) - set(cjk), key=len, reverse=True)) or "(?!)"
    body = rf"(?<!\w)(?:{alts})(?:(?<=\W)|(?!\w))"
    if cjk:
        body += "|" + "|".join(re.escape(w) for w in sorted(cjk, key=len, reverse=True))
    return re.compile(body, re.IGNORECASE)


def _aliases(number: int | None, after: str, clock: re.Pattern[str] | None, year: bool) -> set[str]:
    """Other values a translator may write for a number (``number``: its ``_whole`` value, None
    when it has none): a year's last two digits (`the 1990s` for `90-х`, `born after 1995` for
    `95后`) and the hour on the other clock."""
    out: set[str] = set()
    if number is None:
        return out
    if year and 1000 <= number <= 2100:  # `90-х`, `95后`; `20世纪80年代` and `19. Jahrhundert` for 1800s
        out |= {str(number % 100), str(number // 100 + 1)}
    if 0 <= number <= 24 and (
        _CLOCK_AFTER.match(after) or (clock is not None and clock.match(after.lstrip()))
    ):
        out |= {str(number % 12), str(number % 12 + 12)}
        if number in (0, 12, 24):
            out |= {"0", "12", "24"}
    return out


def _side(lexicon: Lexicon, text: str) -> Side:
    mentions = lexicon.mentions(text)
    has_minus = lexicon.minus is not None and lexicon.minus.search(text) is not None
    if has_minus:  # `12 below zero`: a positive number of a text that says minus stands for -12
        for m in mentions:
            m.keys |= {"-" + k for k in m.keys if not k.startswith("-")}
    keys: set[str] = set()
    aliases: set[str] = set()
    plain: set[str] = set()
    accepts: set[str] = set()
    vague: set[str] = set()
    for m in mentions:
        if m.vague:
            vague |= m.keys
            continue
        keys |= m.keys
        aliases |= m.aliases
        accepts |= m.accepts
        if not m.accepts:
            plain |= m.keys
    for m in mentions:  # `2.10` (season 2, episode 10): each part stands for a number
        if len(m.runs) > 1:
            aliases |= {r for r in m.runs if len(r) > 1}
    runs = {r.lstrip("0") or "0" for r in _RUN.findall(ascii_digits(text))}
    return Side(mentions, keys, aliases, plain, accepts, runs, text.lower(), vague)


# A digit string as the fast path compares it: the letter or sign right before it (`SU100`,
# `COVID-19`, `-15`), digits with one separator between them, and a `%` or `°` after it. The
# letter or sign is read by lookbehinds after the first digit (a letter and a hyphen, a
# letter, a sign not after a number, the first that is there): the engine skips at C speed
# to the digits (a pattern that opens with the letter is tried at every letter of a text).
_DIGIT_STRING = re.compile(
    r"(\d)(?:(?<=([^\W\d_]-)\d)|(?<=([^\W\d_])\d)|(?<=(?<![\d.,])([-\u2212\uff0d])\d))?"
    r"((?:[.,:/'\u00a0\u202f\u2009 ]?\d)*)(\s?[%°％℃℉])?"
)

_GROUPED = re.compile(r"\d+(?:[.,]\d+)+$")


def _digit_groups(text: str) -> Iterator[tuple[str, str, str]]:
    """The (letter or sign before, digits, sign after) of each digit string of ``text``."""
    for first, hyphened, lettered, signed, digits, symbol in _DIGIT_STRING.findall(text):
        yield hyphened or lettered or signed, first + digits, symbol


@text_cache(16384)  # once per distinct text of the run (see ``says_words``)
def _digit_strings(text: str) -> tuple[str, ...]:
    """The digit strings of ``text``, sorted (a letter before one is `L`, a CJK one nothing)."""
    out = []
    for lead, digits, symbol in _digit_groups(text):
        if lead[:1].isalpha():
            lead = "L" if scripts.script_of(lead[0]) not in scripts.CJK else lead[1:]
        if _GROUPED.match(digits):  # `1,686` = `1.686`, `9,9` = `9.9`: compared by value
            digits = _spelling(digits)
        out.append(lead + digits + symbol.strip())
    return tuple(sorted(out))


def _settle(src: Side, tgt: Side) -> None:
    """Let vague words account for numbers, except those the other text has too: the
    `prosince` of `12. prosince` already accounts for `December`, which then cannot also
    stand for the day `12`."""
    shared = src.vague & tgt.vague
    for side in (src, tgt):
        side.keys |= side.vague - shared
        side.plain |= side.vague - shared


@dataclass
class Pair:
    """The lexicons of a language pair and the prefilter that finds rows worth reading."""

    source: Lexicon
    target: Lexicon
    # the numbers of each distinct source, read once in the run (a source comes with every
    # system's output, in several chunks)
    source_side: Callable[[str], Side] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.source_side = text_cache(_REMEMBERED)(functools.partial(_side, self.source))

    def worth_reading(self, sources: Sequence[str], targets: Sequence[str]) -> Iterator[int]:
        """The rows whose numbers may differ.

        Skipped at C speed: rows with no digit, number word or Han numeral on either side
        (most rows). Skipped after a cheap look: rows whose two texts have the same digit
        strings (with the sign, the letter before and the `%` or `°` after them) and no
        number, scale or minus word, which read as the same numbers by construction; rows
        without digits whose source writes no checked number (``_source_checks``).
        """
        # a source comes with several systems' outputs in a chunk: each distinct one searched once
        in_source = {source: _ANY_DIGIT.search(source) is not None for source in dict.fromkeys(sources)}
        found_s, found_t = map(in_source.__getitem__, sources), map(_ANY_DIGIT.search, targets)
        digits = list(map(any, zip(found_s, found_t, strict=True)))
        rows = range(len(sources))
        # no digit: a checked number word or two Han numerals (a quick regex, then the exact look)
        plain = list(compress(rows, (not d for d in digits)))
        source_words = self.source.saying_number(sources[i] for i in plain)
        # a source language without number words writes a checked number in Han numerals
        # only, which ``saying_number`` finds: its targets would decide no row (``_source_checks``)
        asked = plain if self.source.atoms else []
        target_words = self.target.saying_number(targets[i] for i in asked)
        wordy = [
            i
            for i in plain
            if (sources[i] in source_words or targets[i] in target_words) and self._source_checks(sources[i])
        ]
        for i in compress(rows, digits):
            source, target = sources[i], targets[i]
            # each distinct text looked at once in the run (systems share sources and
            # often agree): ``_digit_strings`` and ``says_words`` are cached; the source's
            # words first, which every system's row of it asks, then the digit strings
            if (
                self.source.says_words(source)
                or _digit_strings(source) != _digit_strings(target)
                or self.target.says_words(target)
            ):
                wordy.append(i)
        return iter(sorted(wordy))

    def _source_checks(self, source: str) -> bool:
        """Whether the source of a row without digits writes a checked number (read once per
        distinct source: a row is read with it). Without digits, numbers are words or Han
        numerals, reported only as changed into a number of the target, never alone, and
        codes and signs need digits: a source without a checked number yields nothing, and
        its target (127 of the 2,542 rows read on the feed) is not read. A text too long to
        be read is left to ``check``, which skips it."""
        return len(source) > _LONGEST_TEXT or any(m.checked for m in self.source_side(source).mentions)


@register
class NumberMismatch(Rule):
    """Number of the source missing from the target, changed, or added by it.

    ## What it does
    Reads the numbers of source and target by value, both ways. A number of the source
    that the target lacks and one of the target that the source lacks, close to each
    other (a digit changed, added or dropped; `300` → `30`, `2,7 млн` → `27 million`,
    `пятеро` → `four`), are reported as a changed number naming both. A number only
    dropped or only added is reported when it is a figure written in digits, at least
    `min_alone`, and not a year, a date or rank (`12th`, `19.`, `25日`) or `100%`.
    A `%` or `°` of the source dropped from its number (`180°` → `180`) is flagged too.
    Numbers are also compared as counts: a number of the source lost while the target
    writes another one more often than the source (`three men and two women` → `трое
    мужчин и три женщины`) is reported as changed into that one, and so is a figure the
    target adds with one digit changed from one the source writes more often than the
    target (`2021年 … 2021年` → `2041 … 2021`), or that stands where a figure with one
    digit changed was lost while a number word accounts for it (`ein 8 mm Loch` → `a 1 mm
    hole`: `ein` is the `a`). A code of letters and digits (`SU100`, `AB-12345`, `CA1234`)
    whose digits the target changed under the same letters (`SU1000`), or a name joined to
    a number by a hyphen whose number changed (`covid-19` → `Covid-17`, compared without
    case and up to inflection: `covidem-19`), is reported as a changed code; a code the
    target drops is left to the names rule.

    A number is read however it is written: digits in any locale's grouping and
    decimal style (`2,7` = `2.7`; `1 000 000`, `1.000.000`, `1,000,000`, with no-break or
    narrow spaces), with its scale word (`2,7 млн` = `2.7 million` = `2,700,000`; `60万` =
    `600,000`; `6万5000` = `65,000`), sign (`минус 12` = `−12` = `12 below zero`), number
    words with their case forms, ordinals and compounds (`пятеро`, `Twenty`,
    `fünfundzwanzig`, `dvě`, `jednatřicetiletý`, `two hundred and fifty`, `treinta y dos`)
    and Han numerals (`五十`, `三千五百万`, `四成` = 40%; a single one before a counter:
    `两本书`, `三名工人`). A scaled number is not matched by its digits alone (`1.5
    million` ≠ `1,5 Milliarden`). Conversions that are not errors are accepted: a year and its last two
    digits or its century (`20-х` = `1920s`, `die 1990er Jahre` = `the 90s`, `95后` = `born
    after 1995`, `20世纪80年代` = `the 1980s`), an hour on the 12- or 24-hour clock (`15:00` =
    `3 p.m.`, `18.30 Uhr` = `6:30 PM`), each pairing only numbers that the exact matches
    leave over (`1612年（慶長17年）` → `1615 (Keicho 17)` is a changed year: the 17s are each
    other's, not the century of either), dates and times written with other separators
    (`12.12.19` = `12/12/19`), and a `%` or `°` written as a word (`50 percent`). Words that
    stand for a number in a free translation (`a`, `one`, `both`, `dozen`, `half`, `half a
    year`, month names, Roman numerals, `rund um die Uhr` for 24/7) account for a number of
    the other text but are never flagged; a number word that opens a compound
    (`sedmičlenný`, `Zweierbob`) does the same. Digits right after a letter belong to a
    name or code (`COVID-19`, `F1`, `A320`): they only account for numbers too.

    Number knowledge per language lives in the `numbers.<lang>` packs (en, de, fr, es, ru,
    uk, cs, zh, ja), read for the source's and the target's language; other languages are read by
    their digits only. Needs a source.

    ## Why is this bad?
    A changed figure is the most damaging fidelity error: a price, a casualty count or
    a date that is silently wrong, and that readers cannot detect. A dropped number loses
    a fact; an added one invents it.

    ## Example
    Source: `Протесты начались 2 января из-за роста цен с 60 до 120 тенге.`
    Target: `Protests began on January 2 over prices rising from 60 to 210 tenge.`

    Use instead:
    `Protests began on January 2 over prices rising from 60 to 120 tenge.`

    ## Known problems
    Conversions of mass, length and speed between the units of the packs' `units` tables
    are accepted within 15% (`100 pounds` → `über 50 kg`, `10斤` → `5kg`, `5 miles` → `8
    km`). Not matched, so flagged when a translator does it: other unit and currency
    conversions (`1.5 hours` → `90 minutes`, `$5` → `4 €`), calendar
    conversions (Japanese era years `令和4年` = `2022`), fractions written as words (`three
    quarters` for `75%`), old time units (`三刻` = 45 minutes), and number words of
    languages without a pack. Human translators add context numbers (`the 19th central
    committee`, `on the 12th` for `同日`) and drop small ones (`1公演につき` = `per
    performance`); such lone numbers below `min_alone`, years, dates and ranks are not
    reported, so a dropped `3`, year or day of the month is missed. A number the other
    text writes only through a vague word (`a` for 1, `both` for 2, a month name) counts
    as present, so a changed `1` or `2` there is missed. An ASCII hyphen before a number is
    read as a minus that may also be a dash (`(-2 mm)` = `less than 2 mm`), so a lost
    hyphen-minus is missed except before a temperature (`-15 degrees`, `-5°C`); `минус`,
    `−` and `－` are compared. French 70-99 in words (`soixante-dix`, `quatre-vingts`) are
    not read. Currency signs are not
    compared (`$5` = `5 dollars` = `USD 5`). Number words are read in a text only for
    rows that hold a digit or a number word that is checked alone (`two`, not `one`).
    A source or target longer than 100,000 characters (a whole document in one cell) is not
    read: its thousands of numbers would take seconds and could not be paired anyway.
    On WMT22 references most findings left are real defects of the reference (`45°` →
    `450`, `10.85万吨` → `108.5 million`, `22. října` → `October 2nd`), which count against
    the 1-per-1,000 budget.
    """

    code = "FD001"
    name = "number-mismatch"
    category = "fidelity"
    severity = "warning"
    options = {"ignore_below": 0, "min_alone": 10}
    option_docs = {
        "ignore_below": "whole numbers below this are not checked (0: every number is checked)",
        "min_alone": "a number added or dropped without a changed counterpart is reported only "
        "from this value on (smaller ones are often written as words or left implicit); changed "
        "numbers are always reported",
    }

    def prepare(self) -> None:
        self._lexicons: dict[str, Lexicon] = {}
        # the findings of each distinct row for the whole run (systems often write the same
        # translation); the numbers of each distinct source are kept by its ``Pair``
        self._rows: dict[tuple[int, str, str], list[Hit]] = {}

    def lexicon(self, lang: str) -> Lexicon:
        """The lexicon of ``lang`` (digits only when it has no ``numbers.<lang>`` pack)."""
        if lang not in self._lexicons:
            pack = self.packs.get(f"numbers.{lang}") if lang else None
            self._lexicons[lang] = Lexicon(pack.header if pack else {})
        return self._lexicons[lang]

    def _pair(self, src: str, tgt: str) -> Pair:
        return Pair(self.lexicon(src), self.lexicon(tgt))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for pair, rows in self.by_language(chunk, self._pair):
            sources = [chunk.sources[r] for r in rows]
            targets = [chunk.targets[r] for r in rows]
            for i in pair.worth_reading(sources, targets):
                if not sources[i].strip() or not targets[i].strip():
                    continue
                if len(sources[i]) > _LONGEST_TEXT or len(targets[i]) > _LONGEST_TEXT:
                    continue
                for hit in self._row_hits(pair, sources[i], targets[i]):
                    yield Hit(rows[i], hit.start, hit.end, hit.message, None)

    def _row_hits(self, pair: Pair, source: str, target: str) -> list[Hit]:
        """The findings of a row, found once per distinct row of the run."""
        key = (id(pair), source, target)  # a pair lives as long as the rule (``by_language``)
        found = self._rows.get(key)
        if found is None:
            found = list(self._compare(pair, source, target, pair.source_side(source)))
            # kept as ``text_cache`` keeps texts: rows of short texts only (the key holds them)
            if len(source) <= CACHED_CHARS and len(target) <= CACHED_CHARS:
                if len(self._rows) >= _REMEMBERED:  # a long run: start afresh rather than grow
                    self._rows.clear()
                self._rows[key] = found
        return found

    def _compare(self, pair: Pair, source: str, target: str, read: Side | None = None) -> Iterator[Hit]:
        """The findings of one row; ``read`` is the source's side when already read."""
        # ``_settle`` changes only a side with vague words: a read one without is not copied
        src = _side(pair.source, source) if read is None else read.copy() if read.vague else read
        tgt = _side(pair.target, target)
        _settle(src, tgt)
        lost = _dedupe(_unaccounted(src.mentions, tgt, src, self._counts))
        added = _dedupe(_unaccounted(tgt.mentions, src, tgt, self._counts))
        recount = _Recount(src, tgt)
        lost_units = _units(pair.source, source, lost)
        if any(lost_units):  # `100 pounds` = `45 kg`, `10斤` = `5kg`
            for m, m_unit in zip(list(added), _units(pair.target, target, added), strict=True):
                if m_unit is None:
                    continue
                at = next((i for i, s in enumerate(lost) if _converted(lost_units[i], s, m_unit, m)), None)
                if at is not None:
                    del lost[at], lost_units[at]
                    added.remove(m)
        lost_ids = set(map(id, lost))
        for m in added:
            was = next((s for s in lost if _close(s, m)), None)
            if was is not None:
                lost.remove(was)
                lost_ids.discard(id(was))
                yield Hit(0, m.start, m.end, f"Number '{m.text}' differs from the source's '{was.text}'")
            elif (was := _fewer(m, recount) or _for_a_word(m, tgt, src, lost_ids, recount)) is not None:
                yield Hit(0, m.start, m.end, f"Number '{m.text}' differs from the source's '{was.text}'")
            elif self._alone(m):
                yield Hit(0, m.start, m.end, f"Number '{m.text}' is not in the source")
        added_ids = set(map(id, added))
        for m in list(lost):
            t = _repeated(m, recount) or _for_a_word(m, src, tgt, added_ids, recount)
            if t is not None:
                lost.remove(m)
                yield Hit(0, t.start, t.end, f"Number '{t.text}' differs from the source's '{m.text}'")
        for m in lost:
            if self._alone(m):
                yield Hit(0, -1, -1, f"Number '{m.text}' of the source is missing from the target")
        yield from _symbols(src, tgt, pair.target)
        yield from _codes(source, target)

    def _alone(self, m: Mention) -> bool:
        """Whether a number added or dropped on its own (not changed) is reported.

        Translators drop and add small numbers, years and number words all the time
        (`1公演につき` = `per performance`, `the 12th` for `同日`, `the two of them`); a
        figure of `min_alone` or more written in digits rarely goes missing on purpose.
        """
        if m.word or m.implicit or not m.keys:
            return False
        if m.symbol == "%" and "100" in m.keys:  # `100%` for `definitely`
            return False
        values = [_number(k) for k in m.keys]
        if any(v is None or abs(v) < self.opts["min_alone"] for v in values):
            return False
        return not any(
            v is not None and 1900 <= v <= 2100 and v == int(v) and len(m.runs) == 1 for v in values
        )

    def _counts(self, m: Mention) -> bool:
        below = self.opts["ignore_below"]
        if not below:
            return True
        # keys have no leading zeros: one longer than ``below`` is not below it (and int()
        # of a key of 100,000 digits is refused by Python)
        return not any(k.isdigit() and len(k) <= len(str(below)) and int(k) < below for k in m.keys)


def _number(k: str) -> Decimal | None:
    try:
        return Decimal(k)
    except InvalidOperation:
        return None


def _close(a: Mention, b: Mention) -> bool:
    """Whether ``b`` reads as a changed copy of ``a``: a digit changed, added or dropped
    (`300` → `30`, `2.7m` → `27m`), or values near each other (`five` → `four`)."""
    if _edits("".join(sorted(a.runs)), "".join(sorted(b.runs))) <= 1 and a.runs and b.runs:
        return True
    for x in a.keys:
        for y in b.keys:
            dx, dy = x.lstrip("-").replace(".", ""), y.lstrip("-").replace(".", "")
            if _edits(dx, dy) <= 1:
                return True
            vx, vy = _number(x), _number(y)
            if vx is not None and vy is not None and vx and vy and Decimal("0.5") <= vx / vy <= 2:
                return True
    return False


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short digit strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """One mention per written number (a value written twice is reported once)."""
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.text.lower() not in seen:
            seen.add(m.text.lower())
            out.append(m)
    return out


# A unit as the packs' `units` tables give it: its quantity and its factor to the quantity's base.
_Unit = tuple[str, Decimal]


def _unit(lexicon: Lexicon, text: str, end: int) -> _Unit | None:
    """The unit written right after a number (`100 pounds`, `5kg`, `10斤`), if any."""
    if lexicon.unit_after is None:
        return None
    found = lexicon.unit_after.match(text, end + (text[end : end + 1] in (" ", "\u00a0")))
    return lexicon.units.get(found.group().lower()) if found else None


def _converted(ua: _Unit | None, a: Mention, ub: _Unit | None, b: Mention) -> bool:
    """Whether ``b`` is ``a`` converted to another unit of the same quantity (within 15%,
    as translators round: `100 pounds` → `über 50 kg`); ``ua`` and ``ub`` are the units
    written after them (:func:`_unit`)."""
    if ua is None or ub is None or ua[0] != ub[0] or ua[1] == ub[1]:
        return False
    for x in filter(None, map(_number, a.keys)):
        for y in filter(None, map(_number, b.keys)):
            mine, theirs = abs(x) * ua[1], abs(y) * ub[1]
            if abs(mine - theirs) <= Decimal("0.15") * max(mine, theirs):
                return True
    return False


def _units(lexicon: Lexicon, text: str, mentions: Iterable[Mention]) -> list[_Unit | None]:
    """The unit written after each of ``mentions`` (None for one without a place in the text)."""
    return [_unit(lexicon, text, m.end) if m.end >= 0 else None for m in mentions]


def _repeated(m: Mention, counts: _Recount) -> Mention | None:
    """The number of the target that stands where the lost ``m`` stood: one the target
    writes more often than the source (`three men and two women` → `трое мужчин и три
    женщины`), close to ``m``, nearest its place in the text."""
    if m.word and m.vague:
        return None
    spots = []
    repeated: dict[frozenset[str], bool] = {}  # by value: a text that repeats one is counted once
    for t in counts.tgt.mentions:
        if not t.checked or t.vague or t.start < 0 or not _close(m, t):
            continue
        keys = frozenset(t.keys)
        if keys not in repeated:
            in_target = counts.holding(counts.tgt, keys)
            in_source = counts.holding(counts.src, keys)
            repeated[keys] = in_target == in_source + 1 and in_source >= 1 and "1" not in keys
        if repeated[keys]:
            spots.append(t)
    if not spots:
        return None
    # the n-th number of the source is likeliest the n-th of the target
    rank, order = counts.order(counts.src)[m.start], counts.order(counts.tgt)
    return min(spots, key=lambda t: abs(order[t.start] - rank))


# A code of letters and digits (`SU100`, `AB-12345`, `CA1234`): flights, orders, models.
# What may not stand before it is tested after its first capital (the same test as a
# two-character lookbehind): the engine then skips at C speed to the capitals instead of
# testing every position.
_CODE = re.compile(r"([A-Z](?<![A-Za-z0-9-].)[A-Z]{0,3})(-?)(\d{2,})(?![A-Za-z0-9-])")
# A name joined to a number by a hyphen (`COVID-19`, `covid-19`, `Су-57`): its letters are
# compared without case (`covid-19` → `Covid-17` is a changed name).
_NAMED_NUMBER = re.compile(r"(?<![\w-])([^\W\d_]{2,12})(-)(\d{2,})(?![\w-])")


def _codes(source: str, target: str) -> Iterator[Hit]:
    """A code of the source whose digits the target changed (`SU100` → `SU1000`,
    `covid-19` → `Covid-17`); a code the target drops is left to the names rule."""
    yield from _changed_codes(_CODE, source, target, str)
    if "-" in source:
        yield from _changed_codes(_NAMED_NUMBER, source, target, _name_key)


def _name_key(letters: str) -> str:
    """What two names before a number share when they are one, without case and up to an
    inflection of either (`covidem-19` and `Covid-39`: `covi`)."""
    return letters.casefold()[:4]


def _changed_codes(
    pattern: re.Pattern[str], source: str, target: str, key: Callable[[str], str]
) -> Iterator[Hit]:
    """The codes of ``pattern`` (letters in group 1, digits in group 3) that the target
    writes with the source's letters (compared by ``key``) and other digits."""
    ours = {(key(c.group(1)), c.group(3)): c.group() for c in pattern.finditer(source)}
    if not ours:
        return
    theirs: dict[str, list[re.Match[str]]] = {}
    for t in pattern.finditer(target):
        theirs.setdefault(key(t.group(1)), []).append(t)
    for (prefix, digits), code in sorted(ours.items()):
        mine = theirs.get(prefix, [])
        if any(t.group(3) == digits for t in mine):
            continue  # kept
        changed = next((t for t in mine if (prefix, t.group(3)) not in ours), None)
        if changed is not None:
            message = f"Code '{changed.group()}' differs from the source's '{code}'"
            yield Hit(0, changed.start(), changed.end(), message)


def _symbols(src: Side, tgt: Side, lexicon: Lexicon) -> Iterator[Hit]:
    """A `%` or `°` of the source whose number the target writes without it (`180°` → `180`)."""
    for m in src.mentions:
        if not m.symbol:
            continue
        words = lexicon.symbol_words[m.symbol]
        if m.symbol in tgt.words or (words is not None and words.search(tgt.words)):
            continue
        same = [t for t in tgt.mentions if t.checked and t.keys & m.keys]
        if same:
            t = same[0]
            name = _SYMBOLS[m.symbol]
            yield Hit(
                0, t.start, t.end, f"Number '{t.text}' lacks the {name} sign of the source's '{m.text}'"
            )
