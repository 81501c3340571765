"""Streaming: inputs read chunk by chunk, segments kept out of memory, reports written in pieces.

An audit must give the same reports whatever the chunk size, and a streamed read must give
the same table as a whole read; the input is read only as far as the audit has come.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit import engine, store
from tqaudit.cli import app
from tqaudit.errors import InputError
from tqaudit.executor import in_order
from tqaudit.io.formats import delimited
from tqaudit.io.readers import count_rows, read_chunks, read_segments
from tqaudit.report import csv as csv_report
from tqaudit.report import parquet as parquet_report
from tqaudit.report import write_reports
from tqaudit.store import SegmentStore, StoredChunk

DATA = Path(__file__).resolve().parent.parent / "data"


def _sample() -> pd.DataFrame:
    return read_segments(DATA / "sample-feed.tsv")


def _write_inputs(folder: Path) -> dict[str, Path]:
    """The sample feed as plain text (with source and reference files), JSON Lines and Parquet."""
    table = _sample()
    paths = {name: folder / name for name in ("hyp.txt", "src.txt", "ref.txt", "feed.jsonl")}
    # CRLF ends, a BOM, and no newline after the last line: what a streamed read must keep
    paths["hyp.txt"].write_bytes(("\ufeff" + "\r\n".join(table["target"])).encode("utf-8"))
    paths["src.txt"].write_text("\n".join(table["source"]) + "\n", "utf-8")
    paths["ref.txt"].write_text("\n".join(table["reference"]) + "\n", "utf-8")
    with open(paths["feed.jsonl"], "w", encoding="utf-8") as fh:
        for i, row in enumerate(table.itertuples()):
            fh.write(json.dumps({"id": row.segment_id, "source": row.source, "target": row.target}) + "\n")
            if i == 4:
                fh.write("\n")  # a blank line: skipped, and the next row keeps its own line number
    paths["feed.parquet"] = folder / "feed.parquet"
    table[["segment_id", "source", "target", "reference"]].to_parquet(paths["feed.parquet"])
    return paths


@pytest.mark.parametrize("size", [1, 4, 2000])
def test_a_streamed_read_is_the_whole_read(tmp_path: Path, size: int) -> None:
    paths = _write_inputs(tmp_path)
    cases = [
        (paths["hyp.txt"], {"src": paths["src.txt"], "refs": [paths["ref.txt"]]}),
        (paths["feed.jsonl"], {"refs": [paths["ref.txt"]]}),
        (paths["feed.parquet"], {"src_lang": "ru", "tgt_lang": "en"}),
    ]
    for path, options in cases:
        whole = read_segments(path, **options)
        chunks = list(read_chunks(path, size=size, **options))
        assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
        pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert whole["tgt_lang"].eq("en").all()


def _delimited_inputs(folder: Path) -> dict[str, Path]:
    """The sample feed as TSV and CSV in the dialects the reader tells apart, with cells that
    hold tabs, commas, quotes and line breaks (CRLF inside a quoted cell, too)."""
    table = _sample()[["segment_id", "source", "target", "reference"]].copy()
    table.loc[3, "target"] = 'He said "yes"\tand\r\nleft, twice'
    table.loc[5, "source"] = "two\nlines"
    paths = {name: folder / name for name in ("literal.tsv", "quoted.tsv", "quoted-header.tsv", "feed.csv")}
    plain = _sample()[["segment_id", "source", "target"]]
    # stray quotes in two targets: read literally, rows never merged
    lines = ["id\tsource\ttarget", *("\t".join(r) for r in plain.itertuples(index=False))]
    lines[2] += ' "Hello'
    lines[6] = lines[6].replace("\t", '\t"', 1)
    paths["literal.tsv"].write_text("\n".join(lines) + "\n", "utf-8")
    table.to_csv(paths["quoted.tsv"], sep="\t", index=False)
    table.to_csv(paths["quoted-header.tsv"], sep="\t", index=False, quoting=1, lineterminator="\r\n")
    table.to_csv(paths["feed.csv"], index=False)
    return paths


@pytest.mark.parametrize("size", [1, 4, 2000])
@pytest.mark.parametrize("block_chars", [40, 1 << 20])
def test_a_streamed_table_is_the_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, block_chars: int
) -> None:
    """TSV and CSV stream in blocks of lines; a quoted cell may run across blocks (40
    characters: nearly every record does), and the dialect is detected over the whole file."""
    monkeypatch.setattr(delimited, "_BLOCK_CHARS", block_chars)
    for path in _delimited_inputs(tmp_path).values():
        whole = read_segments(path)
        chunks = list(read_chunks(path, size=size))
        assert [len(c) for c in chunks[:-1]] == [size] * (len(chunks) - 1)
        pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)
    assert "\r\n" in whole["target"][3] and "\t" in whole["target"][3]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # declared quoted (detected, an open quote makes a TSV literal, read as written)
        ('id\ttarget\n1\t"open\n2\tb\n3\tc\n', ":2: a quoted cell is never closed"),
        ("id,target\n1,a\n2,b,c\n3,d\n", ":3: 3 fields, but the header has 2"),
        ('id,target\n1,a\n2,"b\nc\n\n3,d\n', ":3: a quoted cell is never closed"),
    ],
)
def test_a_streamed_table_fails_as_the_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, error: str
) -> None:
    monkeypatch.setattr(delimited, "_BLOCK_CHARS", 8)
    path = tmp_path / ("t.csv" if "," in text else "t.tsv")
    path.write_text(text, "utf-8")
    dialect = "quoted" if path.suffix == ".tsv" else None
    for read in (
        lambda: read_segments(path, dialect=dialect),
        lambda: list(read_chunks(path, size=2, dialect=dialect)),
    ):
        with pytest.raises(InputError) as info:
            read()
        assert str(info.value) == f"{path}{error}"
    if dialect:  # undeclared, the same file reads literally: the quote is text
        assert read_segments(path)["target"].tolist() == ['"open', "b", "c"]


def test_an_open_quote_is_read_on_in_linear_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quoted cell left open near the top of a long file: the blocks double before each
    new try, so the text is tokenized a few times over, not once per block."""
    monkeypatch.setattr(delimited, "_BLOCK_CHARS", 16)
    path = tmp_path / "t.csv"
    path.write_text('id,target\n1,"open\n' + "".join(f"{i},row {i}\n" for i in range(2, 2000)), "utf-8")
    calls: list[int] = []
    tokenize = delimited._tokenize

    def counted(text: str, *args: object) -> list[delimited.Record]:
        calls.append(len(text))
        return tokenize(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(delimited, "_tokenize", counted)
    with pytest.raises(InputError, match=":2: a quoted cell is never closed"):
        list(read_chunks(path, size=100))
    assert sum(calls) < 4 * path.stat().st_size


def test_reading_stops_where_the_audit_has_come(tmp_path: Path) -> None:
    """The first chunk is out before the reader meets a bad byte 30 lines on; the error
    then names its line and byte offset, as a whole read does."""
    path = tmp_path / "feed.txt"
    good = "A translated sentence.\n" * 30
    path.write_bytes(good.encode() + b"Bad \xff byte.\n")
    chunks = read_chunks(path, size=10)
    assert len(next(chunks)) == 10
    with pytest.raises(InputError) as streamed:
        list(chunks)
    with pytest.raises(InputError) as whole:
        read_segments(path)
    assert str(streamed.value) == str(whole.value)
    assert f"{path}:31: not UTF-8 (byte 0xff at offset {len(good) + 4})" in str(streamed.value)


def test_ids_are_unique_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [{"id": f"s{i}", "target": f"Sentence {i}."} for i in range(7)] + [
        {"id": "s2", "target": "Again."}
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    with pytest.raises(InputError, match=r"duplicate segment id 's2'"):
        list(read_chunks(path, size=3))


def test_side_files_that_do_not_align_are_named_with_both_counts(tmp_path: Path) -> None:
    paths = _write_inputs(tmp_path)
    short = tmp_path / "short.txt"
    short.write_text("".join(f"line {i}\n" for i in range(9)), "utf-8")
    for path in (paths["hyp.txt"], paths["feed.jsonl"]):
        with pytest.raises(InputError) as whole:
            read_segments(path, refs=[short])
        with pytest.raises(InputError) as streamed:
            list(read_chunks(path, size=4, refs=[short]))
        assert (
            str(streamed.value)
            == str(whole.value)
            == (f"{short}: 9 lines, but {path} has {len(_sample())} (files must be line-aligned)")
        )


def test_reports_do_not_depend_on_the_chunk_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report of the sample feed (with references: scores and corpus rules) is
    byte-identical when the engine takes 2 segments at a time and when it takes them all
    (and its findings are joined into blocks and written in pieces of 3, or not; Parquet's
    row groups are of 7 rows either way)."""
    formats = ["csv", "json", "md", "html", "sarif", "junit", "gitlab", "rdjson", "parquet"]
    folders = []
    for size in (2, 2000):
        monkeypatch.setattr(engine, "CHUNK_SIZE", size)
        monkeypatch.setattr(store, "SPOOL_ROWS", 5 if size == 2 else 10_000)  # spilled to disk, or not
        monkeypatch.setattr(engine.Findings, "BLOCK", 2 if size == 2 else 10_000)
        monkeypatch.setattr(csv_report, "FINDINGS_PIECE", 3 if size == 2 else 10_000)
        monkeypatch.setattr(parquet_report, "FINDINGS_PIECE", 3 if size == 2 else 10_000)
        monkeypatch.setattr(parquet_report, "ROW_GROUP_ROWS", 7)
        result = tqaudit.audit(DATA / "sample-feed.tsv", src_lang="ru", tgt_lang="en")
        assert len(result.findings) > 10 and result.scores is not None
        folders.append(tmp_path / str(size))
        write_reports(result, folders[-1], formats)
    names = sorted(p.name for p in folders[0].iterdir())
    assert names == sorted(p.name for p in folders[1].iterdir()) and "segments.csv" in names
    for name in names:
        assert (folders[0] / name).read_bytes() == (folders[1] / name).read_bytes(), name


def test_a_reference_missing_from_a_later_chunk_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    table = _sample()
    table.loc[10:, "reference"] = ""  # the last chunks have no reference text at all
    monkeypatch.setattr(engine, "CHUNK_SIZE", 5)
    with pytest.raises(InputError, match=r"segment 'metro-11': empty reference in column 'reference'"):
        tqaudit.audit(table)


@pytest.mark.parametrize("spool_rows", [0, 8, 1000])  # on disk, spilled midway, in memory
def test_the_store_gives_back_what_it_was_given(spool_rows: int) -> None:
    table = _sample()
    scores = pd.DataFrame({"chrf": [float(i) for i in range(len(table))]})
    kept = SegmentStore(spool_rows)
    for start in range(0, len(table), 4):
        part = slice(start, start + 4)
        kept.add(
            StoredChunk(
                table.iloc[part].reset_index(drop=True),
                None,
                scores.iloc[part].reset_index(drop=True) if start else None,  # one chunk without
            )
        )
    assert len(kept) == len(table)
    pd.testing.assert_frame_equal(kept.frame("segments"), table)
    back = kept.frame("scores")
    assert (
        back is not None
        and back["chrf"].isna().sum() == 4
        and back["chrf"].iloc[4:].tolist() == list(map(float, range(4, len(table))))
    )
    rows = kept.rows({"metro-03", "metro-14"})
    assert rows.segments["segment_id"].tolist() == ["metro-03", "metro-14"]
    found = kept.at({2, 13})
    assert {pos: (row.segment_id, row.target) for pos, row in found.items()} == {
        2: ("metro-03", table["target"][2]),
        13: ("metro-14", table["target"][13]),
    }
    assert found[2].source == table["source"][2]
    kept.close()
    assert list(kept.chunks()) == []


def test_tasks_are_drawn_only_as_results_are_taken() -> None:
    drawn: list[int] = []

    class Done:
        def __init__(self, value: int) -> None:
            self.value = value

        def result(self) -> int:
            return self.value * 10

    def tasks() -> Iterator[int]:
        for i in range(100):
            drawn.append(i)
            yield i

    results = in_order(Done, tasks(), window=3)
    assert next(results) == 0 and len(drawn) == 3  # three in flight, no more
    assert next(results) == 10 and len(drawn) == 4
    assert list(results) == [i * 10 for i in range(2, 100)]


@pytest.mark.parametrize("name", ["feed.txt", "feed.tsv"])
def test_a_declared_encoding_holds_for_streamed_and_whole_formats(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    text = "id\ttarget\n1\tПривет & mdash; мир\n" if name.endswith(".tsv") else "Привет & mdash; мир\nЕщё.\n"
    path.write_bytes(text.encode("cp1251"))
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_chunks(path, size=1))
    chunks = list(read_chunks(path, size=1, encoding="cp1251"))
    assert chunks[0]["target"].tolist() == ["Привет & mdash; мир"]
    pd.testing.assert_frame_equal(
        pd.concat(chunks, ignore_index=True), read_segments(path, encoding="cp1251")
    )


def test_progress_counts_towards_the_file_s_rows(tmp_path: Path) -> None:
    paths = _write_inputs(tmp_path)
    assert count_rows(paths["hyp.txt"]) == 14  # no newline after the last line
    assert count_rows(paths["feed.jsonl"]) == 15  # a blank line counts: an estimate
    assert count_rows(paths["feed.parquet"]) == 14
    assert count_rows(DATA / "sample-feed.rss") is None and count_rows(tmp_path / "missing.txt") is None
    heard: list[tuple[int, int | None]] = []
    result = tqaudit.audit(paths["feed.jsonl"], progress=lambda done, total: heard.append((done, total)))
    assert heard == [(14, 15)] and result.segment_count == 14


def test_a_full_temporary_folder_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """The segment store spills to the temporary folder; a full one is an error naming it."""
    import errno

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "SPOOL_ROWS", 0)  # every chunk goes to the file
    monkeypatch.setattr(store.tempfile, "TemporaryFile", full)
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(DATA / "sample-feed.tsv"), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("Error: ")
        and "cannot hold the audit's segments (No space left" in result.stderr
    )
    assert result.stderr.count("\n") == 1 and not out.exists()


def test_findings_csv_in_pieces_is_the_whole_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of rows give the bytes of the whole table's CSV: a header once, a formula
    neutralised and a bare CR quoted in whichever piece holds them."""
    from tqaudit.io.writers import csv_text

    frame = pd.DataFrame({"message": ["plain", "a\rb", "=1+1", "line\nbreak", "x"] * 3, "start": range(15)})
    monkeypatch.setattr(csv_report, "FINDINGS_PIECE", 2)
    pieces = list(csv_report.findings_csv(frame))
    assert len(pieces) == 8 and pieces[0].startswith("message,start\n")
    assert "".join(pieces) == csv_text(frame)
    assert "".join(csv_report.findings_csv(frame.iloc[:0])) == "message,start\n"


def test_flagged_rows_are_read_when_a_report_asks() -> None:
    """An input without notes or states, audited without a baseline, leaves the rows of its
    flagged segments in the store until a report reads them; then they are those rows."""
    result = tqaudit.audit(_sample(), src_lang="ru", tgt_lang="en")
    assert result.flagged is None and len(result.findings) > 10
    rows = result.flagged_rows.segments
    named = set(result.findings["segment_id"])
    assert named <= set(rows["segment_id"]) and len(rows) < len(result.segments)
    assert rows["segment_id"].tolist() == [
        s for s in result.segments["segment_id"] if s in set(rows["segment_id"])
    ]
