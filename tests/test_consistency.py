"""Consistency rules (CN001-CN004) on corpora the tests write: planted inconsistencies of
each kind, with and without documents, split into chunks, across worker processes and across
several inputs with and without pooling; and a clean corpus that must raise nothing."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
import tqaudit.engine as engine
from tqaudit.audit import audit_pooled
from tqaudit.cli import app
from tqaudit.config import Config
from tqaudit.findings import related_segments
from tqaudit.rules.consistency import Variant

CN = Config(select=("CN",), fail_on="never")

# (source, target): a feed about one visit, with one planted inconsistency of each kind
PLANTED = [
    ("Токаев прибыл в Москву с официальным визитом.", "Tokayev arrived in Moscow on an official visit."),
    ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel"),
    ("Саммит ОДКБ пройдёт в Москве в ноябре.", "The CSTO summit will be held in Moscow in November."),
    ("Токаев провёл переговоры с Путиным.", "Tokaev held talks with Putin."),
    ("Цены на газ выросли на 5% за год.", "Gas prices rose by 5% over the year."),
    ("Подписывайтесь на наш канал в Telegram", "Follow our channel in Telegram"),
    ("Войска ОДКБ покинут страну в январе.", "ODKB troops will leave the country in January."),
    ("Цены на газ выросли на 7% за год.", "Gas prices rose by 5% over the year."),
    ("Касым-Жомарт Токаев выступил с речью.", "Kassym-Jomart Tokayev gave a speech."),
    ("Выступил президент Касым-Жомарт Токаев.", "President Kasym-Zhomart Tokayev spoke."),
    ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel"),
    ("Решение ОДКБ поддержали все страны.", "All countries supported the CSTO decision."),
]
# (rule, segment, the segments its message names): one finding per planted group
EXPECTED = [
    ("CN003", "4", ["1", "9", "10"]),  # Tokaev beside Tokayev ×3
    ("CN001", "6", ["2", "11"]),  # Follow… beside Subscribe… ×2
    ("CN004", "7", ["3", "12"]),  # ODKB beside CSTO ×2
    ("CN002", "8", ["5"]),  # 7% translated as the 5% sentence
    ("CN003", "10", ["9"]),  # Kasym-Zhomart beside Kassym-Jomart
]
# the same story told consistently: nothing to report
CLEAN = [
    ("Токаев прибыл в Москву с официальным визитом.", "Tokayev arrived in Moscow on an official visit."),
    ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel"),
    ("Саммит ОДКБ пройдёт в Москве в ноябре.", "The CSTO summit will be held in Moscow in November."),
    ("Токаев провёл переговоры с Путиным.", "Tokayev held talks with Putin."),
    ("Цены на газ выросли на 5% за год.", "Gas prices rose by 5% over the year."),
    ("Подписывайтесь на наш канал в Telegram", "Subscribe to our Telegram channel"),
    ("Войска ОДКБ покинут страну в январе.", "CSTO troops will leave the country in January."),
    ("Цены на газ выросли на 7% за год.", "Gas prices rose by 7% over the year."),
    ("Касым-Жомарт Токаев выступил с речью.", "Kassym-Jomart Tokayev gave a speech."),
    ("Выступил президент Касым-Жомарт Токаев.", "President Kassym-Jomart Tokayev spoke."),
    ("Казахстан и Россия подписали соглашение.", "Kazakhstan and Russia signed an agreement."),
    ("Экспорт Казахстана вырос на треть.", "Exports of Kazakhstan grew by a third."),
]


def _frame(rows: list[tuple[str, str]], **columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"source": [s for s, _ in rows], "target": [t for _, t in rows], **columns})


def _found(findings: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    columns = (findings["rule"], findings["segment_id"], findings["message"])
    return [(rule, sid, related_segments(message)) for rule, sid, message in zip(*columns, strict=True)]


def test_each_planted_inconsistency_is_one_finding() -> None:
    findings = tqaudit.audit(_frame(PLANTED), CN).findings
    assert _found(findings) == EXPECTED
    assert set(findings["category"]) == {"consistency"}
    names = findings[findings["rule"] == "CN003"]
    assert names["excerpt"].iloc[0].startswith("Tokaev held")
    assert names["suggestion"].tolist() == ["Tokayev", "Kassym-Jomart"]


def test_a_clean_corpus_raises_nothing() -> None:
    assert tqaudit.audit(_frame(CLEAN), CN).findings.empty


@pytest.mark.parametrize("size", [1, 2, 5, 7, 100])
def test_findings_do_not_depend_on_the_chunk_size(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    whole = tqaudit.audit(_frame(PLANTED), CN).findings
    monkeypatch.setattr(engine, "CHUNK_SIZE", size)
    assert tqaudit.audit(_frame(PLANTED), CN).findings.equals(whole)


def test_findings_do_not_depend_on_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(PLANTED * 5)  # repeated: every group larger, ids still unique
    whole = tqaudit.audit(frame, CN).findings
    monkeypatch.setattr(engine, "CHUNK_SIZE", 4)
    spread = tqaudit.audit(frame, CN.replace(jobs=2)).findings
    assert spread.equals(whole)
    assert len(whole) == len(EXPECTED)
    # Tokayev ×15 and Tokaev ×5: ten of each located, the other five counted
    named = "(see segments 1, 9, 10, 13, 16, 21, 22, 25, 28, 33, 34, 37, 40, 52 and 5 more)"
    assert whole["message"].iloc[0].endswith(named)


def test_state_is_small_and_picklable() -> None:
    rules = engine.build_rules(CN)
    chunk = tqaudit.chunk.Chunk.from_frame(tqaudit.segments.normalize(_frame(PLANTED)))
    states = engine.collect(rules, chunk, 0)
    assert set(states) == {"CN001", "CN002", "CN003", "CN004"}
    assert pickle.loads(pickle.dumps(states)).keys() == states.keys()
    # CN001 keeps three numbers per segment with a long enough source, and no text at all
    long_sources = [s for s, _ in PLANTED if len(s.split()) >= 4]
    assert len(states["CN001"]) == len(long_sources) == len(PLANTED)
    assert b"Telegram" not in pickle.dumps(states["CN001"])


def test_documents_are_checked_apart() -> None:
    docs = ["a"] * 6 + ["b"] * 6
    findings = tqaudit.audit(_frame(PLANTED, doc_id=docs), CN).findings
    # a holds 1-6, b 7-12: the 5%/7% sentences and two of three Subscribe lines part; in b,
    # ODKB (7) and CSTO (12) tie, and the later one is reported against the first
    assert _found(findings) == [
        ("CN003", "4", ["1"]),
        ("CN001", "6", ["2"]),
        ("CN003", "10", ["9"]),
        ("CN004", "12", ["7"]),
    ]
    assert "in this document" in findings["message"].iloc[0]


def test_one_finding_per_group_not_per_segment() -> None:
    """A corpus joining two systems' outputs without doc_id (the issue's flood)."""
    sources = [f"Предложение номер {i} о ценах на газ в регионе." for i in range(50)]
    one = [f"Sentence number {i} on gas prices in the region." for i in range(50)]
    other = [f"Proposal No. {i} about gas prices in the region." for i in range(50)]
    frame = pd.DataFrame({"source": sources * 2, "target": one + other})
    findings = tqaudit.audit(frame, Config(select=("CN001",))).findings
    assert len(findings) == 50
    assert findings["segment_id"].tolist() == [str(i) for i in range(51, 101)]


def test_pairs_without_words_are_not_grouped_and_an_empty_value_is_a_variant() -> None:
    """CN001 with ``min_words = 0`` still leaves out sources without words (two sources of
    only spaces are not one sentence), and an empty target is a way of translating one."""
    sources = ["  ", " ", "Подписывайтесь на канал", "Подписывайтесь на канал"]
    targets = ["Subscribe", "Follow", "Subscribe to the channel", " "]
    config = Config(select=("CN001",), rule_options={"CN001": {"min_words": 0}})
    findings = tqaudit.audit(pd.DataFrame({"source": sources, "target": targets}), config).findings
    assert _found(findings) == [("CN001", "4", ["3"])]


def test_key_is_the_folded_text_with_whitespace_collapsed() -> None:
    """CN001/CN002's ``_key`` keeps a printable folded text with single spaces as it is:
    that is its split-and-joined form, as no whitespace but the ASCII space is printable."""
    from tqaudit.rules.consistency import _key

    assert not [c for c in map(chr, range(0x110000)) if c.isspace() and c.isprintable() and c != " "]
    texts = ["Straße  Nr. 5", " a b", "a b ", "a\tb", "a\u00a0b", "a\u3000b", "a\u2028b", "a\x1cb", "a\x85b"]
    texts += ["", " ", "One sentence, as most are.", "ΣΊΣΥΦΟΣ", "\u0130stanbul"]
    assert [_key(t) for t in texts] == [" ".join(t.casefold().split()) for t in texts]
    assert _key("Straße  Nr. 5") == "strasse nr. 5"


@pytest.mark.parametrize("size", [1, 4])
def test_sources_that_differ_only_in_punctuation_are_one_variant(
    monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """CN002 hashes sources by case and spacing and tells them apart by their words only
    when it finishes: `год!` and `год.` are one source, `месяц` another, across chunks."""
    monkeypatch.setattr(engine, "CHUNK_SIZE", size)
    target = "Gas prices rose over the last year."
    sources = [
        "Цены на газ выросли за год!",
        "Цены на газ выросли за год.",
        "цены на газ  выросли за год",
        "Цены на газ выросли за месяц.",
    ]
    same = pd.DataFrame({"source": sources[:3], "target": [target] * 3})
    assert tqaudit.audit(same, Config(select=("CN002",))).findings.empty
    frame = pd.DataFrame({"source": sources, "target": [target] * 4})
    findings = tqaudit.audit(frame, Config(select=("CN002",))).findings
    assert _found(findings) == [("CN002", "4", ["1", "2", "3"])]
    listed = "'Цены на газ выросли за год!' ×3, 'Цены на газ выросли за месяц.' ×1 here"
    assert listed in findings["message"][0]


def _tsv(path: Path, rows: list[tuple[str, str]], first_id: int = 1) -> Path:
    frame = _frame(rows)
    frame.insert(0, "id", [f"s{i}" for i in range(first_id, first_id + len(rows))])
    frame.to_csv(path, sep="\t", index=False)
    return path


def test_inputs_alone_or_pooled(tmp_path: Path) -> None:
    # the planted feed cut in two: the 5%/7% pair is cut apart, other groups lose members
    a = _tsv(tmp_path / "a.tsv", PLANTED[:5])
    b = _tsv(tmp_path / "b.tsv", PLANTED[5:])
    alone = [tqaudit.audit(path, CN).findings for path in (a, b)]
    assert _found(alone[0]) == [("CN003", "s4", ["s1"])]
    assert [rule for rule, _, _ in _found(alone[1])] == ["CN003", "CN001", "CN004"]
    pooled = audit_pooled([(a, CN), (b, CN)], ["a.tsv", "b.tsv"])
    assert [len(r.findings) for r in pooled] == [1, 4]
    assert _found(pooled[0].findings) == [("CN003", "s4", ["s1", "b.tsv:s4", "b.tsv:s5"])]
    assert _found(pooled[1].findings) == [
        ("CN001", "s1", ["a.tsv:s2", "s6"]),
        ("CN004", "s2", ["a.tsv:s3", "s7"]),
        ("CN002", "s3", ["a.tsv:s5"]),
        ("CN003", "s5", ["s4"]),
    ]
    assert pooled[0].segments["segment_id"].tolist() == ["s1", "s2", "s3", "s4", "s5"]


def test_cli_pools_on_request(tmp_path: Path) -> None:
    a = _tsv(tmp_path / "a.tsv", PLANTED[:5])
    b = _tsv(tmp_path / "b.tsv", PLANTED[5:])
    runner = CliRunner()
    base = ["audit", str(a), str(b), "--select", "CN", "--format", "csv", "--out", str(tmp_path / "r")]

    def counts(*extra: str) -> list[int]:
        result = runner.invoke(app, [*base, *extra, "--output-format", "json", "-q"])
        assert result.exit_code == 0, result.output
        folders = sorted((tmp_path / "r").rglob("findings.csv"))
        return [len(pd.read_csv(f)) for f in folders]

    assert counts() == [1, 3]
    assert counts("--pool") == [1, 4]
    (tmp_path / "tqaudit.toml").write_text("pool = true\n", "utf-8")
    assert counts("--config", str(tmp_path / "tqaudit.toml")) == [1, 4]
    assert counts("--config", str(tmp_path / "tqaudit.toml"), "--no-pool") == [1, 3]


def test_pair_state_keeps_corpus_order_across_merges() -> None:
    """Rows merged chunk after chunk come back per group in corpus order; a group read
    one way is not reported; each variant has the text of its first occurrence."""
    import numpy as np

    from tqaudit.chunk import SegmentRow
    from tqaudit.rules.base import Inputs
    from tqaudit.rules.consistency import PairRows, _pair_variants, merge_pairs

    def state(groups: list[int], variants: list[int], positions: list[int]) -> PairRows:
        arrays = (np.array(groups, np.uint64), np.array(variants, np.uint64), np.array(positions, np.int64))
        return PairRows([arrays])

    def chunks() -> list[PairRows]:  # merging consumes the states: fresh ones for each merge
        return [
            state([1, 2], [10, 20], [0, 1]),
            state([1, 1, 3], [11, 10, 30], [2, 3, 4]),
            state([2, 3], [20, 31], [5, 6]),
        ]

    merged = merge_pairs(chunks())
    assert len(merged) == 7
    groups = [(v.tolist(), p.tolist()) for v, p in merged.several_ways()]
    assert groups == [([10, 11, 10], [0, 2, 3]), ([30, 31], [4, 6])]  # group 2: one way only
    texts = {0: "Alpha", 2: "Beta", 3: "alpha", 4: "Gamma", 6: "Delta"}
    rows = {pos: SegmentRow(f"s{pos}", "d", "", text) for pos, text in texts.items()}
    lookup = Inputs(lookup=lambda wanted: ((p, rows[p]) for p in sorted(wanted)))
    found = list(_pair_variants(merge_pairs(chunks()), lookup, "target"))
    one = found[0][1]
    assert [(v.text, v.count, [w[0] for w in v.where]) for v in one.values()] == [
        ("Alpha", 2, [0, 3]),
        ("Beta", 1, [2]),
    ]
    assert found[0][0] == "d" and [v.text for v in found[1][1].values()] == ["Gamma", "Delta"]
    # rows whose positions are not in corpus order (never the engine's) are put in order
    shuffled = state([3, 1, 2, 1, 3, 1, 2], [31, 10, 20, 11, 30, 10, 20], [6, 3, 5, 2, 4, 0, 1])
    assert [(v.tolist(), p.tolist()) for v, p in shuffled.several_ways()] == groups


def test_refined_groups_hash_their_rows_read_back_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pair state's groups hashed again by a coarser form (CN002's sources without
    punctuation): a group whose rows all read one way is dropped, the others keep their
    positions with the new hashes (0 for an empty form), whatever the batch size."""
    import numpy as np

    from tqaudit.chunk import SegmentRow
    from tqaudit.rules import consistency
    from tqaudit.rules.base import Inputs

    monkeypatch.setattr(consistency, "_REFINE_BATCH", 2)
    texts = {0: "Да!", 1: "Нет.", 2: "да.", 4: "Да?", 5: "...", 7: "нет"}
    rows = {pos: SegmentRow(f"s{pos}", "d", text, "") for pos, text in texts.items()}
    inputs = Inputs(lookup=lambda wanted: ((p, rows[p]) for p in sorted(wanted)))
    found = [
        (np.array([1, 2, 3], np.uint64), np.array([0, 2, 4])),  # one way without punctuation
        (np.array([4, 5, 6], np.uint64), np.array([1, 5, 7], np.int32)),  # Нет, (empty), нет
    ]
    [(variants, positions)] = consistency._refined(found, inputs, "source", consistency._loose_key)
    assert positions.tolist() == [1, 5, 7]
    assert variants[0] == variants[2] != variants[1] == 0


