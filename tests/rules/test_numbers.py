"""FD001's reading of numbers written in words: compounds split into number words, word
positions in texts whose lower case is longer, numbers repeated many times, huge numbers and
texts."""

from __future__ import annotations

import random
from decimal import Decimal

import pandas as pd
import pytest

import tqaudit
from tqaudit.packs import PackSet
from tqaudit.rules.numbers import Lexicon, NumberMismatch


def _lexicon(lang: str) -> Lexicon:
    pack = PackSet.default().get(f"numbers.{lang}")
    assert pack is not None
    return Lexicon(pack.header)


def test_compounds_are_split_into_number_words_and_their_suffix() -> None:
    de, cs = _lexicon("de"), _lexicon("cs")
    assert de.compound_reading("fünfundzwanzig") == (Decimal(25), True)
    assert de.compound_reading("dreihundertvierundfünfzigjährige") == (Decimal(354), True)
    assert cs.compound_reading("jednatřicetiletý") == (Decimal(31), True)
    # a number word that only opens the word: accounts for a number, never checked
    assert cs.compound_reading("sedmičlenném") == (Decimal(7), False)
    assert de.compound_reading("zweierbob") == (Decimal(2), False)
    assert de.compound_reading("fünfling") is not None and de.compound_reading("zwiebel") is None


def test_a_word_longer_than_any_compound_is_not_read() -> None:
    de = _lexicon("de")
    assert de.compound_reading("fünf" * 15) is not None  # 60 letters
    assert de.compound_reading("fünf" * 17) is None  # 68: no number is written so


def test_word_positions_hold_when_lower_case_is_longer() -> None:
    # `İ` lowers to two characters: the words are found in the text as written
    en = _lexicon("en")
    for text in ("İstanbul has twenty-five bridges.", "Istanbul has twenty-five bridges."):
        numbers = [m for m in en.mentions(text) if m.checked]
        assert [(m.text, m.keys) for m in numbers] == [("twenty-five", {"25"})]
        assert text[numbers[0].start : numbers[0].end] == "twenty-five"


def test_a_changed_number_among_many_repeats_of_another() -> None:
    rule = NumberMismatch()
    pair = rule._pair("ru", "en")
    source = "Цена 150 тенге, " * 3 + "а не 300."
    target = "The price is 150 tenge, " * 3 + "not 30, " + "150 " * 2000
    messages = [hit.message for hit in rule._compare(pair, source, target)]
    assert messages == ["Number '30' differs from the source's '300'"]


def test_a_number_of_thousands_of_digits_with_ignore_below() -> None:
    # int() of a key longer than 4,300 digits raised ValueError and aborted the audit
    rule = NumberMismatch({"ignore_below": 10})
    pair = rule._pair("ru", "en")
    huge = "7" * 5000
    messages = [
        hit.message for hit in rule._compare(pair, "Оплачено 5 тенге и 80 тенге.", f"Paid 5 and {huge}.")
    ]
    assert messages == [
        f"Number '{huge}' is not in the source",
        "Number '80' of the source is missing from the target",
    ]


def test_a_document_in_one_cell_is_not_read() -> None:
    rule = NumberMismatch()
    row = {"source": "Цена 150 тенге.", "src_lang": "ru", "tgt_lang": "en"}
    short = "The price is 160 tenge. " * 4_000  # 96,000 characters: read
    long = "The price is 160 tenge. " * 4_200  # 100,800: not read
    frame = pd.DataFrame([{**row, "target": short}, {**row, "target": long}])
    result = tqaudit.audit(frame, tqaudit.Config(select=(rule.code,), fail_on="never"))
    assert sorted(set(result.findings["segment_id"].astype(str))) == ["1"]


