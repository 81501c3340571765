"""What ``tqaudit audit`` prints: ruff-style findings, machine formats on stdout, statistics."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tqaudit.cli import app

# line 2: an error (broken entity) after a warning on line 1 (space before a mark)
FEED = "The fare will be 150 tenge .\nThe line & mdash; from the station.\n東京の駅 & mdash; 新しい線。\n"


def _feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    return path


def _audit(runner: CliRunner, feed: Path, tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", str(feed), "--out", str(tmp_path / "r"), *extra])
    return result.exit_code, result.stdout, result.stderr


def _findings(tmp_path: Path) -> pd.DataFrame:
    return pd.read_csv(tmp_path / "r" / "findings.csv", dtype=str, keep_default_na=False)


def test_concise_lists_errors_first_with_path_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--select", "MK001,PU003")
    assert code == 1
    lines = [line for line in out.splitlines() if "feed.txt:" in line]
    assert lines[0] == "feed.txt:2:10: MK001 Broken entity '& mdash;'; did you mean '—'?"
    assert lines[1].startswith("feed.txt:3:6: MK001 ")
    assert lines[2].startswith("feed.txt:1:27: PU003 ")  # the warning after both errors
    assert len(lines) == len(_findings(tmp_path)) == 3
    assert "FAILED" in out


def test_limit_caps_the_listing_and_counts_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--select", "MK001,PU003", "--limit", "1")
    assert len([line for line in out.splitlines() if "feed.txt:" in line]) == 1
    assert "… and 2 more" in out


def test_full_underlines_the_span_in_terminal_cells(runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--select", "MK001", "--output-format", "full")
    lines = out.splitlines()
    cjk = lines.index("  | 東京の駅 & mdash; 新しい線。")
    # four wide characters and a space are nine cells: the carets start under '&'
    assert lines[cjk + 1] == "  | " + " " * 9 + "^" * 8
    assert lines[cjk + 2] == "  = fix (safe): '—'"


def test_json_on_stdout_is_every_finding_with_its_location(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = _audit(runner, _feed(tmp_path), tmp_path, "--output-format", "json", "--limit", "1")
    records = json.loads(out)  # nothing else on stdout: the summary went to stderr
    assert code == 1 and "FAILED" in err
    assert len(records) == len(_findings(tmp_path))  # never capped
    entity = next(r for r in records if r["rule"] == "MK001")
    assert entity["location"] == {"path": "feed.txt", "line": 2, "column": 10, "end_column": 18}
    assert entity["suggestion"] == "—" and entity["fix"] == "safe"


def test_json_lines_is_one_object_per_line(runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--output-format", "json-lines")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(_findings(tmp_path))
    ranks = [("error", "warning", "info").index(r["severity"]) for r in records]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] > 0  # errors first


def test_github_on_stdout_carries_columns(runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--select", "MK001", "--output-format", "github")
    assert out.splitlines()[0].startswith("::error file=feed.txt,line=2,col=10,endColumn=18,title=MK001 ")


def test_statistics_counts_per_rule_instead_of_listing(runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = _audit(runner, _feed(tmp_path), tmp_path, "--select", "MK001,PU003", "--statistics")
    assert "feed.txt:" not in out
    row = next(line for line in out.splitlines() if "MK001" in line)
    assert row.split("│")[1].strip() == "2" and "broken-entity" in row


def test_unknown_output_format_is_a_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = _audit(runner, _feed(tmp_path), tmp_path, "--output-format", "xml")
    assert code == 2
    assert "unknown --output-format 'xml'" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_ci_formats_on_stdout_parse(runner: CliRunner, tmp_path: Path) -> None:
    for fmt in ("gitlab", "rdjson", "sarif"):
        code, out, err = _audit(runner, _feed(tmp_path), tmp_path, "--output-format", fmt)
        data = json.loads(out)
        assert code == 1 and "FAILED" in err
        found = {
            "gitlab": lambda d: len(d),
            "rdjson": lambda d: len(d["diagnostics"]),
            "sarif": lambda d: len(d["runs"][0]["results"]),
        }[fmt](data)
        assert found == len(_findings(tmp_path))


def test_progress_bar_draws_only_on_a_terminal_for_large_inputs() -> None:
    import io

    from rich.console import Console

    from tqaudit.report.terminal import PROGRESS_FROM, ProgressBar

    def drawn(terminal: bool, total: int) -> str:
        out = io.StringIO()
        with ProgressBar(Console(file=out, force_terminal=terminal, width=100)) as bar:
            for done in (total // 2, total):
                bar(done, total)
        return out.getvalue()

    assert "auditing" in drawn(True, PROGRESS_FROM * 2)
    assert drawn(True, PROGRESS_FROM - 1) == ""
    assert drawn(False, PROGRESS_FROM * 2) == ""


def _tree(root: Path) -> None:
    (root / "feeds" / "ru-en").mkdir(parents=True)
    (root / "feeds" / "uk-en").mkdir(parents=True)
    (root / "feeds" / "drafts").mkdir(parents=True)
    (root / "feeds" / ".cache").mkdir(parents=True)
    (root / "feeds" / "ru-en" / "news.txt").write_text("In Alma-Ata & mdash; today.\n", "utf-8")
    (root / "feeds" / "uk-en" / "news.txt").write_text("A clean sentence here.\n", "utf-8")
    (root / "feeds" / "drafts" / "wip.txt").write_text("Draft & mdash; text.\n", "utf-8")
    (root / "feeds" / ".cache" / "old.txt").write_text("Hidden & mdash; text.\n", "utf-8")
    (root / "feeds" / "notes.md").write_text("not a feed\n", "utf-8")


def test_folders_patterns_and_files_are_each_audited_into_their_own_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    Path("tqaudit.toml").write_text('exclude = ["drafts"]\n', "utf-8")
    result = runner.invoke(app, ["audit", "feeds", "--tgt-lang", "en", "--output-format", "json"])
    assert result.exit_code == 1  # one input fails the gate
    paths = {r["location"]["path"] for r in json.loads(result.stdout)}
    assert paths == {"feeds/ru-en/news.txt"}
    assert "feeds/uk-en/news.txt: 1 segment, 0 findings (0 errors) PASSED" in result.stderr
    assert "FAILED: 1 of 2 inputs failed the gate" in result.stderr
    for sub in ("ru-en", "uk-en"):  # same file name, two folders; drafts, hidden and .md skipped
        assert (tmp_path / "reports" / "feeds" / sub / "news.txt" / "summary.json").is_file()
    assert sorted(p.name for p in (tmp_path / "reports" / "feeds").iterdir()) == ["ru-en", "uk-en"]
    # a pattern the shell did not expand, and --out as the parent of every input's folder
    again = runner.invoke(app, ["audit", "feeds/**/news.txt", "--out", "out", "-q"])
    assert again.exit_code == 1
    assert (tmp_path / "out" / "feeds" / "uk-en" / "news.txt" / "findings.csv").is_file()
    # a later run over the folder does not audit the reports it wrote
    assert runner.invoke(app, ["audit", ".", "-q", "--out", "out"]).exit_code == 1
    assert not list((tmp_path / "out").rglob("findings.csv/*"))


def test_standard_input_takes_its_name_and_format_from_stdin_filename(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    table = "id\tsource\ttarget\na1\tАлма-Ата\tAlma-Ata & mdash; city\n"
    args = ["audit", "-", "--stdin-filename", "feeds/in.tsv", "--output-format", "concise"]
    result = runner.invoke(app, args, input=table.encode("utf-8"))
    assert result.exit_code == 1, result.output
    assert "feeds/in.tsv:2:1: MK001 Broken entity" in result.stdout
    summary = json.loads((tmp_path / "reports" / "feeds" / "in.tsv" / "summary.json").read_text("utf-8"))
    assert summary["inputs"]["input"] == "feeds/in.tsv" and summary["by_rule"]["MK001"] == 1


def test_input_errors_are_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    cases = [
        (
            ["audit", "feeds/drafts", "feeds/ru-en/news.txt", "--src", "x.txt"],
            "--src and --ref go with a single",
        ),
        (["audit", "feeds/nothing-*.txt"], "feeds/nothing-*.txt: no file matches"),
        (["audit", "-", "-"], "standard input ('-') can be read only once"),
    ]
    (tmp_path / "empty").mkdir()
    cases.append((["audit", "empty"], "empty: no file to audit in this folder"))
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1


def test_write_baseline_says_where_and_how_many(runner: CliRunner, tmp_path: Path) -> None:
    known = tmp_path / "known.json"
    code, out, _ = _audit(
        runner, _feed(tmp_path), tmp_path, "--select", "MK001", "--write-baseline", str(known)
    )
    assert code == 1 and f"wrote baseline {known} (2 findings)" in " ".join(out.split())
    assert len(json.loads(known.read_text("utf-8"))["findings"]) == 2