def test_names_are_reported_per_document_as_the_read_back_closes_it() -> None:
    """CN003 reads its candidate documents back in one pass and reports each when the pass
    has read its last row: the first document's finding comes before the third is read."""
    from tqaudit.chunk import Chunk, SegmentRow
    from tqaudit.rules.base import Inputs

    docs = ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    sources = ["Токаев прибыл в Москву.", "Токаев провёл переговоры.", "Токаев выступил."] * 3
    targets = ["Tokayev arrived in Moscow.", "Tokaev held talks.", "Tokayev spoke."] * 3
    chunk = Chunk(
        ids=tuple(f"s{i}" for i in range(9)),
        doc_ids=tuple(docs),
        sources=tuple(sources),
        targets=tuple(targets),
        src_langs=("ru",) * 9,
        tgt_langs=("en",) * 9,
        positions=tuple(range(9)),
    )
    rule = engine.build_rules(Config(select=("CN003",)))[0]
    read: list[int] = []

    def lookup(wanted: object) -> Iterator[tuple[int, SegmentRow]]:
        for pos in sorted(wanted):  # type: ignore[call-overload]
            read.append(pos)
            yield pos, SegmentRow(chunk.ids[pos], docs[pos], sources[pos], targets[pos])

    hits = rule.finish(rule.merge([rule.collect(chunk)]), Inputs(lookup=lookup))
    first = next(hits)
    assert first.pos == 1 and read == [0, 1, 2]  # document a reported, b and c not read yet
    assert [h.pos for h in hits] == [4, 7] and read == list(range(9))


