"""Word frequencies from wordfreq: the one place the rules read them.

wordfreq (Apache-2.0) ships its word lists in its wheel, so nothing is downloaded. Chinese,
Japanese and Korean (and the other languages it segments with optional packages such as
jieba and MeCab) are treated as unsupported: their tokenisers are not dependencies of
tqaudit, and wordfreq would raise for them. A rule asks ``supported(lang)`` before it relies
on a frequency; ``zipf`` is 0.0 (never seen) for an unsupported language.
"""

from __future__ import annotations

from functools import cache, lru_cache

# wordfreq needs optional tokenisers (jieba, MeCab) or segments these by dictionary.
SEGMENTED = frozenset({"zh", "ja", "ko", "th", "my", "km", "lo"})


@cache
def _languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages()) - SEGMENTED


def supported(lang: str) -> bool:
    """True when wordfreq has a word list for ``lang`` that tqaudit can read."""
    return bool(lang) and lang in _languages()


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang``: 0.0 for a word never seen or a language not supported."""
    if not supported(lang):
        return 0.0
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, lang))
