"""Length, words, sentences and endings of a text: what the omission rules compare.

Lengths are counted in *units* so that one table of length ratios serves every script: a
non-space character counts one unit, a Han character three (an ideograph carries about as
much as three Latin letters), a hangul syllable two and a kana one and a half, so a Chinese
or Japanese source and its English translation have a ratio near 1, as German and English
do. Whitespace is not counted: Chinese and Japanese write none. (Weighting kana less than
Han narrows the spread of Japanese-English ratios on WMT22 by a fifth.)

Everything here is a regex pass in C per text (no per-character Python loop): the rules call
these functions on every segment of a chunk.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

# Han (with compatibility ideographs and extension A), kana (with half-width katakana), hangul.
CJK_CHAR = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]"
)
# Runs of Han, kana and hangul characters: a run is one match, counted by its length (a
# Chinese text is a few runs, not a string per character).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]+")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")
# Units a character of each kind counts beyond the one every non-space character counts.
_EXTRA_UNITS = ((_HAN, 2.0), (_HANGUL, 1.0), (_KANA, 0.5))
# A word: a run of letters, digits and joiners (apostrophes, hyphens inside a word); a CJK
# character alone is a word (no spaces to separate them).
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_](?:[\w'’-]*\w)?")
# What has a letter or a digit (a target of only punctuation and symbols has none).
_ALNUM = re.compile(r"[^\W_]")
# Sentence ends: a full stop, question or exclamation mark or ellipsis (Latin, CJK full
# width, Arabic, Devanagari danda, Greek question mark) and the closing quotes or brackets after it.
# Emoji and pictographs: in chat text they end a sentence as a full stop does.
_EMOJI = "[\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]"
_FINAL = re.compile(r"(?:[.!?…。！？．؟।]['\"”’»“‘«)\]）」』]*|" + _EMOJI + r")[\s" + _EMOJI[1:-1] + r"]*$")
# A sentence boundary inside a text: sentence punctuation, then a space and an upper-case
# letter, a digit or an opening quote (Latin and Cyrillic), or a CJK full stop before a CJK
# character or an opening corner bracket.
# Abbreviations (`Dr. Smith`, `U.S. Army`) and German ordinals (`am 7. Dezember`) are not
# boundaries: a full stop needs a word of three letters or more, a year, a closing quote or
# bracket or a per cent sign before it (a question or exclamation mark needs any word).
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐΑ-ΩČŘŠŽĎŤŇĚŮŁŚŹŻĆŃŐŰ"
_BOUNDARY = re.compile(
    rf"(?:(?:(?<=[^\W\d_]{{3}})|(?<=\d{{4}})|(?<=[)\]»”\"'%]))[.…]+|(?<=\w)[.…]*[!?][.!?…]*)"
    rf"['\"”’»)]*\s+(?=[\"“«„]?[{_UPPER}0-9])"
    r"|[。！？]+(?![。！？])[」』”’）)]*(?![」』”’）)])(?=[「『“\u3040-\u30ff\u3400-\u9fff])"
)
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_QUESTION = re.compile(r"[?？؟]")
# How a text ends when it was cut off: a comma, semicolon, colon, dash or an opening bracket,
# with nothing after it (quotes are left out: `“` opens in English and closes in German).
_DANGLING_MARK = re.compile(r"[,，、;；:：\-–—(\[（]\s*$")
_LAST_WORD = re.compile(r"([^\W\d_]+)\s*$")


def length_units(text: str) -> int:
    """Length of ``text`` in units: non-space characters, Han counting 3, hangul 2, kana 1.5."""
    # str.split's whitespace is the regex's \s; a printable text has only the ASCII space
    spaces = text.count(" ") if text.isprintable() else len(text) - len("".join(text.split()))
    units = len(text) - spaces
    if text.isascii() or not CJK_CHAR.search(text):
        return units  # an int: no float to round
    extra = sum(weight * sum(map(len, runs.findall(text))) for runs, weight in _EXTRA_UNITS)
    return round(units + extra)


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a Han, kana or hangul character."""
    return not text.isascii() and CJK_CHAR.search(text) is not None


def word_count(text: str) -> int:
    """Words of ``text`` (a CJK character counts as one word)."""
    return len(_WORD.findall(text))


def word_equivalents(text: str) -> float:
    """Words of ``text``, a CJK character counting 0.6 of a word (about 1.7 characters a word)."""
    cjk = len(CJK_CHAR.findall(text)) if not text.isascii() else 0
    return len(_WORD.findall(text)) - 0.4 * cjk


def words(text: str) -> list[str]:
    """The words of ``text`` in order."""
    return _WORD.findall(text)


def has_alnum(text: str) -> bool:
    """Whether ``text`` has a letter or a digit (is more than punctuation and symbols)."""
    return _ALNUM.search(text) is not None


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with sentence punctuation (closing quotes or brackets after it allowed)."""
    return _FINAL.search(text) is not None


def abbreviations(packs: Any, lang: str) -> frozenset[str]:
    """Abbreviations of language ``lang`` (lower case, without their final full stop).

    From the ``punctuation.abbreviations`` pack: its list for every language plus the
    language's own; the rules that count sentences or read a full stop read this one table.
    """
    pack = packs.get("punctuation.abbreviations")
    if pack is None:
        return frozenset()
    words = [*pack.header.get("all", ()), *pack.header.get("languages", {}).get(lang, ())]
    return frozenset(w.lower() for w in words)


def sentence_count(text: str, abbreviations: AbstractSet[str] = frozenset()) -> int:
    """Sentences of ``text``: boundaries found inside it plus one (0 for a text without words).

    A full stop after one of ``abbreviations`` (lower case; compared in lower case) is no
    boundary.
    """
    if not has_alnum(text):
        return 0
    text = text.strip()
    count = 1
    for m in _BOUNDARY.finditer(text):
        before = _WORD_BEFORE.search(text, 0, m.start())
        if not (before and before.group().lower() in abbreviations and text[m.start()] == "."):
            count += 1
    return count


def question_count(text: str) -> int:
    """Question marks in ``text`` (Latin, full width, Arabic)."""
    return len(_QUESTION.findall(text))


def dangling_mark(text: str) -> str:
    """The comma, colon, dash or opening mark ``text`` ends on ("" when it ends otherwise)."""
    m = _DANGLING_MARK.search(text)
    return m.group().strip() if m else ""


def last_word(text: str) -> str:
    """The last word of ``text`` in lower case, if the text ends on it ("" after any punctuation)."""
    m = _LAST_WORD.search(text)
    return m.group(1).lower() if m else ""