def test_names_read_back_are_only_the_rows_of_names_that_may_make_a_finding() -> None:
    """CN003 reads back the rows of a skeleton with two spellings or sharing a block with
    another, not every row of their document: a row whose names have one spelling each
    (Macron, Moscow) is not read."""
    from tqaudit.chunk import Chunk, SegmentRow
    from tqaudit.rules.base import Inputs

    sources = ["Токаев прибыл.", "Макрон прибыл в Москву.", "Токаев провёл переговоры.", "Токаев выступил."]
    targets = ["Tokayev arrived.", "Macron arrived in Moscow.", "Then Tokaev held talks.", "Tokayev spoke."]
    chunk = Chunk(
        ids=tuple(f"s{i}" for i in range(4)),
        doc_ids=("d",) * 4,
        sources=tuple(sources),
        targets=tuple(targets),
        src_langs=("ru",) * 4,
        tgt_langs=("en",) * 4,
        positions=tuple(range(4)),
    )
    rule = engine.build_rules(Config(select=("CN003",)))[0]
    read: list[int] = []

    def lookup(wanted: object) -> Iterator[tuple[int, SegmentRow]]:
        for pos in sorted(wanted):  # type: ignore[call-overload]
            read.append(pos)
            yield pos, SegmentRow(chunk.ids[pos], "d", sources[pos], targets[pos])

    hits = list(rule.finish(rule.merge([rule.collect(chunk)]), Inputs(lookup=lookup)))
    assert read == [0, 2, 3]
    [hit] = hits
    assert (hit.pos, hit.start, hit.end, hit.suggestion) == (2, 5, 11, "Tokayev")
    assert hit.message.endswith("'Tokayev' ×2, 'Tokaev' ×1 here (see segments s0, s3)")


