"""Fidelity rules: what the translation must carry over unchanged (numbers)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from tqaudit.rules.base import Hit, Rule, iter_matches, row_offsets
from tqaudit.rules.registry import register

# A number as written in running text, in any common locale: digits with optional group
# separators (comma, full stop, space, no-break or thin space, apostrophe) and an optional
# decimal part. Full-width digits are normalised with NFKC.
_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[.,])(?<![^\W\d_]-)"  # not inside a number or a name like COVID-19
    r"(?:\d{1,3}(?:[,.\u00a0\u202f\u2009' ]\d{3})+|\d+)(?:[.,]\d+)?(?![.,]?\d)"
)
_DIGIT_RUN = re.compile(r"\d+")
_CLOCK = re.compile(r"^\s*(?:[:.]\d\d\s*)?(?:[ap]\.?m\b|[AP]\.?M\b)")
_GROUPED = re.compile(r"^\d{1,3}(?:([,.\u00a0\u202f\u2009' ])\d{3})+$")


@functools.lru_cache(maxsize=1)
def _digit_table() -> dict[int, str]:
    """Every Unicode decimal digit (full-width ３, Arabic-Indic ٣, Persian ۳, Bengali ৩, …) to 0-9."""
    return {
        c: str(unicodedata.decimal(chr(c))) for c in range(0x110000) if unicodedata.category(chr(c)) == "Nd"
    }


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written as an ASCII digit."""
    return text if text.isascii() else text.translate(_digit_table())


def canonical(text: str) -> str:
    """One spelling per value: ``1 000,5``, ``1,000.5`` and ``1.000,5`` all become ``1000.5``.

    A single separator followed by exactly three digits is read as grouping (``1,000``),
    because that is how it is used in every locale where it is ambiguous with a decimal.
    """
    text = ascii_digits(text)
    text = re.sub(r"[\u00a0\u202f\u2009' ]", " ", text)
    match = re.match(r"^(.*?)(?:([.,])(\d{1,2}|\d{4,}))?$", text)
    integer, decimal = (match.group(1), match.group(3)) if match else (text, None)
    if _GROUPED.match(integer) or (not integer.isdigit() and re.fullmatch(r"\d+[.,]\d{3}", integer)):
        integer = re.sub(r"\D", "", integer)
    digits = re.sub(r"[^\d.]", ".", integer)
    value = digits.lstrip("0") or "0"
    return f"{value}.{decimal}" if decimal else value


def _numbers(texts: list[str]) -> list[Counter[str]]:
    """Canonical numbers of each text, plus every bare digit run (``12.12.19`` -> 12, 19)."""
    found: list[Counter[str]] = [Counter() for _ in texts]
    for row, m in iter_matches(texts, _NUMBER):
        value = canonical(m.group())
        found[row][value] += 1
        found[row]["~" + significant(value)] += 1
    for row, m in iter_matches(texts, _DIGIT_RUN):
        found[row]["#" + (ascii_digits(m.group()).lstrip("0") or "0")] += 1
    return found


def _accounted(number: str, value: str, after: str, have: Counter[str]) -> bool:
    """Whether the source has this number in some spelling a translator may choose."""
    if value in have or "~" + significant(value) in have:
        return True
    runs = ["#" + (r.lstrip("0") or "0") for r in _DIGIT_RUN.findall(ascii_digits(number))]
    if all(r in have for r in runs):  # dates and times written with other separators
        return True
    hour = int(float(value)) if value.replace(".", "").isdigit() else -1
    if _CLOCK.match(after) and 0 < hour < 12:  # 7 pm for 19:00
        return f"#{hour + 12}" in have
    if 12 < hour < 24:  # 17.30 for 5.30pm
        return f"#{hour - 12}" in have
    return False


def significant(value: str) -> str:
    """The significant digits of a canonical number: ``600000``, ``60`` and ``6.0`` -> ``6``.

    Translators rescale freely (``10 тыс.`` -> ``10,000``, ``60万`` -> ``600,000``,
    ``10.85万`` -> ``108,500``), so values are compared by their digits, not their magnitude.
    """
    return value.replace(".", "").strip("0") or "0"


@register
class NumberMismatch(Rule):
    """Number in the source missing from the target, or added by the translation.

    ## What it does
    Extracts the numbers of source and target (digits, in any locale's grouping and
    decimal style: `1 000,5` = `1,000.5`) and flags a target number that the source does
    not have, when the source has numbers too. Values are compared by their significant
    digits, so a rescaled number (`10 тыс.` → `10,000`, `60万` → `600,000`) counts as the
    same, and so do dates and times
    written with other separators (`12.12.19` → `12/12/19`, `19:00` → `7 pm`). Whole
    numbers below `ignore_below` are not checked. Needs a source.

    ## Why is this bad?
    A changed figure is the most damaging fidelity error: a price, a casualty count or
    a date that is silently wrong, and that readers cannot detect.

    ## Example
    Source: `Протесты начались 2 января из-за роста цен с 60 до 120 тенге.`
    Target: `Protests began on January 2 over prices rising from 60 to 210 tenge.`

    Use instead:
    `Protests began on January 2 over prices rising from 60 to 120 tenge.`

    ## Known problems
    Numbers the translator legitimately converts (units, currencies, calendar systems,
    Roman numerals) are flagged. Comparing significant digits misses an error of scale
    (`60` → `600`). Sources that write numbers in Chinese or Japanese numerals
    (`word_numerals`) and segments without a source are skipped.
    """

    code = "FD001"
    name = "number-mismatch"
    category = "fidelity"
    severity = "warning"
    options = {"ignore_below": 13, "word_numerals": "〇一二三四五六七八九十百千万萬亿億兆两兩"}
    option_docs = {
        "word_numerals": "characters that write numbers as words (Chinese and Japanese "
        "numerals); a source containing any of them is not checked",
        "ignore_below": "whole numbers below this are not checked: sources often spell them "
        "in words or ideographs (two, 二) and clocks switch between 12 and 24 hours",
    }

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        sources: list[str] = chunk["source"].tolist()
        targets: list[str] = chunk["target"].tolist()
        src_numbers = _numbers(sources)
        offsets = row_offsets(targets)
        below = self.opts["ignore_below"]
        numerals = re.compile(
            f"[{re.escape(self.opts['word_numerals'])}]" if self.opts["word_numerals"] else "(?!)"
        )
        for row, m in iter_matches(targets, _NUMBER):
            value = canonical(m.group())
            have = src_numbers[row]
            if not have or (value.isdigit() and int(value) < below) or numerals.search(sources[row]):
                continue
            start = m.start() - offsets[row]
            if _accounted(m.group(), value, targets[row][start + len(m.group()) : start + 40], have):
                continue
            yield Hit(row, start, start + len(m.group()), f"Number '{m.group()}' is not in the source")


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
    """

    code = "FD002"
    name = "empty-target"
    category = "fidelity"
    severity = "error"

    def check(self, chunk: pd.DataFrame) -> Iterable[Hit]:
        blank = chunk["target"].str.strip().eq("") & chunk["source"].str.strip().ne("")
        for row in blank[blank].index:
            yield Hit(int(row), -1, -1, "Target is empty but the source is not")