@pytest.mark.parametrize("lang", ["de", "cs", "ru", "uk", "en"])
def test_the_word_probe_without_longer_words_finds_the_same_texts(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where words compound, the word probe leaves out the words that start with another
    one (`fünfzig` after `fünf`): it must pick the same texts as the probe of every word."""
    from tqaudit.rules import numbers

    lexicon = _lexicon(lang)
    probe = lexicon.word_probe  # compiled when first read: before ``_shortest`` is patched
    monkeypatch.setattr(numbers, "_shortest", set)
    every = _lexicon(lang)
    assert every.word_probe != probe or lang == "en"  # left alone without compounds
    rng = random.Random(lang)
    forms = sorted(every.atoms)
    texts = [f"{a}{tail}" for a in forms for tail in ("", "x", " und ", "-")]
    joiner = " a " if lang in ("cs", "ru", "uk") else " und "
    texts += [
        f"{rng.choice(forms)}{joiner}{rng.choice(forms)}{rng.choice(['', 'ý', 'er'])}" for _ in range(3000)
    ]
    texts += [f"x{a} {a[:-1]} 5{a}" for a in forms]
    found = [probe.found(t.lower()) for t in texts]
    assert found == [every.word_probe.found(t.lower()) for t in texts]
    assert any(found) and not all(found)


def test_saying_number_is_says_number() -> None:
    """The verdicts of the joined texts' quick regex and ``probe`` are those of
    ``says_number`` on each text: texts asked again, asked beside new ones, and repeated
    within one call."""
    rng = random.Random(11)
    for lang, words in (
        ("en", ["two", "hundred", "twenty-one", "none", "often", "second", "Thirty", "fifth", "seven_"]),
        ("de", ["zwei", "hundert", "einundzwanzig", "zweite", "keine", "Dreißig", "fünfjährige"]),
    ):
        lexicon = _lexicon(lang)
        filler = ["the", "report", "said", "and", "it", "was", "x", "—", ",", "_"]
        texts = [" ".join(rng.choices(words + filler * 3, k=rng.randrange(1, 7))) for _ in range(120)]
        for _ in range(12):
            asked = rng.sample(texts, rng.randrange(1, 60)) * rng.randrange(1, 3)
            expected = {text for text in asked if lexicon.says_number(text)}
            assert lexicon.saying_number(iter(asked)) == expected
        assert 0 < len({t for t in texts if lexicon.says_number(t)}) < len(texts)


def test_the_code_pattern_finds_what_a_leading_lookbehind_finds() -> None:
    """``_CODE`` tests what stands before a code after its first capital (so that the
    engine skips to capitals): it must find the codes of the plain form, which tests it first."""
    import re

    from tqaudit.rules.numbers import _CODE

    plain = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{1,4})(-?)(\d{2,})(?![A-Za-z0-9-])")
    rng = random.Random(7)
    texts = ["SU100", "xSU100", "-SU100", "9SU100", "ABCDE100", "(AB-12345)", "\nCA1234", "LH404 LH440"]
    texts += ["".join(rng.choices("ABZa-9 0\n.", k=rng.randrange(1, 14))) for _ in range(20_000)]
    found = [[(m.span(), m.groups()) for m in _CODE.finditer(t)] for t in texts]
    assert found == [[(m.span(), m.groups()) for m in plain.finditer(t)] for t in texts]
    assert found[0] and not found[1] and not found[2] and not found[3] and found[5]


def test_the_findings_of_a_row_are_kept_only_for_short_texts() -> None:
    """Rows are remembered for the run as ``text_cache`` remembers texts: a row with a text
    longer than ``CACHED_CHARS`` is read (the same findings) but not kept (its key holds it)."""
    from tqaudit.rules.base import CACHED_CHARS

    rule = NumberMismatch()
    pair = rule._pair("ru", "en")
    source = "Цена 150 тенге."
    short = "The price is 160 tenge."
    long = short + " x" * CACHED_CHARS
    for target in (short, long, short):
        messages = [hit.message for hit in rule._row_hits(pair, source, target)]
        assert messages == ["Number '160' differs from the source's '150'"]
    assert [target for _, _, target in rule._rows] == [short]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_phrases_rule_out_only_texts_their_pattern_does_not_match(lang: str) -> None:
    """The quick test of ``Phrases`` (none of the words in an ASCII text's lower case) must
    never skip a text its pattern matches: words in any case, at word edges or not."""
    lexicon = _lexicon(lang)
    rng = random.Random(lang)
    for phrases in (lexicon.minus, lexicon.vague_pattern):
        assert phrases is not None and phrases.ascii_words
        words = phrases.ascii_words
        pieces = [*words, *(w[: len(w) // 2] for w in words), " ", "x", "-", ".", "5", "é"]
        texts = ["".join(rng.choices(pieces, k=rng.randrange(1, 6))) for _ in range(3000)]
        texts = [t.upper() if i % 3 == 0 else t.title() if i % 3 == 1 else t for i, t in enumerate(texts)]
        found = [[m.span() for m in phrases.finditer(t)] for t in texts]
        assert found == [[m.span() for m in phrases.pattern.finditer(t)] for t in texts]
        assert [phrases.search(t) is None for t in texts] == [not f for f in found]
        assert any(found) and not all(found)


def test_phrases_of_other_scripts_have_no_quick_test() -> None:
    ru, zh = _lexicon("ru"), _lexicon("zh")
    assert ru.minus is not None and ru.minus.ascii_words is None
    assert zh.vague_pattern is not None and zh.vague_pattern.ascii_words is None


def test_other_digits_are_the_decimal_digits_but_0_to_9() -> None:
    """``ascii_digits`` rewrites what ``_OTHER_DIGIT`` finds: every Unicode decimal digit
    (what ``\\d`` matches) except the ASCII ones, in the whole code space."""
    from tqaudit.rules.numbers import _OTHER_DIGIT, ascii_digits

    everything = "".join(map(chr, range(0x110000)))
    expected = [c for c in everything if c.isdecimal() and c not in "0123456789"]
    assert _OTHER_DIGIT.findall(everything) == expected
    assert ascii_digits("３ ٣ ۳ 7") == "3 3 3 7"


def test_compound_readings_are_kept_for_short_words_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word that opens like a number word is parsed once per run (``text_cache``): a
    hostile one longer than ``CACHED_CHARS`` is answered the same without being kept."""
    from tqaudit.rules.base import CACHED_CHARS

    de = _lexicon("de")
    parsed: list[str] = []
    head = de._compound_head
    monkeypatch.setattr(de, "_compound_head", lambda word: parsed.append(word) or head(word))
    short, long = "fünfundzwanzig", "fünf" + "x" * CACHED_CHARS
    readings = [de.compound_reading(word) for word in (short, short, long, long)]
    assert readings == [(Decimal(25), True), (Decimal(25), True), None, None]
    assert parsed == [short, long, long]


@pytest.mark.parametrize("lang", ["en", "de", "ru", "uk", "cs", "zh", "ja"])
def test_the_strong_probe_of_openings_keeps_every_text_probe_finds(lang: str) -> None:
    """``strong_probe`` looks for the openings of the number words checked alone, a quick
    regex before ``probe``: ``saying_number`` must keep the texts without digits that
    ``probe`` finds, as the pattern of the whole forms as whole words (before) did."""
    import re

    from tqaudit.rules.base import word_start_trie
    from tqaudit.rules.numbers import _WORD_OR_UNDERSCORE

    lexicon = _lexicon(lang)
    whole = {w for w in lexicon.strong if " " not in w}
    forms = sorted(whole | set(lexicon.atoms)) + list(lexicon.han)
    rng = random.Random(5)
    filler = ["the", "и", "der", "的", "x", "—", ",", "_", "'", "’", "三个", "两本书", "年"]
    texts = [
        " ".join(
            rng.choice(["", "_", "a", "-", "'"]) + rng.choice([f, f.title(), f[:-1], f + "e", f[:5]])
            for f in rng.choices(forms + filler, k=rng.randrange(1, 5))
        )
        for _ in range(3000)
    ]
    texts = [t for t in texts if not any(c.isdigit() for c in t)]
    expected = {t for t in texts if lexicon.probe(t)}
    assert lexicon.saying_number(texts) == expected
    assert 0 < len(expected) < len(texts)
    if whole:  # the quick regex before: the whole forms, then Han numerals as now
        before = [re.compile(word_start_trie(whole, *_WORD_OR_UNDERSCORE) + r"(?![^\W\d_])")]
        before += lexicon.strong_probe.patterns[1:]
        assert expected == {t for t in texts if any(p.search(t.lower()) for p in before) and lexicon.probe(t)}


def test_shortest_leaves_out_the_words_another_one_without_a_space_opens() -> None:
    """``_shortest`` walks the words in sorted order: it keeps what the definition keeps."""
    from tqaudit.rules.numbers import _shortest

    rng = random.Random(3)
    for _ in range(300):
        words = {"".join(rng.choices("ab c", k=rng.randrange(1, 6))) for _ in range(rng.randrange(0, 30))}
        opened = {w for w in words for i in range(1, len(w)) if w[:i] in words and " " not in w[:i]}
        expected = words - opened
        assert _shortest(iter(words)) == expected


def test_the_words_of_an_ascii_text_are_those_of_the_unicode_pattern() -> None:
    """``_words`` reads an ASCII text with ``_ASCII_WORD``: the same words at the same places."""
    from tqaudit.rules.numbers import _WORD, _words

    rng = random.Random(8)
    pieces = ["two", "O'Neil", "rock'n'roll", "it's", "_x", "x_", "5th", "A1", "'", "''", " ", "-", "é"]
    texts = ["".join(rng.choices(pieces, k=rng.randrange(0, 12))) for _ in range(3000)]
    for text in texts:
        if text.isascii():
            assert _words(text) is not _WORD
            assert [m.span() for m in _words(text).finditer(text)] == [m.span() for m in _WORD.finditer(text)]
        else:
            assert _words(text) is _WORD
    assert sum(map(str.isascii, texts)) > 1000


@pytest.mark.parametrize(("src", "tgt"), [("en", "de"), ("de", "en"), ("ru", "en"), ("zh", "en")])
def test_a_row_without_digits_whose_source_checks_no_number_has_no_finding(src: str, tgt: str) -> None:
    """``Pair.worth_reading`` skips a row without digits whose source writes no checked
    number (``_source_checks``): read, such a row yields nothing, whatever its target says."""
    rule = NumberMismatch()
    pair = rule._pair(src, tgt)
    rng = random.Random(src + tgt)

    def text(lexicon: Lexicon) -> str:
        words = sorted(lexicon.atoms) + sorted(lexicon.vague) + list(lexicon.han) + ["the", "и", "und"]
        joiner = rng.choice(["", " "]) if lexicon.han else " "  # `三十五`, `两本书`
        return joiner.join(rng.choices(words + ["x", "-", "and", "a", "本"] * 3, k=rng.randrange(1, 7)))

    rows = [(text(pair.source), text(pair.target)) for _ in range(3000)]
    rows = [(s, t) for s, t in rows if not any(c.isdigit() for c in s + t)]
    skipped = [(s, t) for s, t in rows if not pair._source_checks(s)]
    assert 100 < len(skipped) < len(rows)
    assert all(not list(rule._compare(pair, s, t)) for s, t in skipped)
    assert any(list(rule._compare(pair, s, t)) for s, t in rows)


def test_a_word_start_trie_tested_deeper_matches_the_same() -> None:
    """``word_start_trie`` with ``depth`` tests what stands before a word after more of its
    letters: the same matches at the same places as the test after the first, for words
    that end early or go on with a space (then written ``\\s+``), an apostrophe or a digit."""
    import re

    from tqaudit.rules.base import word_start_trie
    from tqaudit.rules.numbers import _WORD_EDGE, _WORD_OR_UNDERSCORE

    rng = random.Random(4)
    letters = ["a", "b", "ab", "я", "5", " ", "'", "_", "-", "\n"]
    found = 0
    for edge in (_WORD_EDGE, _WORD_OR_UNDERSCORE):
        for _ in range(200):
            words = {
                rng.choice("abя5") + "".join(rng.choices(letters[:7], k=rng.randrange(0, 4)))
                for _ in range(5)
            }
            texts = ["".join(rng.choices(letters, k=rng.randrange(1, 12))) for _ in range(40)]
            patterns = [
                re.compile(word_start_trie(words, *edge, depth).replace("\\ ", r"\s+")) for depth in (1, 2, 3)
            ]
            spans = [[[m.span() for m in p.finditer(t)] for t in texts] for p in patterns]
            assert spans[0] == spans[1] == spans[2]
            found += sum(map(bool, spans[0]))
    assert found > 1000
    assert word_start_trie(["two"], *_WORD_EDGE, 3) == r"(?:t(?:w(?:o(?<!\w...))))"


def test_the_digit_strings_are_those_of_the_pattern_that_opens_with_the_letter() -> None:
    """``_DIGIT_STRING`` reads the letter or sign before a digit string by lookbehinds after
    its first digit: the strings of the plain pattern, which reads them first, scanned left
    to right."""
    import re

    from tqaudit.rules.numbers import _digit_groups

    plain = re.compile(
        r"([^\W\d_]-?|(?<![\d.,])[-\u2212\uff0d])?(\d(?:[.,:/'\u00a0\u202f\u2009 ]?\d)*)(\s?[%°％℃℉])?"
    )
    rng = random.Random(9)
    pieces = [
        "5",
        "12",
        "x",
        "É",
        "ж",
        "年",
        "_",
        "-",
        "−",
        "－",
        ".",
        ",",
        " ",
        "\u00a0",
        "%",
        "°",
        "３",
        "'",
        ":",
    ]
    texts = ["".join(rng.choices(pieces, k=rng.randrange(0, 14))) for _ in range(20_000)]
    texts += ["SU-100 and COVID-19", "-15°C, 5-7, 2,5 %", "A1 5 000 km", "x-5", ".-5"]
    found = [list(_digit_groups(t)) for t in texts]
    assert found == [plain.findall(t) for t in texts]
    assert sum(any(lead for lead, _, _ in f) for f in found) > 1000


@pytest.mark.parametrize(
    "source",
    ["会议在12号举行，共有300人参加。", "會議在12號舉行，共有300人參加。", "第12屆會議共有300人參加。"],
)
def test_a_day_or_rank_in_traditional_chinese_is_no_figure_dropped_alone(source: str) -> None:
    """`12號` (the 12th) and `第12屆` (the 12th session) are a date and a rank, as in
    simplified Chinese (`号`, `届`): a translation that leaves them implicit is not flagged."""
    rule = NumberMismatch()
    pair = rule._pair("zh", "en")
    assert [h.message for h in rule._compare(pair, source, "The meeting was held, with 300 people.")] == []


def _messages(src: str, tgt: str, source: str, target: str) -> list[str]:
    rule = NumberMismatch()
    return [hit.message for hit in rule._compare(rule._pair(src, tgt), source, target)]


def test_an_alias_pairs_only_numbers_left_over_by_exact_matches() -> None:
    # the 17s are each other's: 17 (the 17th century of a year) explains neither 1612 nor 1615
    source, target = "1612年（慶長17年）に江戸に移転。", "It moved to Edo in 1615 (Keicho 17)."
    assert _messages("ja", "en", source, target) == ["Number '1615' differs from the source's '1612'"]
    # the 1990s are each other's: `90` is not the `1990` of the target
    assert _messages("de", "en", "1990 kamen 90 Gäste.", "In 1990, 80 guests came.") == [
        "Number '80' differs from the source's '90'"
    ]
    # a free year still stands for its two digits and a decade (`20-х` = `1920s`)
    assert _messages("ru", "en", "В 20-х годах 1920 года не было.", "In the 1920s there was no 1920.") == []
    # a word that only accounts for a number (`eine` of `eine Lieferung`) matches no figure:
    # the hour `1pm` stays free for `13 Uhr`
    source, target = "We offer a Special Delivery 1pm service.", "Wir bieten eine Zustellung bis 13 Uhr."
    assert _messages("en", "de", source, target) == []


def test_a_number_written_once_less_with_one_digit_changed() -> None:
    source = "2021年、よく使われた絵文字ランキング 2021年、最も使用された絵文字トップ10！"
    target = "Emoji ranking 2041: the top 10 most used emoji of 2021!"
    assert _messages("ja", "en", source, target) == ["Number '2041' differs from the source's '2021'"]
    # written as often on both sides: nothing changed
    assert _messages("ja", "en", "2021年のトップ10", "The top 10 of 2021") == []


def test_a_figure_changed_where_a_word_stands_for_its_value() -> None:
    # `ein` stands for the `a`: the `1` is the changed `8`
    source, target = "Man bohrt zuerst ein 8 mm Loch.", "First, a 1 mm hole is drilled."
    assert _messages("de", "en", source, target) == ["Number '1' differs from the source's '8'"]
    # `a` stands for `Ein`: the `7` is the changed `1`
    source, target = "Ein Messlöffel entspricht 1 g.", "A spoon corresponds to 7 g."
    assert _messages("de", "en", source, target) == ["Number '7' differs from the source's '1'"]
    # the figure kept: the word accounts for nothing else
    assert _messages("de", "en", "Man bohrt ein 8 mm Loch.", "A 8 mm hole is drilled.") == []


def test_a_name_joined_to_a_number_with_its_digits_changed() -> None:
    assert _messages("cs", "en", "Byl testovaný na covid-19.", "He tested positive for Covid-17.") == [
        "Code 'Covid-17' differs from the source's 'covid-19'"
    ]
    # an inflected name (Czech `covidem`) is the same name
    assert _messages("cs", "en", "S covidem-19 se nepotýká.", "He is not dealing with Covid-39.") == [
        "Code 'Covid-39' differs from the source's 'covidem-19'"
    ]
    assert _messages("cs", "en", "Měl covid-19.", "He had COVID-19.") == []