def test_pair_positions_past_32_bits_stay_exact() -> None:
    """CN001 keeps positions in 32 bits while they fit; a chunk placed past 2**31 keeps
    them in 64, and merged with a small chunk every position comes back exact."""
    import dataclasses

    from tqaudit.chunk import Chunk
    from tqaudit.rules import RULES, load_rules
    from tqaudit.rules.consistency import merge_pairs
    from tqaudit.segments import normalize

    load_rules()
    rule = RULES["CN001"](None, None)
    source = "Подписывайтесь на наш канал в Telegram"
    table = normalize(pd.DataFrame({"source": [source] * 2, "target": ["Subscribe to us", "Follow us"]}))

    def placed(start: int) -> Chunk:
        chunk = Chunk.from_frame(table)
        return dataclasses.replace(chunk, positions=tuple(range(start, start + len(chunk))))

    small, large = rule.collect(placed(0)), rule.collect(placed(2**31 + 5))
    assert small.parts[0][2].dtype.itemsize == 4 and large.parts[0][2].dtype.itemsize == 8
    [(_, positions)] = list(merge_pairs([small, large]).several_ways())
    assert positions.tolist() == [0, 1, 2**31 + 5, 2**31 + 6]


def test_names_collected_in_bulk_are_those_the_read_back_finds() -> None:
    """CN003's ``collect`` reads a chunk's names in bulk (each row's distinct words, the
    source names only where a long name may render one): its words are those of each
    match, and its tags those :meth:`add_row` gives the variants when the rule finishes, for
    names at the text start, after a full stop or a quotation mark, repeated (once opening
    a sentence, once inside one), hyphenated, in aligned and unaligned rows."""
    from tqaudit.chunk import Chunk, SegmentRow
    from tqaudit.rules.consistency import NameVariants

    targets = [
        "Tokayev met Tokaev. Tokayev said «Kazakhstan» is Kassym-Jomart's home.",
        "nothing here at all.",
        "Zelensky and Zelenskyy met Macron; Macron left. Zelensky stayed with Scholz.",
        "«Maribel Ortega» said Ortega would go to Madrid, then Madrid again.",
        "Maribel Ortega, Ortega, ORTEGA and Ortegas.",
        "Kazakhstan. Then the Kazakhstan team. Kazakhstan!",
    ]
    sources = [
        "Токаев встретился с Токаевым. Казахстан — дом Касым-Жомарта.",
        "Ничего.",
        "Zelensky traf Macron. Scholz blieb.",
        "Maribel Ortega dijo que iría a Madrid.",
        "",
        "Казахстан.",
    ]
    n = len(targets)
    chunk = Chunk(
        ids=tuple(map(str, range(n))),
        doc_ids=("d",) * n,
        sources=tuple(sources),
        targets=tuple(targets),
        src_langs=("ru", "ru", "de", "es", "", "ru"),
        tgt_langs=("en",) * n,
        positions=tuple(range(n)),
    )
    rule = NameVariants(options={"fuzzy_length": 6})
    rows, names = rule._words(chunk)
    assert rows == [0, 2, 3, 4, 5]
    assert names == [[m[1] for m in rule._pattern.finditer(targets[row])] for row in rows]
    documents: dict[str, dict[str, tuple[Variant, str]]] = {}
    for row in range(n):
        rule.add_row(documents, SegmentRow(str(row), "d", sources[row], targets[row]), row)
    spellings = documents["d"]
    expected = {
        ("d", key, tag) for variant, key in spellings.values() if len(key) >= 6 for tag in variant.tags
    }
    long = {word: key for word, (_, key) in spellings.items() if len(key) >= 6}
    assert rule._tagged(chunk, rows, names, long) == expected
    assert ("d", "kazahstan", "kazah") in expected  # row 5's second one is inside a sentence
    assert not [t for t in expected if t[1] == "maribel"]  # it opens a text and a quotation


