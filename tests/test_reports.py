"""Reports: formula neutralisation, byte-identical re-runs, atomic writes, summary content."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import tqaudit
from tqaudit.io.writers import atomic_write, csv_text, neutralize_formula
from tqaudit.report import write_reports


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralize_formula(cell) == "'" + cell


def test_plain_cells_are_untouched() -> None:
    assert neutralize_formula("Almaty") == "Almaty"
    assert neutralize_formula(-1) == -1


def test_csv_text_neutralises_each_text_cell_as_neutralize_formula_does() -> None:
    # formulas behind spaces and invisible characters, a CR inside a cell (written quoted:
    # one row), empty and missing cells, a number as text, text that opens with a symbol
    cells = ["Almaty", "=1+1", " =1", "\u200b=SUM(A1)", "\u00a0@x", "-2", "a\rb", "", None]
    cells += ["_x", "«=»", "\tx"]
    frame = pd.DataFrame({"target": cells, "n": range(len(cells))})
    rows = list(csv.reader(io.StringIO(csv_text(frame), newline="")))
    assert rows[0] == ["target", "n"]
    assert [row[0] for row in rows[1:]] == ["" if c is None else neutralize_formula(c) for c in cells]
    assert [row[1] for row in rows[1:]] == [str(i) for i in range(len(cells))]


def test_csv_reports_neutralise_segment_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"target": ["=cmd|' /C calc'!A0 & mdash; x", "fine"]})
    result = tqaudit.audit(frame)
    write_reports(result, tmp_path, ["csv"])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "segments.csv").read_text("utf-8"))))
    assert rows[0]["target"].startswith("'=cmd")
    findings = list(csv.DictReader(io.StringIO((tmp_path / "findings.csv").read_text("utf-8"))))
    assert findings[0]["rule"] == "MK001"
    assert findings[0]["start"] == "19"  # numbers stay numbers, even negative ones elsewhere


def test_same_input_gives_byte_identical_reports(sample_feed: Path, tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        result = tqaudit.audit(sample_feed, tgt_lang="en")
        write_reports(result, tmp_path / run, ["csv", "json", "md"])
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).iterdir())})
    assert outputs[0] == outputs[1]


def test_findings_are_sorted_by_segment_then_offset(sample_feed: Path) -> None:
    findings = tqaudit.audit(sample_feed).findings
    order = {sid: i for i, sid in enumerate(tqaudit.audit(sample_feed).segments["segment_id"])}
    keys = list(zip(findings["segment_id"].map(order), findings["start"], strict=True))
    assert keys == sorted(keys)


def test_summary_counts_and_options(sample_feed: Path, tmp_path: Path) -> None:
    result = tqaudit.audit(sample_feed, tqaudit.Config(fail_on="warning"))
    write_reports(result, tmp_path, ["json"])
    summary = json.loads((tmp_path / "summary.json").read_text("utf-8"))
    assert summary["totals"]["findings"] == len(result.findings)
    assert sum(summary["by_severity"].values()) == len(result.findings)
    assert sum(summary["by_category"].values()) == len(result.findings)
    assert summary["options"]["fail_on"] == "warning"
    assert summary["signature"].startswith(f"tqaudit:{tqaudit.__version__}|rules:")
    assert summary["inputs"]["input"].endswith("sample-feed.tsv")


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.csv"
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half a report")
        raise RuntimeError("renderer crashed")
    assert not target.exists()
    assert list((tmp_path / "out").iterdir()) == []


def test_markdown_escapes_table_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame({"target": ["a | b & mdash; c"]})
    write_reports(tqaudit.audit(frame), tmp_path, ["md"])
    text = (tmp_path / "summary.md").read_text("utf-8")
    assert "| MK001 | broken-entity | markup | 1 |" in text
