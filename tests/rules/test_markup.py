"""MK001/MK002 internals: a generic entity name filtered by the list of entities matches as
the alternation of every entity name did."""

from __future__ import annotations

import random
import re
from html.entities import html5

import pandas as pd

from tqaudit.chunk import Chunk
from tqaudit.rules import load_rules
from tqaudit.rules.base import trie_alternation

_BODY = (
    rf"(?:{trie_alternation(sorted({n.rstrip(';') for n in html5}))}|#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}})"
)
OLD = {
    "MK001": re.compile(rf"&[ \t\u00a0]+(?P<body>{_BODY});"),
    "MK002": re.compile(rf"&(?P<body>{_BODY});"),
}


def _texts(n: int) -> list[str]:
    """Texts of entity names (real, cut, lengthened, unknown, over-long), numbers and
    separators, with `&`, spaces, no-break spaces, tabs and `;` around them."""
    rng = random.Random(5)
    names = sorted({x.rstrip(";") for x in html5})
    pieces = ["&", "& ", "&\u00a0", "&\t", "&  ", ";", " ", "x", "#", "#x", "R", "D", "AT"]
    words = [
        *rng.sample(names, 60),
        "notin",
        "not",
        "amp",
        "ampx",
        "foo",
        "CounterClockwiseContourIntegral",
        "CounterClockwiseContourIntegralX",
        "a" * 40,
        "8212",
        "x2014",
        "X1F600",
        "12345678",
    ]
    out = []
    for _ in range(n):
        out.append("".join(rng.choice(pieces) + rng.choice(words) for _ in range(rng.randint(1, 8))))
    return out


def test_entity_rules_match_as_the_alternation_of_every_name() -> None:
    texts = _texts(4000)
    chunk = Chunk.from_frame(
        pd.DataFrame(
            {
                "segment_id": [str(i) for i in range(len(texts))],
                "doc_id": [""] * len(texts),
                "source": [""] * len(texts),
                "target": texts,
                "src_lang": ["en"] * len(texts),
                "tgt_lang": ["de"] * len(texts),
            }
        )
    )
    found = 0
    for code, old in OLD.items():
        rule = load_rules()[code]()
        rule.prepare()
        new = [(h.row, h.start, h.end) for h in rule.check(chunk)]
        expected = [(row, m.start(), m.end()) for row, text in enumerate(texts) for m in old.finditer(text)]
        assert new == expected, code
        found += len(new)
    assert found > 200  # entities were met often


def test_mojibake_edits_of_a_long_text_are_its_stretches() -> None:
    # past _ALIGN_CHARS the edits are the signature stretches re-decoded (difflib's alignment
    # of a long repetitive text with its repair is cubic); they give ftfy's repair
    from tqaudit.io.formats.common import splice
    from tqaudit.rules.markup import _ALIGN_CHARS, _mojibake_edits

    text = "cafÃ© au lait, " * 200
    assert len(text) > _ALIGN_CHARS
    edits = _mojibake_edits(text)
    assert len(edits) == 200 and {repair for _, _, repair in edits} == {"é"}
    assert splice(text, edits) == "café au lait, " * 200
    # a short text is aligned as before: the stretches across a space joined into one edit
    assert _mojibake_edits("Ã© Ã©") == [(0, 5, "é é")]
