"""Hostile and broken inputs: each file or segment found by a hostile-input run, with what
tqaudit must do with it (a correct result, or exit 2 with one line; never a traceback, exit 1
for a crash, a hang or a half-written report)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.baseline import load_baseline
from tqaudit.cli import app
from tqaudit.io.writers import csv_text, neutralize_formula
from tqaudit.report import write_reports
from tqaudit.report.github import render as render_github

# --- Security: CSV injection and terminal escapes ---------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [" =1+2", "\u00a0=1+2", "\u200b@SUM(A1)", "\ufeff+1", "\u2003-2+3", "\u2060 \u200b=x", "\n=x"],
)
def test_formula_after_invisible_characters_is_neutralised(cell: str) -> None:
    assert neutralize_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["  Almaty", "\u200bAlmaty", " ", "", "a=b"])
def test_text_after_invisible_characters_is_untouched(cell: str) -> None:
    assert neutralize_formula(cell) == cell


def test_bare_cr_in_a_cell_is_quoted_so_no_reader_starts_a_row() -> None:
    frame = pd.DataFrame({"segment_id": ["a\r=cmd|' /C calc'!A0", "b"], "n": [1, 2]})
    text = csv_text(frame)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["segment_id", "n"], ["a\r=cmd|' /C calc'!A0", "1"], ["b", "2"]]
    assert pd.read_csv(io.StringIO(text))["segment_id"].tolist() == ["a\r=cmd|' /C calc'!A0", "b"]
    assert text.endswith("\nb,2\n")  # rows still end in LF


def test_reports_quote_a_bare_cr_in_segment_ids_and_targets(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["x\r=cmd|' /C calc'!A0"], "target": ["ok & mdash;\r=1+1"]})
    write_reports(tqaudit.audit(frame), tmp_path, ["csv"])
    for name in ("segments.csv", "findings.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 1, name
        assert rows[0]["segment_id"] == "x\r=cmd|' /C calc'!A0"


def test_score_out_quotes_a_bare_cr(runner: CliRunner, tmp_path: Path) -> None:
    hyp, ref, out = tmp_path / "hyp.jsonl", tmp_path / "ref.txt", tmp_path / "scores.csv"
    hyp.write_text(json.dumps({"id": "1\r=1+1", "target": "a b c"}) + "\n", encoding="utf-8")
    ref.write_text("a b c\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(hyp), "--ref", str(ref), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["segment_id"] for r in rows] == ["1\r=1+1"]


def test_legacy_baseline_restores_newly_neutralised_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["\u00a0=1"], "target": ["x & mdash; y"]})
    write_reports(tqaudit.audit(frame), tmp_path, ["csv"])
    legacy = load_baseline(tmp_path / "findings.csv").legacy
    assert {key[0] for key in legacy} == {"\u00a0=1"}


HOSTILE_ID = "a\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_github_annotations_show_control_characters_escaped() -> None:
    frame = pd.DataFrame({"id": [HOSTILE_ID], "target": ["x & mdash; y"]})
    text = render_github(tqaudit.audit(frame))["-"]
    assert not any(c in text for c in "\x1b\x07\x9b")
    assert text.rstrip("\n").endswith("[segment a\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m]")


@pytest.mark.parametrize("fmt", ["concise", "full", "grouped", "github", "json", "json-lines"])
def test_terminal_output_passes_no_control_characters(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    feed = tmp_path / "feed\x1b[31m.jsonl"
    row = {"id": HOSTILE_ID, "target": "x & mdash; y \x1b[2J\x9b", "source": "\x07src"}
    feed.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(feed), "--out", str(tmp_path / "r"), "--output-format", fmt])
    assert result.exit_code == 1, result.output
    assert "MK001" in result.output
    assert not any(c in result.output for c in "\x1b\x07\x9b"), repr(result.output)
