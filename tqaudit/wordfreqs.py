"""Word frequencies from wordfreq: the one place the rules read them.

wordfreq (Apache-2.0) ships its word lists in its wheel, so nothing is downloaded. Chinese,
Japanese and Korean (and the other languages it segments with optional packages such as
jieba and MeCab) are treated as unsupported: their tokenisers are not dependencies of
tqaudit, and wordfreq would raise for them. A rule asks ``supported(lang)`` before it relies
on a frequency; ``zipf`` is 0.0 (never seen) for an unsupported language.

Why not ``wordfreq.zipf_frequency`` directly: its first call per language decodes the whole
list into a dictionary (0.3-0.7 CPU-s for German or Russian, 600,000+ words), and a short
audit or a pre-commit run asks for a few hundred words. The list is therefore written once per
wordfreq version and language into an indexed SQLite table in the user's cache folder
(``$TQAUDIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/tqaudit``, else ``~/.cache/tqaudit``), built in
a temporary file and renamed into place, so concurrent runs never see half a table. Each
lookup is one indexed query; the answer is computed as wordfreq computes it (its tokeniser,
digit smoothing and rounding), so values are identical to ``zipf_frequency``. When the cache
folder cannot be written or read, the list is held in memory as before.
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

# wordfreq needs optional tokenisers (jieba, MeCab) or segments these by dictionary.
SEGMENTED = frozenset({"zh", "ja", "ko", "th", "my", "km", "lo"})
_SCHEMA = 1  # bump when the table layout changes


# Languages whose wordfreq preprocessing leaves a lower-case, NFC word of letters as it is
# (NFC, no transliteration, no mark removal, no Turkish i, no comma/cedilla change, the regex
# tokeniser): such a word is its own single token. Checked against wordfreq's
# ``get_language_info`` by the tests. A lower-case ASCII word is its own token in every language.
_PLAIN = frozenset(
    [
        "bg",
        "ca",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "fi",
        "fil",
        "fr",
        "hu",
        "id",
        "is",
        "it",
        "lt",
        "lv",
        "mk",
        "ms",
        "nb",
        "nl",
        "pl",
        "pt",
        "ru",
        "sk",
        "sl",
        "sv",
        "uk",
        "vi",
    ]
)


@cache
def _languages() -> frozenset[str]:
    """What ``wordfreq.available_languages()`` lists (its ``small_`` and ``large_`` lists), read
    from the package's data folder without importing wordfreq (0.3 CPU-s of imports)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    names = (
        p.name.split(".")[0].split("_") for p in folder.glob("*.msgpack.gz") if not p.name.startswith("_")
    )
    return (
        frozenset(lang for name, lang in (n for n in names if len(n) == 2) if name in ("small", "large"))
        - SEGMENTED
    )


def supported(lang: str) -> bool:
    """True when wordfreq has a word list for ``lang`` that tqaudit can read."""
    return bool(lang) and lang in _languages()


