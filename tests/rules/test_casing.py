"""CS001 on segments that are documents of their own: a segment of a caseless source that
stands alone starts a sentence, unless it reads as the continuation of another one."""

from __future__ import annotations

import pandas as pd

import tqaudit


def _flagged(rows: list[tuple[str, str, str]]) -> set[str]:
    """The documents whose target CS001 flags; each row is a document of its own, between
    two other documents (a chunk's first and last rows cannot tell what surrounds them)."""
    edge = ("edge", "。", "Edge.")
    rows = [edge, *rows, edge]
    frame = pd.DataFrame(
        {
            "segment_id": [f"{i}" for i in range(len(rows))],
            "doc_id": [f"{r[0]}-{i}" for i, r in enumerate(rows)],
            "source": [r[1] for r in rows],
            "target": [r[2] for r in rows],
            "src_lang": ["ja"] * len(rows),
            "tgt_lang": ["en"] * len(rows),
        }
    )
    findings = tqaudit.audit(frame, tqaudit.Config(select=("CS001",), fail_on="never")).findings
    return {doc.split("-")[0] for doc in frame.set_index("segment_id").loc[findings["segment_id"], "doc_id"]}


def test_a_fragment_alone_starts_a_sentence() -> None:
    assert _flagged(
        [
            ("fragment", "リンメルの通販なら", "if you're looking for Rimmel mail order"),
            ("heading", "人気アイテムを取り揃え", "a selection of popular items available"),
        ]
    ) == {"fragment", "heading"}


def test_a_continuation_alone_is_left_alone() -> None:
    assert (
        _flagged(
            [
                ("conjunction", "そして誰も気づかない", "and nobody notices"),
                ("infinitive", "DVDプレイヤーを買うために", "to buy a DVD player"),
                ("particle", "専門的にはアンデスのフィールドワークあたりが", "fieldwork in the Andes"),
                ("comma", "最新情報をいち早く知りたいなら、", "want the news first,"),
                ("brand", "iPhoneの新しい機能", "iPhone's new features"),
            ]
        )
        == set()
    )
