"""The command line through Typer's runner: exit codes, files written, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tqaudit import __version__
from tqaudit.cli import app

REPORTS = {"findings.csv", "segments.csv", "summary.json", "summary.md"}


def test_sample_feed_fails_the_gate_and_writes_four_reports(
    runner: CliRunner, sample_feed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(sample_feed), "--tgt-lang", "en", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert {p.name for p in out.iterdir()} == REPORTS
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["passed"] is False
    assert summary["by_severity"]["error"] > 0
    assert summary["by_rule"]["MK001"] == 3
    assert "FAILED" in result.output


def test_clean_file_passes(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(clean_feed), "--tgt-lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["passed"] is True and summary["totals"]["findings"] == 0


def test_fail_on_never_and_warning(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    args = ["audit", str(sample_feed), "--out", str(tmp_path / "r"), "--quiet"]
    assert runner.invoke(app, [*args, "--fail-on", "never"]).exit_code == 0
    only_warnings = ["--select", "TL001"]
    assert runner.invoke(app, [*args, *only_warnings]).exit_code == 0
    assert runner.invoke(app, [*args, *only_warnings, "--fail-on", "warning"]).exit_code == 1


def test_quiet_prints_nothing(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(sample_feed), "--out", str(tmp_path / "r"), "-q"])
    assert result.exit_code == 1
    assert result.output == ""


def test_select_and_ignore_by_prefix(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    runner.invoke(
        app, ["audit", str(sample_feed), "--out", str(out), "-q", "--select", "MK,TL", "--ignore", "MK002"]
    )
    rules = set(json.loads((out / "summary.json").read_text("utf-8"))["by_rule"])
    assert rules == {"MK001", "TL001"}


def test_bad_input_exits_2_with_one_line_and_no_report(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine\n\xff\xfe broken\n")
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("Error: ") and "bad.txt:2" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_misaligned_ref_exits_2(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    ref = tmp_path / "ref.txt"
    ref.write_text("only one line\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(clean_feed), "--ref", str(ref), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "ref.txt: 1 lines" in result.stderr
    assert not (tmp_path / "r").exists()


def test_unknown_rule_code_suggests_the_right_one(
    runner: CliRunner, clean_feed: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["audit", str(clean_feed), "--select", "MK01", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "unknown rule code 'MK01' in --select (did you mean 'MK001'?)" in result.stderr


def test_bad_option_values_exit_2(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    for extra in (["--fail-on", "sometimes"], ["--format", "csv,xls"], ["--jobs", "0"]):
        result = runner.invoke(app, ["audit", str(clean_feed), "--out", str(tmp_path / "r"), *extra])
        assert result.exit_code == 2, extra
        assert result.stderr.startswith("Error: "), extra
    assert not (tmp_path / "r").exists()


def test_format_chooses_the_reports(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    assert (
        runner.invoke(app, ["audit", str(clean_feed), "--out", str(out), "--format", "json", "-q"]).exit_code
        == 0
    )
    assert {p.name for p in out.iterdir()} == {"summary.json"}


def test_rules_lists_and_explains(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert "MK001" in listing.output and "broken-entity" in listing.output
    doc = runner.invoke(app, ["rules", "MK001"])
    assert doc.exit_code == 0
    assert "## What it does" in doc.output and "## Fix safety" in doc.output
    by_name = runner.invoke(app, ["rules", "legacy-toponym"])
    assert by_name.exit_code == 0 and "TL001" in by_name.output
    unknown = runner.invoke(app, ["rules", "MK01"])
    assert unknown.exit_code == 2 and "did you mean 'MK001'?" in unknown.stderr


def test_rules_by_prefix_and_as_json(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["rules", "mk"])
    assert listing.exit_code == 0
    codes = [line.split()[0] for line in listing.output.splitlines()[1:] if line.strip()]
    assert codes and all(c.startswith("MK") for c in codes) and "MK001" in codes
    data = json.loads(runner.invoke(app, ["rules", "PU00", "--output-format", "json"]).output)
    assert [r["code"] for r in data] == sorted(r["code"] for r in data)
    assert all(r["code"].startswith("PU00") and r["summary"] in r["documentation"] for r in data)
    one = json.loads(runner.invoke(app, ["rules", "MK001", "--output-format", "json"]).output)
    assert one["name"] == "broken-entity" and one["fix"] == "safe" and one["preview"] is False
    bad = runner.invoke(app, ["rules", "--output-format", "yaml"])
    assert bad.exit_code == 2 and "unknown --output-format 'yaml'" in bad.stderr


def test_help_shows_defaults_and_readable_metavars(runner: CliRunner) -> None:
    text = " ".join(runner.invoke(app, ["audit", "--help"]).output.split())  # help wraps lines
    assert "[default: reports/INPUT-PATH]" in text and "[default: error]" in text
    assert "[default: csv,json,md]" in text and "--src-lang LANG" in text and "--ref FILE" in text
    options = text.split("Options:")[1]  # typer labels the INPUT... argument with its type
    assert "<list" not in options and "<bool>" not in options and "<str>" not in options
    assert runner.invoke(app, ["-V"]).output.strip() == f"tqaudit {__version__}"


def test_version_and_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tqaudit", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"tqaudit {__version__}"


def test_default_folder_is_unique_per_input_path(
    runner: CliRunner, clean_feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for sub in ("ru-en", "uk-en"):  # same file name, two pairs: two folders
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "Online-B.en").write_text(clean_feed.read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    for sub in ("ru-en", "uk-en"):
        args = ["audit", f"{sub}/Online-B.en", "--input-format", "txt", "--tgt-lang", "en", "-q"]
        assert runner.invoke(app, args).exit_code == 0
        assert (tmp_path / "reports" / sub / "Online-B.en" / "summary.json").is_file()
    outside = runner.invoke(app, ["audit", str(clean_feed), "-q"])  # not below the working directory
    assert outside.exit_code == 0
    [folder] = (tmp_path / "reports").glob("clean-feed.txt-*")
    assert len(folder.name) == len("clean-feed.txt-") + 8 and (folder / "summary.json").is_file()


def test_a_run_replaces_the_whole_folder(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    first = ["audit", str(sample_feed), "--out", str(out), "--format", "csv,json,sarif,junit", "-q"]
    assert runner.invoke(app, first).exit_code == 1
    assert {p.name for p in out.iterdir()} == {*REPORTS - {"summary.md"}, "findings.sarif", "junit.xml"}
    args = ["audit", str(sample_feed), "--out", str(out), "--format", "json", "--fail-on", "never", "-q"]
    assert runner.invoke(app, args).exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # no temporary folder left beside it
    assert [p.name for p in out.iterdir()] == ["summary.json"]  # no stale FAILED SARIF beside it
    assert json.loads((out / "summary.json").read_text("utf-8"))["passed"] is True


def test_a_folder_with_other_files_is_never_replaced(
    runner: CliRunner, sample_feed: Path, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    result = runner.invoke(app, ["audit", str(sample_feed), "--out", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert "holds files tqaudit did not write (notes.txt)" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"


def test_a_failed_write_keeps_the_previous_reports(
    runner: CliRunner, sample_feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r"
    assert runner.invoke(app, ["audit", str(sample_feed), "--out", str(out), "-q"]).exit_code == 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import errno

    import tqaudit.report

    calls = []
    real = tqaudit.report._write

    def failing(path: Path, text: tqaudit.report.Text) -> None:  # the second file meets a full disk
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, text)

    monkeypatch.setattr(tqaudit.report, "_write", failing)
    result = runner.invoke(app, ["audit", str(sample_feed), "--out", str(out), "--format", "csv,html", "-q"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: cannot write the reports (No space left on device)\n"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["r"]


def test_baseline_leaves_known_findings_out(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    assert runner.invoke(app, ["audit", str(sample_feed), "--out", str(first), "-q"]).exit_code == 1
    feed = tmp_path / "feed.tsv"
    text = (
        sample_feed.read_text("utf-8")
        .replace("metro-05\t", "metro-05\t=")
        .replace("90 billion tenge.", "90 billion tenge & mdash; said.")
    )
    feed.write_text(text, encoding="utf-8")
    args = ["audit", str(feed), "--baseline", str(first / "findings.csv"), "--format", "json,csv", "-q"]
    second = tmp_path / "second"
    assert runner.invoke(app, [*args, "--out", str(second)]).exit_code == 1  # one new error
    summary = json.loads((second / "summary.json").read_text("utf-8"))
    assert summary["by_rule"] == {"MK001": 1}
    assert summary["totals"]["baseline_suppressed"] > 10
    # with both runs' findings as the baseline everything is known and the gate passes
    both = tmp_path / "both.csv"
    new_rows = (second / "findings.csv").read_text("utf-8").splitlines(True)[1:]
    both.write_text((first / "findings.csv").read_text("utf-8") + "".join(new_rows), encoding="utf-8")
    result = runner.invoke(
        app, ["audit", str(feed), "--baseline", str(both), "--out", str(tmp_path / "3"), "-q"]
    )
    assert result.exit_code == 0


def test_baseline_that_is_not_findings_csv(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    args = ["audit", str(clean_feed), "--baseline", str(clean_feed), "--out", str(tmp_path / "r")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "not a baseline JSON or findings.csv" in result.stderr
    bad = tmp_path / "bad.json"
    for text, message in (
        ('{"format": "tqaudit-baseline", "version": 9, "findings": []}', "version 9 is not supported"),
        ('{"format": "tqaudit-baseline", "version": 1, "findings": [1]}', "must be a list of objects"),
        ('{"format": "other"}', "not a tqaudit baseline"),
        ('{"format": ', "not valid JSON"),
    ):
        bad.write_text(text, "utf-8")
        result = runner.invoke(app, [*args[:3], str(bad), "--out", str(tmp_path / "r")])
        assert result.exit_code == 2 and message in result.stderr, result.stderr


FEED_LINES = [
    "The mayor of Alma-Ata opened the line & mdash; said the city.",
    "The fare will be 150 tenge .",
    "The fare will be 150 tenge .",  # the same text twice: two findings, one fingerprint each
    "Subscribe to our channel",
    "A clean sentence about the new metro line.",
]


def _audit_lines(runner: CliRunner, tmp_path: Path, lines: list[str], *extra: str) -> dict[str, object]:
    feed = tmp_path / "feed.txt"
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "r"
    args = ["audit", str(feed), "--tgt-lang", "en", "--out", str(out), "--format", "json", "-q", *extra]
    assert runner.invoke(app, args).exit_code in (0, 1)
    return json.loads((out / "summary.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_baseline_survives_inserted_moved_and_respaced_lines(runner: CliRunner, tmp_path: Path) -> None:
    known = tmp_path / "baseline.json"
    first = _audit_lines(runner, tmp_path, FEED_LINES, "--write-baseline", str(known))
    assert first["totals"]["findings"] >= 4  # type: ignore[index]
    before = known.read_bytes()
    _audit_lines(runner, tmp_path, FEED_LINES, "--write-baseline", str(known))
    assert known.read_bytes() == before  # same input, same bytes
    moved = ["A new first line that is fine.", *reversed(FEED_LINES)]
    moved[1] = moved[1].replace("line & mdash;", "line  & mdash;")  # only spacing changed
    again = _audit_lines(runner, tmp_path, moved, "--baseline", str(known))
    assert again["totals"]["findings"] == 0 and again["passed"] is True  # type: ignore[index]
    assert again["totals"]["baseline_suppressed"] == first["totals"]["findings"]  # type: ignore[index]


def test_baseline_counts_copies_and_sees_edited_segments(runner: CliRunner, tmp_path: Path) -> None:
    known = tmp_path / "baseline.json"
    _audit_lines(runner, tmp_path, FEED_LINES, "--write-baseline", str(known))
    third_copy = [*FEED_LINES, "The fare will be 150 tenge ."]
    summary = _audit_lines(runner, tmp_path, third_copy, "--baseline", str(known))
    assert summary["by_rule"] == {"PU003": 1}  # the baseline knew two copies, not three
    edited = [FEED_LINES[0].replace("mayor", "new mayor"), *FEED_LINES[1:]]
    summary = _audit_lines(runner, tmp_path, edited, "--baseline", str(known))
    assert set(summary["by_rule"]) == {"MK001", "TL001"}  # type: ignore[arg-type]  # the edited line only
    # a refreshed baseline records the known findings too, not only the new ones
    _audit_lines(runner, tmp_path, edited, "--baseline", str(known), "--write-baseline", str(known))
    assert _audit_lines(runner, tmp_path, edited, "--baseline", str(known))["totals"]["findings"] == 0  # type: ignore[index]


def test_glossary_option(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text("id\tsource\ttarget\n1\tЗдания КНБ\tKNB buildings\n", encoding="utf-8")
    glossary = Path(__file__).parent / "fixtures" / "glossary.tsv"
    out = tmp_path / "r"
    args = ["audit", str(feed), "--glossary", str(glossary), "--out", str(out), "-q", "--select", "TM"]
    assert runner.invoke(app, args).exit_code == 0  # TM001 is a warning
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["by_rule"] == {"TM001": 1}
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\ttranslation\nx\ty\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(feed), "--glossary", str(bad), "--out", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "needs 'source' and 'target' columns" in result.stderr


@pytest.mark.parametrize("option", ["--glossary", "--config"])
def test_non_utf8_pack_or_glossary_is_one_line_error(runner: CliRunner, tmp_path: Path, option: str) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("Battles in Alma-Ata\n", encoding="utf-8")
    bad = tmp_path / ("glossary.tsv" if option == "--glossary" else "transliteration.en.toml")
    bad.write_bytes("source\ttarget\nАлма-Ата\tAlmaty\n".encode("cp1251"))
    arg = bad
    if option == "--config":
        arg = tmp_path / "tqaudit.toml"
        arg.write_text(f'packs = ["{bad.name}"]\n', encoding="utf-8")
    result = runner.invoke(app, ["audit", str(feed), option, str(arg), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert f"{bad}:2: not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()


def test_unwritable_report_folder_exits_2(runner: CliRunner, clean_feed: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(clean_feed), "--out", str(blocker / "reports")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "cannot write" in result.stderr


def test_audit_scores_bleu_and_chrf_unless_ter_is_asked(
    runner: CliRunner, sample_feed: Path, tmp_path: Path
) -> None:
    def scored(*extra: str) -> set[str]:
        out = tmp_path / "r"
        runner.invoke(app, ["audit", str(sample_feed), "--out", str(out), "--format", "json", "-q", *extra])
        return set(json.loads((out / "summary.json").read_text("utf-8"))["corpus_scores"])

    assert scored() == {"BLEU", "CHRF"}
    assert scored("--max-ter", "99") == {"BLEU", "CHRF", "TER"}
    assert scored("--metrics", "chrf,ter") == {"CHRF", "TER"}


def test_an_unreadable_report_folder_is_a_one_line_error(
    runner: CliRunner, sample_feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r"
    out.mkdir()

    original = Path.iterdir

    def refuse(self: Path) -> object:
        if self == out:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    result = runner.invoke(app, ["audit", str(sample_feed), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert "cannot read the report folder (Permission denied)" in result.stderr
    assert "Traceback" not in result.output