def test_inside_names_are_the_names_that_open_nothing() -> None:
    """CN003's pattern of the names that open no sentence, quotation or text matches
    exactly the names :func:`_initial` does not call initial, in every context it reads:
    the text start, one to three characters in, openers, several spaces of any kind."""
    from tqaudit.rules.consistency import NameVariants, _initial

    rule = NameVariants()
    texts = [
        "Tokayev met Tokaev. Tokayev said «Kazakhstan» is Kassym-Jomart's home.",
        "A Tokayev, B  Tokayev, C   Tokayev, D\tTokayev, E\u00a0\u00a0Tokayev, (Tokayev) [ Tokayev",
        " Tokayev",
        "  Tokayev",
        "x Tokayev",
        "x\nTokayev",
        "?  Tokayev",
        ";Tokayev",
        "“Tokayev”, —Tokayev",
        "Tokayev-Jomart and Mr-Tokayev, Tokayev's, Tokayev’s Tokayev2 O'Tokayev",
    ]
    for text in texts:
        inside = [(m.start(), m[1]) for m in rule._inside.finditer(text)]
        matched = rule._pattern.finditer(text)
        assert inside == [(m.start(), m[1]) for m in matched if not _initial(text, m.start())], text
    assert len(rule._inside.findall(texts[1])) == 4  # A, B, D and E's; not C's (3 spaces) or the bracketed


