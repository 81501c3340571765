"""``tqaudit fix``: safe fixes by default, unsafe on request, idempotent, formats kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

import tqaudit
from tqaudit.cli import app
from tqaudit.findings import Edit
from tqaudit.fix import apply_edits, fix
from tqaudit.rules import RULES, Applicability

FEED = "Battles in Alma-Ata & mdash; he said  twice .\n“ Fine”\nLeave a Reply\n"


def test_apply_fixes_keeps_offsets_and_skips_overlaps() -> None:
    edits = [(Edit(6, 8, "EF"), "X1"), (Edit(0, 2, "AB"), "X2"), (Edit(1, 4, "zz"), "X3")]
    text, done = apply_edits("ab cd ef", edits)
    assert text == "AB cd EF"
    assert done == ["X2", "X1"]


def test_safe_fixes_only_by_default_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    result = fix(path, tgt_lang="en")
    assert result.fixed == [
        "Battles in Alma-Ata — he said twice.",
        "“Fine”",
        "Leave a Reply",
    ]
    assert set(result.applied) == {"MK001", "WS001", "PU003", "WS002"}
    again = tqaudit.audit(result.segments.assign(target=result.fixed)).findings
    safe = {c for c, r in RULES.items() if r.fix is Applicability.SAFE}
    assert not set(again["rule"]) & safe  # nothing safe is left to fix
    assert set(again["rule"]) == {"TL001", "BP001"}  # unsafe and display-only stay reported


def test_unsafe_fixes_on_request(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    fixed = fix(path, unsafe=True, tgt_lang="en").fixed
    assert fixed[0] == "Battles in Almaty — he said twice."
    assert fixed[2] == "Leave a Reply"  # display-only: never applied


def test_cli_diff_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--diff"])
    assert result.exit_code == 0
    assert "-Battles in Alma-Ata & mdash; he said  twice ." in result.stdout
    assert "+Battles in Alma-Ata — he said twice." in result.stdout
    assert path.read_text("utf-8") == FEED
    assert "fixed 2 of 3 segments" in result.stderr


def test_cli_fixes_a_table_keeping_ids(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.tsv"
    result = runner.invoke(app, ["fix", str(sample_feed), "--select", "MK001", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert table["id"].iloc[1] == "metro-02"
    assert "& mdash;" not in "".join(table["target"])
    assert table["source"].iloc[0].startswith("Мэр")
    assert list(table.columns[:3]) == ["id", "source", "target"]