def cache_dir() -> Path:
    """Where tqaudit keeps data derived from its dependencies (rebuilt when missing)."""
    explicit = os.environ.get("TQAUDIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tqaudit"


def _buckets(lang: str) -> dict[str, int]:
    """word -> centibel bucket (0 = most frequent), as ``wordfreq.get_frequency_dict`` keys it."""
    import wordfreq

    table: dict[str, int] = {}
    for index, bucket in enumerate(wordfreq.get_frequency_list(lang)):
        table.update(dict.fromkeys(bucket, index))  # a later (rarer) bucket wins, as in wordfreq
    return table


def _build(path: Path, lang: str) -> None:
    """Write the table for ``lang`` to ``path`` atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with sqlite3.connect(tmp) as db:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, bucket INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(_buckets(lang).items()))
            db.execute(f"PRAGMA user_version={_SCHEMA}")
        db.close()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _open(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a complete table at ``path``, or None."""
    if not path.is_file():
        return None
    try:
        # immutable: a table is never written in place (a new one is renamed over it, and an
        # open connection keeps reading the old file), so SQLite need not lock or check the
        # file on every query (a lookup three times faster)
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        # the file mapped rather than read page by page into SQLite's cache: the first
        # lookup of a word reads pages no query read before, and most lookups of an audit
        # are first lookups (a word's first zipf: 20 µs with the pages read, 17.5 mapped)
        db.execute(f"PRAGMA mmap_size={path.stat().st_size}")
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            db.close()
            return None
        db.execute("SELECT bucket FROM words LIMIT 1").fetchone()
        return db
    except sqlite3.Error:
        return None


@cache
def _wordfreq_version() -> str:
    """wordfreq's version, read once: ``importlib.metadata.version`` parses the package's
    metadata on every call (some 3 ms, paid by the first lookup in each language)."""
    return version("wordfreq")


def _sqlite_lookup(lang: str) -> Callable[[str], int | None] | None:
    path = cache_dir() / f"wordfreq-{_wordfreq_version()}" / f"{lang}.sqlite3"
    db = _open(path)
    if db is None:
        try:
            _build(path, lang)
        except (OSError, sqlite3.Error):
            return None
        db = _open(path)
        if db is None:
            return None

    def lookup(word: str) -> int | None:
        row = db.execute("SELECT bucket FROM words WHERE word = ?", (word,)).fetchone()
        return None if row is None else int(row[0])

    return lookup


_LOOKUPS: dict[tuple[int, str], Callable[[str], int | None]] = {}


def _lookup(lang: str) -> Callable[[str], int | None]:
    """This process's bucket lookup for ``lang`` (a forked worker opens its own connection)."""
    key = (os.getpid(), lang)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = _sqlite_lookup(lang) or _buckets(lang).get
    return _LOOKUPS[key]


@lru_cache(maxsize=65536)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency of ``word`` in ``lang``: 0.0 for a word never seen or a language not supported.

    Equal to ``wordfreq.zipf_frequency(word, lang)``: the word is tokenised as wordfreq does,
    digit runs are smoothed, the frequencies of several tokens combine as ``1/f = Σ 1/f_i``,
    the result is at least Zipf 0 and rounded to three significant digits, then to hundredths of a Zipf unit.
    """
    if not supported(lang):
        return 0.0
    lookup = _lookup(lang)
    # most words: no tokeniser needed, no wordfreq import
    tokens = [word] if _own_token(word, lang) else _joined_tokens(word, lang)
    if tokens is not None:
        inverse = 0.0
        for token in tokens:
            bucket = lookup(token)
            if bucket is None:
                return 0.0
            inverse += 1.0 / 10 ** (-bucket / 100)
    else:
        inverse = _inverse_frequency(word, lang, lookup)
        if not inverse:
            return 0.0
    return _zipf_of(inverse)


@lru_cache(maxsize=4096)
def _zipf_of(inverse: float) -> float:
    """The Zipf value of a word whose tokens' inverse frequencies sum to ``inverse``, at
    least Zipf 0 and rounded as wordfreq rounds it. Cached: most words are one token, whose
    inverse is one of a few hundred (a centibel bucket each), and the floor, logarithms and
    roundings to digits cost 2.5 µs a word, a third of what :func:`zipf` spends beside its
    query."""
    freq = max(1.0 / inverse, 1e-9)  # wordfreq's floor: Zipf 0
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


# Lower-case ASCII letters joined by underscores (`prs_org`, a placeholder of the WMT sources):
# UAX #29 does not break a word at an underscore between letters, in any language.
_SNAKE_CASE = re.compile(r"[a-z]+(?:_[a-z]+)+")


def _own_token(word: str, lang: str) -> bool:
    """Whether wordfreq tokenises ``word`` in ``lang`` as the one token ``word``."""
    if not word.isalpha():
        return _SNAKE_CASE.fullmatch(word) is not None
    if word.casefold() != word:
        return False
    if word.isascii():
        return True
    # Latin, IPA, Greek and Cyrillic letters only: other scripts have their own word breaks
    return lang in _PLAIN and max(word) < "\u0530" and unicodedata.is_normalized("NFC", word)


# A word of letters joined by hyphens or apostrophes (`weiß`, `Iran's`, `thief’s`, `qu'il`,
# `Amazon-Gründer`). Names and capitalised words are mostly such words; importing wordfreq
# for its tokeniser costs 0.15-0.2 CPU-s, more than a short audit spends on all its words.
_JOINED = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# wordfreq's tokeniser cuts a one- or two-letter word with a straight apostrophe before one
# of these (its ``INITIAL_VOWEL_EXPR``, lower case) into a token of its own (`l'`, `qu'`).
_ELISION = re.compile(r"[^\W\d_]{1,2}'[aehiouyáéíóúàèìòùâêîôûåïöœ]")


def _joined_tokens(word: str, lang: str) -> list[str] | None:
    """``wordfreq.lossy_tokenize(word, lang)`` for a word of Latin, Greek or Cyrillic letters
    joined by hyphens or apostrophes in a plain language, without wordfreq; None otherwise.

    The language's preprocessing is NFC and case folding (``_PLAIN``). Its regex tokeniser
    breaks at Unicode word boundaries (UAX #29), which fall at a hyphen but not at an
    apostrophe between letters, except after an elision (`l'homme` is `l`, `homme`; the
    tokeniser strips the apostrophe); the lossy tokeniser then straightens `’` to `'`.
    Checked against wordfreq by the tests.
    """
    if lang not in _PLAIN or not unicodedata.is_normalized("NFC", word):
        return None
    folded = word.casefold()
    # U+02BC (`ʼ`, from `ŉ`) is a letter that wordfreq straightens to an apostrophe
    if not folded or max(folded.replace("’", "'")) >= "\u0530" or "\u02bc" in folded:
        return None
    if not _JOINED.fullmatch(folded):
        return None
    tokens = []
    for part in folded.split("-"):
        start = 0
        while (elided := _ELISION.match(part, start)) is not None:
            tokens.append(part[start : elided.end() - 2])
            start = elided.end() - 1
        tokens.append(part[start:])
    return [t.replace("’", "'") for t in tokens]


def _inverse_frequency(word: str, lang: str, lookup: Callable[[str], int | None]) -> float:
    """``1/f`` summed over wordfreq's tokens of ``word`` (0.0: no token, or one never seen)."""
    from wordfreq import digit_freq, lossy_tokenize, smash_numbers

    inverse = 0.0
    for token in lossy_tokenize(word, lang):
        smashed = smash_numbers(token)
        bucket = lookup(smashed)
        if bucket is None:
            return 0.0
        freq = 10 ** (-bucket / 100)
        if smashed != token:
            freq *= digit_freq(token)
        inverse += 1.0 / freq
    return inverse