def test_ascii_names_fold_as_every_text_does() -> None:
    """``_fold`` of an ASCII text (every name of a target) is only lowered and stripped of
    what is not a letter: the case-folded, transliterated, decomposed letters of the
    general path."""
    import unicodedata

    from tqaudit.rules.consistency import _NOT_LETTER, _TRANSLITERATE, _fold

    def general(text: str) -> str:
        return _NOT_LETTER.sub("", unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATE)))

    texts = ["".join(map(chr, range(128))), "Kassym-Jomart", "O'Neil", "McDonald's", "Tokayev2", "", "Zürich"]
    assert [_fold(t) for t in texts] == [general(t) for t in texts]
    assert _fold("Kassym-Jomart") == "kassymjomart"


def test_a_long_source_is_read_for_its_names_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """CN003's per-source cache keeps short sources only (it holds its texts): a long one
    is read again each time it is asked, a short one once."""
    from tqaudit.rules import consistency
    from tqaudit.rules.base import CACHED_CHARS

    pattern, read = consistency._SOURCE_NAME, []

    class Counting:
        @staticmethod
        def findall(text: str) -> list[str]:
            read.append(text)
            return pattern.findall(text)

    monkeypatch.setattr(consistency, "_SOURCE_NAME", Counting)
    short = "Токаев прибыл в Астану (test of the cache)."
    long = short + " Казахстан" * (CACHED_CHARS // 10)
    assert (
        consistency._source_names(long)
        == consistency._source_names(long)
        == {"to": "tokae", "as": "astan", "ka": "kazah"}
    )
    assert (
        consistency._source_names(short) == consistency._source_names(short) == {"to": "tokae", "as": "astan"}
    )
    assert read == [long, long, short]


def test_columns_transpose_rows_and_keep_the_width_without_rows() -> None:
    from tqaudit.rules.consistency import _columns

    rows = [("d1", "Tokayev", "tokaev"), ("d1", "Tokaev", "tokaev"), ("d2", "Macron", "macron")]
    assert _columns(iter(rows), 3) == [
        ["d1", "d1", "d2"],
        ["Tokayev", "Tokaev", "Macron"],
        ["tokaev"] * 2 + ["macron"],
    ]
    assert _columns(iter([]), 3) == [[], [], []]
    with pytest.raises(ValueError):
        _columns(iter([("a", "b"), ("c",)]), 2)
