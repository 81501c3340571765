"""The fast BLEU statistics and 13a tokenizer give exactly sacrebleu's numbers and strings."""

from __future__ import annotations

from typing import Any

import pytest
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

from tqaudit.scoring.fastbleu import bleu_statistics, tokenize_13a

# Texts written for this test: repeated words and phrases (n-grams counted, not only
# matched), punctuation between digits and letters, entities, dashes, CJK, empty.
HYPS = [
    "The the cat sat on the mat, on the mat.",
    "Prices rose 2.5% to $1,200.50 in 2021-2022 (see p. 4).",
    'He said: "yes" -- and left... Then, again, again.',
    "Tom & Jerry &amp; friends &lt;3 &quot;quoted&quot;",
    "東京で会議が開かれた。参加者は 300 人。",
    "",
    "a a a a b b b",
    "x.y,z 1.5,6 a.5 5.a a,,b 1-2 x- -y e.g., U.S.",
    "Line with <skipped> mark and a hyphen-\nbreak",
    "Всё ещё 12,5 млн — «цитата», сказал он.",
]
REF_A = [
    "The cat sat on the mat.",
    "Prices rose 2.5 % to $1,200.50 in 2021 - 2022 (see page 4).",
    'He said "yes" and left. Then again.',
    'Tom and Jerry & friends <3 "quoted"',
    "東京で会議が開かれ、参加者は300人だった。",
    "Nothing here",
    "a a b b b b",
    "x.y, z 1.5, 6 a. 5 5. a a, b 1 - 2",
    "Line with a mark and a hyphen break",
    "Ещё 12,5 млн — «цитата», сказал он.",
]
REF_B: list[str | None] = [
    "On the mat the cat sat, the cat.",
    None,
    "He said yes and left, then again and again.",
    None,
    "会議は東京で開かれた。",
    "Here nothing",
    "a b a b a b",
    None,
    "A line with a hyphen-break",
    "Всё ещё 12,5 млн, сказал он.",
]


def _sacrebleu(metric: BLEU, hyps: list[str], refs: list[list[Any]]) -> list[list[int]]:
    out: list[list[int]] = []
    for i in range(len(hyps)):
        out.extend(metric._extract_corpus_statistics(hyps[i : i + 1], [r[i : i + 1] for r in refs]))
    return out


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"lowercase": True},
        {"tokenize": "intl"},
        {"tokenize": "zh"},
        {"tokenize": "char"},
        {"max_ngram_order": 6},
    ],
)
@pytest.mark.parametrize("two_refs", [False, True])
def test_statistics_equal_sacrebleu(options: dict[str, Any], two_refs: bool) -> None:
    refs: list[list[Any]] = [REF_A, REF_B] if two_refs else [REF_A]
    expected = _sacrebleu(BLEU(**options), HYPS, refs)
    assert bleu_statistics(BLEU(**options), HYPS, refs) == expected
    assert any(row[2] < row[2 + BLEU(**options).max_ngram_order] for row in expected)  # not all matched


def test_13a_tokenizer_equals_sacrebleus() -> None:
    tricky = [
        *HYPS,
        *REF_A,
        "..",
        ",.",
        "1.,a",
        "&amp;quot;",
        "a -\nb",
        "  spaced\tout  ",
        "{[(<x>)]}~`|\\^_",
    ]
    sacre = Tokenizer13a()
    assert [tokenize_13a(line) for line in tricky] == [sacre(line) for line in tricky]
