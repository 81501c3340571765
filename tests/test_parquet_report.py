"""``--format parquet``: findings.parquet and segments.parquet, typed, raw and streamed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit import engine, store
from tqaudit.cli import app
from tqaudit.cli import audit as cli_audit
from tqaudit.io.readers import read_segments
from tqaudit.report import parquet, write_reports
from tqaudit.report.csv import finding_counts, with_counts

DATA = Path(__file__).resolve().parent.parent / "data"


def _audited() -> tqaudit.AuditResult:
    """The sample feed with a formula-like target and an extra column of mixed values."""
    table = read_segments(DATA / "sample-feed.tsv")
    table.loc[3, "target"] = "=1+1 " + table.loc[3, "target"]
    table["note"] = [None, 5, "x", pd.NaT] + [f"n{i}" for i in range(4, len(table))]
    return tqaudit.audit(table, src_lang="ru", tgt_lang="en")


def test_the_files_hold_the_findings_and_segments_typed_and_as_they_are(tmp_path: Path) -> None:
    result = _audited()
    assert len(result.findings) > 10 and result.scores is not None
    write_reports(result, tmp_path / "r", ["parquet", "csv"])
    findings = pd.read_parquet(tmp_path / "r" / "findings.parquet")
    segments = pd.read_parquet(tmp_path / "r" / "segments.parquet")

    pd.testing.assert_frame_equal(findings, result.findings.reset_index(drop=True), check_dtype=False)
    counts = finding_counts(result.findings)
    expected = pd.concat([with_counts(c, counts) for c in result.store.chunks()], ignore_index=True)
    assert list(segments.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(
        segments.drop(columns="note"), expected.drop(columns="note"), check_dtype=False
    )

    schema = pq.read_schema(tmp_path / "r" / "segments.parquet")
    assert schema.metadata is None  # a plain Arrow table: no pandas metadata to vary
    types = {field.name: field.type for field in schema}
    assert types["line"] == types["errors"] == types["warnings"] == pa.int64()
    assert types["chrf"] == types["bleu"] == pa.float64()
    assert types["target"] == types["segment_id"] == types["note"] == pa.string()
    assert pq.read_schema(tmp_path / "r" / "findings.parquet").field("start").type == pa.int64()

    # data, not a spreadsheet: the formula stays as written (the CSV report neutralises it)
    assert segments.loc[3, "target"].startswith("=1+1 ")
    csv_rows = pd.read_csv(tmp_path / "r" / "segments.csv", dtype=str, keep_default_na=False)
    assert csv_rows.loc[3, "target"].startswith("'=1+1 ")
    # a missing cell is null, another value its text
    notes = pq.read_table(tmp_path / "r" / "segments.parquet", columns=["note"]).column("note")
    assert notes.to_pylist()[:4] == [None, "5", "x", None] and notes.null_count == 2


def test_row_groups_have_a_fixed_size_whatever_the_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 3 segments spilled to the store's file, findings in pieces of 2, row groups
    of 5: every group but the last has 5 rows, and the bytes are those of one-chunk runs."""
    monkeypatch.setattr(parquet, "ROW_GROUP_ROWS", 5)
    written = []
    for chunk, spool, piece in ((3, 4, 2), (2000, 10_000, 10_000)):
        monkeypatch.setattr(engine, "CHUNK_SIZE", chunk)
        monkeypatch.setattr(store, "SPOOL_ROWS", spool)
        monkeypatch.setattr(parquet, "FINDINGS_PIECE", piece)
        folder = tmp_path / str(chunk)
        write_reports(_audited(), folder, ["parquet"])
        written.append(
            {name: (folder / name).read_bytes() for name in ("findings.parquet", "segments.parquet")}
        )
        for name in ("findings.parquet", "segments.parquet"):
            meta = pq.ParquetFile(folder / name).metadata
            sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
            assert sizes[:-1] == [5] * (len(sizes) - 1) and 0 < sizes[-1] <= 5 and len(sizes) > 2, name
    assert written[0] == written[1]


def test_no_findings_is_a_valid_empty_table(tmp_path: Path) -> None:
    table = pd.DataFrame({"segment_id": ["1"], "target": ["A clean sentence."]})
    result = tqaudit.audit(table, tqaudit.Config(select=("MK001",)))
    assert result.findings.empty
    write_reports(result, tmp_path / "r", ["parquet"])
    findings = pd.read_parquet(tmp_path / "r" / "findings.parquet")
    assert findings.empty and list(findings.columns) == list(result.findings.columns)
    assert pd.read_parquet(tmp_path / "r" / "segments.parquet")["target"].tolist() == ["A clean sentence."]


def test_without_pyarrow_the_format_is_refused_before_the_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "available", lambda: False)
    audited: list[object] = []
    monkeypatch.setattr(cli_audit, "_audit_one", lambda *a, **k: audited.append(a))
    out = tmp_path / "r"
    args = ["audit", str(DATA / "sample-feed.tsv"), "--format", "csv,parquet", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == 'Error: --format parquet needs pyarrow: pip install -e ".[parquet]"\n'
    assert not out.exists() and not audited
