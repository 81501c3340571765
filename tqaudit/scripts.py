"""Writing systems: the script of a letter, of a text, and of a language.

Pure functions shared by language identification (``tqaudit.langid``) and the language
rules (LG001-LG004). The script of each language comes from the ``language.scripts`` pack.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

# Codes that name the same language in different backends or standards (ISO 639-1 old
# codes, Norwegian written standards, langdetect's Chinese variants).
ALIASES: Mapping[str, str] = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "nb": "no",
    "nn": "no",
    "zh-cn": "zh",
    "zh-tw": "zh",
}

# One Han/kana/hangul character stands for a syllable or a word, so it weighs as this many
# letters against a letter threshold (a five-character Chinese sentence is a sentence).
CJK_WEIGHT = 3
CJK = frozenset({"HAN", "KANA", "HANGUL"})
# URLs, e-mail addresses, @handles and #hashtags: not language, often in another script.
# The e-mail alternative, ``\S+@\S+\.\w+`` as written before, ran in time quadratic in a
# run of non-spaces (a CJK line): tried at every position, each scanning to the run's end.
# Its match always starts where the run starts and ends after the last ``.\w`` of the run,
# when the run has an ``@`` (not first) with ``.\w`` at least two characters after it, so it
# is now tried at run starts only, checked by one lookahead, and matched without backtracking
# over every ``@``: the same matches, linear time (tests/test_hostile.py compares them).
NOISE = re.compile(r"https?://\S+|www\.\S+|(?<!\S)(?=\S[^\s@]*@\S\S*?\.\w)\S*\.\w+|[@#]\w+")


@lru_cache(maxsize=1024)  # called per segment by several rules on a handful of distinct codes
def base_language(code: str) -> str:
    """``pt-BR`` -> ``pt``, ``zh-cn`` -> ``zh``, ``iw`` -> ``he``: the code rules compare."""
    code = (code or "").strip().lower().replace("_", "-")
    code = ALIASES.get(code, code)
    return ALIASES.get(code.split("-")[0], code.split("-")[0])


@lru_cache(maxsize=8192)  # a pure function of one character: the memo is only speed
def script_of(char: str) -> str:
    """The script of a letter (``LATIN``, ``CYRILLIC``, ``HAN``, ``KANA`` ...), "" otherwise.

    Taken from the first word of the Unicode character name, which is the script for
    letters of every alphabet; CJK ideographs, kana and width variants are folded.
    """
    if len(char) != 1 or not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    words = name.split()
    if not words:
        return ""
    if words[0] in ("HALFWIDTH", "FULLWIDTH") and len(words) > 1:
        words = words[1:]
    head = words[0]
    if head in ("CJK", "IDEOGRAPHIC") or name.startswith("KANGXI"):
        return "HAN"
    if head in ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA"):
        return "KANA"
    if head in ("MODIFIER", "COMBINING"):
        return ""
    return head


def script_counts(text: str) -> Counter[str]:
    """Number of letters of each script in ``text`` (counted per distinct character, the
    scripts in the order of their first letter)."""
    counts: Counter[str] = Counter()
    for ch, n in Counter(text).items():
        if script := script_of(ch):
            counts[script] += n
    return counts


def dominant_script(text: str) -> str:
    """The script with the most letters in ``text`` ("" when it has no letters)."""
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else ""


def weighted_letters(counts: Mapping[str, int]) -> int:
    """Letters in ``script_counts`` output, a Han, kana or hangul one counting ``CJK_WEIGHT``."""
    return sum(n * (CJK_WEIGHT if s in CJK else 1) for s, n in counts.items())


def letter_count(text: str) -> int:
    """Letters in ``text``, a Han, kana or hangul character counting ``CJK_WEIGHT`` times."""
    return weighted_letters(script_counts(text))


@lru_cache(maxsize=1)  # the built-in pack does not change while the process runs
def _default_script_table() -> Mapping[str, str]:
    from tqaudit.packs import PackSet

    pack = PackSet.default().get("language.scripts")
    return pack.mapping() if pack else {}


def script_table() -> Mapping[str, str]:
    """Language -> script, from the built-in ``language.scripts`` pack (do not modify it)."""
    return _default_script_table()


def language_script(lang: str, table: Mapping[str, str] | None = None) -> str:
    """The script ``lang`` is written in (from the ``language.scripts`` pack), "" if unknown."""
    return (table if table is not None else script_table()).get(base_language(lang), "")


def decisive_scripts(table: Mapping[str, str] | None = None) -> dict[str, str]:
    """Scripts that exactly one language of the table uses, mapped to that language."""
    table = table if table is not None else script_table()
    users: dict[str, list[str]] = {}
    for lang, script in table.items():
        users.setdefault(script, []).append(lang)
    return {script: langs[0] for script, langs in users.items() if len(langs) == 1}
