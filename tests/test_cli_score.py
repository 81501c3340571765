"""``tqaudit score`` and ``tqaudit compare`` through the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF
from typer.testing import CliRunner, Result

from tqaudit.cli import app

REFS = [
    "The meeting was postponed until Friday.",
    "Kyiv is the capital of Ukraine.",
    "The minister resigned on Tuesday.",
    "Prices rose by three percent last year.",
]
GOOD = [
    "The meeting was put off until Friday.",
    "Kiev is the capital of Ukraine.",
    "The minister resigned on Tuesday.",
    "Prices rose three percent last year.",
]
BAD = ["Subscribe to our channel", "Leave a Reply", "the the the", "Read more"]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, lines in (("ref", REFS), ("good", GOOD), ("bad", BAD)):
        out[name] = tmp_path / f"{name}.txt"
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _invoke(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_score_prints_sacrebleu_lines(files: dict[str, Path]) -> None:
    result = _invoke("score", files["good"], "--ref", files["ref"], "--metrics", "bleu,chrf")
    assert result.exit_code == 0, result.output
    bleu = BLEU().corpus_score(GOOD, [REFS])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|")
    assert f"= {bleu.score:.1f} " in lines[0]
    assert lines[1].endswith(f"= {CHRF().corpus_score(GOOD, [REFS]).score:.1f}")


def test_score_json_with_sentence_level(files: dict[str, Path]) -> None:
    result = _invoke(
        "score",
        files["good"],
        "--ref",
        files["ref"],
        "-m",
        "chrf",
        "--chrf-word-order",
        "2",
        "--sentence-level",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["corpus"]["CHRF"]["name"] == "chrF2++"
    assert "nw:2" in data["corpus"]["CHRF"]["signature"]
    scores = [row["chrf"] for row in data["segments"]]
    expected = [CHRF(word_order=2).sentence_score(h, [r]).score for h, r in zip(GOOD, REFS, strict=True)]
    assert scores == pytest.approx(expected, abs=1e-12)
    assert [row["segment_id"] for row in data["segments"]] == ["1", "2", "3", "4"]


def test_score_out_writes_segment_csv(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "seg.csv"
    result = _invoke("score", files["good"], "--ref", files["ref"], "-m", "bleu,ter", "--out", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["segment_id"] for r in rows] == ["1", "2", "3", "4"]
    assert float(rows[2]["bleu"]) == pytest.approx(100.0)
    assert float(rows[2]["ter"]) == pytest.approx(0.0)


def test_multiple_references(files: dict[str, Path], tmp_path: Path) -> None:
    ref2 = tmp_path / "ref2.txt"
    ref2.write_text("\n".join(GOOD) + "\n", encoding="utf-8")
    result = _invoke("score", files["good"], "--ref", files["ref"], "--ref", ref2, "-m", "bleu")
    assert result.exit_code == 0, result.output
    assert "nrefs:2" in result.stdout
    assert "= 100.0 " in result.stdout


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["-m", "bleu,comet"], "unknown metric 'comet'"),
        (["--tokenize", "nope"], "invalid bleu options"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_options_exit_2_with_one_line(files: dict[str, Path], extra: list[str], fragment: str) -> None:
    result = _invoke("score", files["good"], "--ref", files["ref"], *extra)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: ")
    assert fragment in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_line_count_mismatch_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("one line\n", encoding="utf-8")
    result = _invoke("score", short, "--ref", files["ref"])
    assert result.exit_code == 2
    assert "line" in result.stderr and result.stderr.strip().count("\n") == 0


def test_empty_reference_line_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    ref = tmp_path / "holes.txt"
    ref.write_text("a\n\nc\nd\n", encoding="utf-8")
    result = _invoke("score", files["good"], "--ref", ref)
    assert result.exit_code == 2
    assert f"{ref}:2: empty reference line" in result.stderr


def test_score_without_reference_exits_2(files: dict[str, Path]) -> None:
    result = _invoke("score", files["good"])
    assert result.exit_code == 2
    assert "no reference" in result.stderr


def test_compare_gate_fails_on_significant_drop(files: dict[str, Path]) -> None:
    result = _invoke(
        "compare",
        files["good"],
        files["bad"],
        "--ref",
        files["ref"],
        "--max-drop",
        "5",
        "--resamples",
        "200",
        "--json",
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["passed"] is False
    assert {row["metric"] for row in data["comparisons"]} == {"bleu", "chrf"}
    assert all(row["delta"] < -5 for row in data["comparisons"])


def test_compare_passes_without_gate_and_writes_csv(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "deltas.csv"
    result = _invoke(
        "compare",
        files["good"],
        files["bad"],
        "--ref",
        files["ref"],
        "--resamples",
        "100",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "Paired bootstrap test" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 4 and float(rows[0]["chrf_delta"]) <= float(rows[-1]["chrf_delta"])
