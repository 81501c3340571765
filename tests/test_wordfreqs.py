"""tqaudit.wordfreqs: values equal to wordfreq's, the on-disk table, and its failure modes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import wordfreq

from tqaudit import wordfreqs


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and no table or answer remembered from earlier tests."""
    monkeypatch.setenv("TQAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    wordfreqs._LOOKUPS.clear()
    wordfreqs.zipf.cache_clear()
    yield tmp_path / "cache"
    wordfreqs._LOOKUPS.clear()
    wordfreqs.zipf.cache_clear()


# Lower-case ASCII letters joined by underscores, one token of their own (`prs_org`, a WMT placeholder).
_SNAKE_CASE = ["prs_org", "utm_source", "o_o", "prs_org_name"]


def _sample(lang: str, n: int) -> list[str]:
    words = [w for bucket in wordfreq.get_frequency_list(lang) for w in bucket]
    rng = random.Random(lang)
    picked = rng.sample(words, n)
    # capitalised words, phrases, digits, punctuation and unknown strings take other paths
    return [
        *picked,
        *(w.title() for w in picked[:50]),
        *(f"{a} {b}" for a, b in zip(picked[50:80], picked[80:110], strict=True)),
        *("Charles", "A320neo", "1990s", "2023", "3,5", "don't", "co-operate", "", "  ", "!!", "qqqzzzxxx"),
        *_SNAKE_CASE,
        *("PRS_ORG", "_", "a_", "_a", "a__b", "x00_00", "schüler_innen", "что_"),
    ]


@pytest.mark.parametrize("lang", ["en", "de", "ru", "uk", "cs", "fr", "el", "vi", "tr", "ar", "mk"])
def test_zipf_equals_wordfreq(fresh_cache: Path, lang: str) -> None:
    # incl. languages whose words wordfreq transforms (Turkish i, Arabic marks)
    for word in [*_sample(lang, 400), "istanbul", "iş", "схваташ", "kalimat", "straße", "ς"]:
        assert wordfreqs.zipf(word, lang) == wordfreq.zipf_frequency(word, lang), word


# Words of letters joined by hyphens or apostrophes, whose tokens tqaudit finds itself:
# elisions (`l'`, `qu'`), curly apostrophes, `ß` and capitals (case folding), Greek sigma.
_JOINED = [
    "weiß", "Großbritannien", "STRASSE", "Iran's", "I'll", "thief’s", "McDonald's", "O'Brien",
    "rock'n'roll", "l'homme", "L'Homme", "l’homme", "qu'il", "qu'aujourd'hui", "aujourd'hui",
    "d'Artagnan", "hy'é", "Amazon-Gründer", "Feiertag-Wochenenden", "x-y-z", "мар’яною",
    "промтекс-ориент", "ΟΔΟΣ", "œuvre", "ǅemal",
]  # fmt: skip


def _joined_sample(lang: str, n: int) -> list[str]:
    words = [w for bucket in wordfreq.get_frequency_list(lang)[:3000] for w in bucket]
    rng = random.Random(lang)
    out = list(_JOINED)
    for _ in range(n):
        a, b = rng.choice(words), rng.choice(words)
        joined = a + rng.choice(["-", "'", "’"]) + b
        out += [joined, joined.title(), joined.upper(), f"{rng.choice(['l', 'qu', 's', 'lo'])}'{b}"]
    return out


@pytest.mark.parametrize("lang", ["en", "de", "fr", "ru", "uk", "cs", "el"])
def test_joined_words_are_tokenised_as_wordfreq_does(fresh_cache: Path, lang: str) -> None:
    found = 0
    for word in _joined_sample(lang, 300):
        tokens = wordfreqs._joined_tokens(word, lang)
        if tokens is not None:
            found += 1
            assert tokens == wordfreq.lossy_tokenize(word, lang), word
        assert wordfreqs.zipf(word, lang) == wordfreq.zipf_frequency(word, lang), word
    assert found > 600  # most of them take the path without wordfreq


def test_joined_words_are_read_without_importing_wordfreq(fresh_cache: Path) -> None:
    words = _JOINED + _SNAKE_CASE
    code = (
        "import sys\n"
        "from tqaudit import wordfreqs\n"
        f"values = [wordfreqs.zipf(w, lang) for w in {words!r} for lang in ('en', 'de', 'fr', 'ru')]\n"
        "assert 'wordfreq' not in sys.modules, 'wordfreq imported'\n"
        "assert any(values)\n"
    )
    for lang in ("en", "de", "fr", "ru"):  # the tables are built (with wordfreq) beforehand
        wordfreqs.zipf("house", lang)
    env = {**os.environ, "TQAUDIT_CACHE_DIR": str(fresh_cache)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    # a word with digits or of a language that transforms its words still needs wordfreq
    assert wordfreqs._joined_tokens("A320neo", "en") is None
    assert wordfreqs._joined_tokens("İstanbul", "tr") is None


def test_plain_languages_are_those_wordfreq_leaves_unchanged() -> None:
    """A wordfreq upgrade that starts transforming a language's words must fail here, not
    silently change the frequencies of words that skip wordfreq's tokeniser."""
    from wordfreq.language_info import get_language_info

    def plain(lang: str) -> bool:
        info = get_language_info(lang)
        return (info["tokenizer"], info["normal_form"], info["remove_marks"], info["dotless_i"]) == (
            "regex",
            "NFC",
            False,
            False,
        ) and info["diacritics_under"] is info["transliteration"] is info["lookup_transliteration"] is None

    assert {lang for lang in wordfreq.available_languages() if plain(lang)} == wordfreqs._PLAIN


def test_the_language_list_is_wordfreqs_without_importing_it() -> None:
    assert wordfreqs._languages() == frozenset(wordfreq.available_languages()) - wordfreqs.SEGMENTED


def test_table_is_written_once_and_read_by_a_later_process(fresh_cache: Path) -> None:
    assert wordfreqs.zipf("house", "en") == wordfreq.zipf_frequency("house", "en")
    tables = list(fresh_cache.rglob("*.sqlite3"))
    assert [t.name for t in tables] == ["en.sqlite3"]
    assert not [p for p in fresh_cache.rglob("*") if p.name.endswith(".tmp")]  # no leftover
    stamp = tables[0].stat().st_mtime_ns
    wordfreqs._LOOKUPS.clear()  # what a new process starts with
    wordfreqs.zipf.cache_clear()
    assert wordfreqs.zipf("garden", "en") == wordfreq.zipf_frequency("garden", "en")
    assert tables[0].stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_a_corrupt_table_is_rebuilt(fresh_cache: Path) -> None:
    wordfreqs.zipf("house", "en")
    table = next(fresh_cache.rglob("en.sqlite3"))
    table.write_bytes(b"not a database" * 100)
    wordfreqs._LOOKUPS.clear()
    wordfreqs.zipf.cache_clear()
    assert wordfreqs.zipf("house", "en") == wordfreq.zipf_frequency("house", "en")
    assert table.read_bytes()[:15] == b"SQLite format 3"


def test_cache_folder_that_is_a_file_falls_back_to_memory(fresh_cache: Path) -> None:
    fresh_cache.write_text("a file where the folder should be")
    assert wordfreqs.zipf("house", "en") == wordfreq.zipf_frequency("house", "en")
    assert fresh_cache.read_text() == "a file where the folder should be"


def test_unsupported_languages_are_zero(fresh_cache: Path) -> None:
    assert not wordfreqs.supported("zh")
    assert wordfreqs.zipf("北京", "zh") == 0.0
    assert wordfreqs.zipf("house", "") == 0.0
    assert not list(fresh_cache.rglob("*.sqlite3"))
