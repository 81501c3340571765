"""RP003-RP005 internals: the long-segment paths read the same repeats as the short ones."""

from __future__ import annotations

import itertools
import random
import re
import sys

import pandas as pd

from tqaudit.chunk import Chunk
from tqaudit.rules import load_rules
from tqaudit.rules.repetition import _WORD, _coded_periods, _codes, _gap, _layout, _pair_periods


def test_coded_periods_are_the_pair_periods() -> None:
    rng = random.Random(7)
    for size, vocabulary in ((50, 3), (300, 8), (3000, 40)):
        words = [f"w{rng.randrange(vocabulary)}" for _ in range(size)]
        for most in (1, 5, 200):
            assert _coded_periods(_codes(words), most) == _pair_periods(words, most)
    loop = "a b c " * 20
    assert _pair_periods(loop.split(), 200) == set(range(3, 58, 3))
    plain = ["a", "b", "c", "d"]
    assert _coded_periods(_codes(plain), 200) == _pair_periods(plain, 200) == set()


def test_layout_is_each_word_span_and_each_gap_folded() -> None:
    text = "  Straße,  STRASSE\tdon't — low-power\u00a0power; x"
    spans, gaps = _layout(text)
    assert spans == [m.span() for m in _WORD.finditer(text)]
    assert gaps == [_gap(text[a[1] : b[0]]) for a, b in itertools.pairwise(spans)]
    assert gaps == [", ", " ", " — ", " ", "; "]
    assert _layout("") == ([], [])
    assert _layout("...") == ([], [])


def test_run_reach_answers_as_the_list_of_runs_did() -> None:
    """RunReach (a Fenwick tree of maxima) against the scan of every run it replaced."""
    import random

    from tqaudit.rules.repetition import RunReach

    rng = random.Random(7)
    for _ in range(200):
        words = rng.randint(1, 60)
        runs: list[tuple[int, int]] = []
        reach = RunReach(words)
        for _ in range(rng.randint(0, 12)):
            start = rng.randrange(words)
            end = rng.randint(start + 1, words)
            runs.append((start, end))
            reach.add(start, end)
            i, end_asked = rng.randrange(words), rng.randint(1, words)
            assert (reach.reach(i) >= end_asked) == any(s <= i and end_asked <= e for s, e in runs)


def test_rows_left_out_by_the_shared_words_have_no_doubled_word_nor_loop() -> None:
    """RP001 and RP002 read only the targets that :func:`target_words` keeps (or that hold
    `İ`): on random texts of few words, case variants, hyphens, apostrophes and marks, every
    text their patterns match is kept."""
    from tqaudit.rules.repetition import (
        _FOLDS_APART,
        RepeatedWord,
        RepetitionLoop,
        _doubled,
        _repeating_words,
    )

    loop = RepetitionLoop()._loop
    rng = random.Random(11)
    vocabulary = ["go", "Go", "GO", "don't", "re-go", "ΣΑΣ", "σας", "istanbul", "İstanbul", "x", "2"]
    separators = [" ", " ", " ", ", ", "; ", "-", "'", ". ", "  "]
    doubled = loops = 0
    for _ in range(20000):
        text = "".join(rng.choice(vocabulary) + rng.choice(separators) for _ in range(rng.randint(1, 9)))
        words = _repeating_words(text)
        if RepeatedWord._pattern.search(text):
            doubled += 1
            assert _doubled(words) or _FOLDS_APART in text, text
        if loop.search(text):
            loops += 1
            assert words is not None or _FOLDS_APART in text, text
    assert doubled > 1000 and loops > 50  # both patterns were met often


def test_rows_left_out_by_the_shared_words_have_no_phrase_repeat() -> None:
    """RP003-RP005 read only the targets that :func:`target_words` keeps: a text left out
    has no repeat of two or more words; the runs of an ASCII text (hyphens and apostrophes
    split) leave out no text that its words keep."""
    from tqaudit.rules.repetition import _may_repeat, _repeating_words, _tandem_repeats, folded_words

    rng = random.Random(13)
    vocabulary = ["go", "Go", "on", "don't", "don", "t", "re-go", "re", "x", "2", "σας", "ΣΑΣ"]
    separators = [" ", " ", " ", ", ", "; ", "-", "'", ". ", "--", " '"]
    repeats = 0
    for _ in range(20000):
        pieces = [rng.choice(vocabulary) + rng.choice(separators) for _ in range(rng.randint(1, 9))]
        at = rng.randrange(len(pieces))
        pieces[at:at] = pieces[at : rng.randint(at, len(pieces))]  # perhaps a unit written twice
        text = "".join(pieces)
        words = folded_words(text)
        kept = _repeating_words(text)
        assert kept == (words if _may_repeat(words) else None), text
        if _tandem_repeats(text, 200, words):
            repeats += 1
            assert kept is not None, text
    assert repeats > 3000  # the repeats were met often


def test_every_loop_has_its_first_word_at_equal_distances_within_a_unit() -> None:
    """RP002 reads only the texts where :func:`_may_loop` finds a word ``min_repeats``
    times at equal distances of at most ``_LOOP_WORDS`` words: so does every text its
    pattern matches, on loops of units of one to ten words among random words."""
    from tqaudit.rules.repetition import _LOOP_WORDS, RepetitionLoop, _may_loop

    loop = RepetitionLoop()._loop
    rng = random.Random(17)
    vocabulary = ["go", "Go", "the", "don't", "re-go", "ΣΑΣ", "σας", "x2", "a", "b"]
    separators = [" ", " ", ", ", "; ", " ,", "-", "'", ". "]
    loops = 0
    for _ in range(5000):
        unit = [rng.choice(vocabulary) for _ in range(rng.randint(1, _LOOP_WORDS + 2))]
        copies = [" ".join(unit)] * rng.randint(4, 6)
        pieces = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        at = rng.randint(0, len(pieces))
        pieces[at:at] = copies
        text = "".join(p + rng.choice(separators) for p in pieces)
        if loop.search(text):
            loops += 1
            assert _may_loop(text, 4), text
    assert loops > 300  # the pattern was met often


def test_a_word_doubled_in_case_forms_that_fold_apart_is_found() -> None:
    from tqaudit.rules.repetition import _FOLDS_APART, _repeating_words

    text = "They flew to İstanbul istanbul on Monday."
    assert _FOLDS_APART in text and _repeating_words(text) is None  # folded, the words differ
    hits = list(
        load_rules()["RP001"]().check(
            Chunk.from_frame(pd.DataFrame({"source": ["Они улетели."], "target": [text]}))
        )
    )
    assert [(h.start, h.end) for h in hits] == [(13, 30)]


def _naive_tandem_repeats(words: list[str], max_words: int) -> list[tuple[int, int, int]]:
    """The definition of :func:`_tandem_repeats`, position by position: for each period
    from 1 up, the longest periodic run from each word, kept when it holds two copies, is
    inside no run kept before and its unit is no repeat of a shorter unit."""
    runs: list[tuple[int, int]] = []
    out: list[tuple[int, int, int]] = []
    for k in range(1, max_words + 1):
        i = 0
        while i + k < len(words):
            j = i
            while j + k < len(words) and words[j] == words[j + k]:
                j += 1
            end = j + k
            unit = words[i : i + k]
            periodic = any(k % p == 0 and unit[p:] == unit[:-p] for p in range(1, k // 2 + 1))
            if j > i and end - i >= 2 * k and not periodic and not any(s <= i and end <= e for s, e in runs):
                runs.append((i, end))
                if k >= 2:
                    out.append((i, k, end))
                i = end
            else:
                i += 1
    return out


def test_tandem_repeats_are_the_naive_search_on_short_and_long_segments() -> None:
    """The search reads only runs of positions long enough to hold two copies (numpy for a
    long segment): the same repeats as trying every word for every period."""
    from tqaudit.rules.repetition import _VECTOR_WORDS, _tandem_repeats

    rng = random.Random(5)
    for size, vocabulary, most in [(12, 2, 6), (40, 3, 10), (120, 5, 30), (30, 25, 10)] * 60 + [
        (_VECTOR_WORDS + 300, 6, 40)
    ] * 3:
        words = [f"w{rng.randrange(vocabulary)}" for _ in range(size)]
        if rng.random() < 0.5:  # a loop pasted in: long periodic runs
            at, unit = rng.randrange(size), words[: rng.randint(1, most)]
            words[at:at] = unit * rng.randint(2, 5)
        text = " ".join(words)
        assert _tandem_repeats(text, most, words) == _naive_tandem_repeats(words, most), text[:200]


def test_a_long_text_skips_the_count_and_finds_the_same_loops() -> None:
    """RP002 sends a text of 20,000 characters or more straight to its pattern: the loops
    found there are those of the short text, shifted."""
    import tqaudit
    from tqaudit.rules.repetition import _COUNT_BELOW

    short = "The military took the airport the airport the airport the airport. Никто не стрелял."
    filler = " ".join(f"word{i}" for i in range(_COUNT_BELOW // 6)) + " "
    assert len(filler) >= _COUNT_BELOW
    frame = pd.DataFrame(
        {"target": [short, filler + short, filler], "source": ["Военные заняли аэропорт."] * 3}
    )
    result = tqaudit.audit(frame, tqaudit.Config(select=("RP002",), fail_on="never"))
    found = sorted(zip(result.findings["segment_id"], result.findings["start"], strict=True))
    assert [(seg, start - (len(filler) if seg == "2" else 0)) for seg, start in found] == [
        ("1", 18),
        ("2", 18),
    ]


def test_folds_unlike_holds_every_character_whose_folding_could_move_a_word_edge() -> None:
    """:func:`folded_words` finds the words of the case-folded text at once unless the
    text has a character of ``_FOLDS_UNLIKE``: every other character folds to a run of word
    characters (a word character) or to one character of its own kind (a hyphen or
    apostrophe of ``_WORD``, or any other character), read from this Python's Unicode data;
    and none of them folds to ASCII, so a text whose folding is ASCII has none."""
    from tqaudit.rules.repetition import _FOLDS_UNLIKE

    def kind(c: str) -> str:
        return "word" if re.match(r"\w", c) else "joiner" if c in "-'’" else "other"

    for code in range(sys.maxunicode + 1):
        c = chr(code)
        folded, own = c.casefold(), kind(c)
        like = all(kind(f) == "word" for f in folded) if own == "word" else kind(folded) == own
        assert (folded and like) or _FOLDS_UNLIKE.match(c), hex(code)
        assert not _FOLDS_UNLIKE.match(c) or not folded.isascii(), hex(code)  # the ASCII shortcut


def test_folded_words_are_the_words_case_folded_one_by_one() -> None:
    """The one pass of :func:`folded_words` gives the words ``str.casefold`` makes of each
    word: on random texts of letters whose folding changes length (`ß`, `ŉ`), changes
    kind (`İ`, `ῷ`, Greek final sigma), dashes, apostrophes and hyphenated words."""
    from tqaudit.rules.repetition import folded_words

    rng = random.Random(5)
    pieces = [
        "Straße",
        "STRASSE",
        "İstanbul",
        "ŉ",
        "ῷ",
        "ΐ",
        "ΣΑΣ",
        "ς",
        "don't",
        "l’eau",
        "re-do",
        "x",
        "7",
        "ǅ",
    ]
    marks = [" ", "-", "--", "'", "’", "—", ", ", "\u0307", "\u0345", ""]
    texts = ["Ｉstanbul İİ", "ß-ß ß'ß", "a\u0345b a\u0345b"]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(marks) for _ in range(rng.randint(1, 8))) for _ in range(5000)
    ]
    for text in texts:
        assert folded_words(text) == [w.casefold() for w in _WORD.findall(text)], text


def test_possessive_word_pattern_splits_as_the_backtracking_one() -> None:
    """``_WORD`` is possessive (nothing follows a word in it, so the first match is the
    longest): its words and what ``split`` leaves between them are those of the plain
    pattern, on random runs of letters, digits, hyphens, apostrophes and marks."""
    plain = re.compile(r"\w+(?:[-'’]\w+)*")
    rng = random.Random(3)
    alphabet = ["a", "Б", "ß", "7", "_", "-", "'", "’", "--", " ", ".", "İ", "\u0307", "—"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    for text in [*texts, "don't-stop re--do 'quoted' x-", "a-'b c'-d"]:
        assert _WORD.findall(text) == plain.findall(text), text
        assert _WORD.split(text) == plain.split(text), text


def test_a_loop_in_case_forms_that_fold_apart_is_found() -> None:
    """RP002's count of words at equal distances reads the case folding, where `İstanbul` is
    two words (`i̇stanbul`): such a text goes to the loop pattern without it."""
    chunk = Chunk.from_frame(
        pd.DataFrame(
            {
                "segment_id": ["1"],
                "doc_id": [""],
                "source": ["Они улетели в Стамбул сегодня."],
                "target": ["They flew to İstanbul istanbul istanbul istanbul today."],
                "src_lang": ["ru"],
                "tgt_lang": ["en"],
            }
        )
    )
    rule = load_rules()["RP002"]()
    rule.prepare()
    hits = list(rule.check(chunk))
    assert [(h.start, h.end) for h in hits] == [(13, 48)]
