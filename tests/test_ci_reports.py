"""SARIF, JUnit and GitHub annotation reports: well-formed, escaped, pointing at the input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import tqaudit
from tqaudit.report import write_reports
from tqaudit.report.github import render as render_github

HOSTILE = '<script>alert(1)</script> & mdash; "onmouseover=alert(2) \x0b'


@pytest.fixture
def hostile_result() -> tqaudit.AuditResult:
    return tqaudit.audit(pd.DataFrame({"id": ["x<1>"], "target": [HOSTILE], "source": ["<b>ok</b>"]}))


def test_sarif_points_at_the_input_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("feed.txt").write_text("fine\nReal battles in Alma-Ata.\n", encoding="utf-8")
    result = tqaudit.audit("feed.txt", tgt_lang="en")
    write_reports(result, Path("out"), ["sarif"])
    log = json.loads(Path("out/findings.sarif").read_text("utf-8"))
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "tqaudit"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    [res] = [r for r in run["results"] if r["ruleId"] == "TL001"]
    assert rule_ids[res["ruleIndex"]] == "TL001"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "feed.txt"
    assert loc["region"] == {"startLine": 2, "startColumn": 17, "endColumn": 25}
    assert res["partialFingerprints"]["primaryLocationLineHash"]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]


def test_sarif_table_input_uses_the_record_line(sample_feed: Path, tmp_path: Path) -> None:
    result = tqaudit.audit(sample_feed)
    write_reports(result, tmp_path, ["sarif"])
    run = json.loads((tmp_path / "findings.sarif").read_text("utf-8"))["runs"][0]
    first = next(r for r in run["results"] if r["ruleId"] == "TL001")  # results: errors first
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}  # line 1 is the header


def test_junit_is_well_formed_with_control_characters(
    hostile_result: tqaudit.AuditResult, tmp_path: Path
) -> None:
    write_reports(hostile_result, tmp_path, ["junit"])
    root = ET.parse(tmp_path / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    # MK003: the hostile target lost the source's <b>…</b>
    assert failed == ["MK001 broken-entity", "MK003 markup-mismatch"]
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == "2"


def test_junit_respects_fail_on(sample_feed: Path, tmp_path: Path) -> None:
    result = tqaudit.audit(sample_feed, tqaudit.Config(fail_on="never"))
    write_reports(result, tmp_path, ["junit"])
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.get("failures") == "0"


def test_github_annotations_cannot_inject_commands() -> None:
    frame = pd.DataFrame({"id": ["a\n::error::pwned%"], "target": ["x & mdash; y"]})
    text = render_github(tqaudit.audit(frame))["-"]
    lines = text.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=segments,line=1,title=MK001 broken-entity::")
    assert lines[0].endswith("[segment a%0A::error::pwned%25]")


SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
CI_FEED = (
    "The fare is 150 tenge .\n東京の駅 & mdash; 新しい線。\nThe fare is 150 tenge .\nIn Alma-Ata today.\n"
)


def _ci_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tqaudit.AuditResult:
    monkeypatch.chdir(tmp_path)
    Path("feed.txt").write_text(CI_FEED, encoding="utf-8")
    return tqaudit.audit("feed.txt", tgt_lang="en")


def _validate(data: object, schema: str) -> None:
    import jsonschema

    jsonschema.validate(data, json.loads((SCHEMAS / schema).read_text("utf-8")))


def test_gitlab_code_quality_is_valid_with_unique_fingerprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _ci_result(tmp_path, monkeypatch)
    write_reports(result, Path("out"), ["gitlab"])
    issues = json.loads(Path("out/gl-code-quality-report.json").read_text("utf-8"))
    _validate(issues, "gitlab-codequality.schema.json")
    assert len(issues) == len(result.findings) >= 4
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # lines 1 and 3 are the same text
    spaced = [i for i in issues if i["check_name"] == "PU003"]
    assert [i["location"] for i in spaced] == [{"path": "feed.txt", "lines": {"begin": n}} for n in (1, 3)]
    assert {i["severity"] for i in issues} <= {"major", "minor", "info"}
    assert next(i for i in issues if i["check_name"] == "MK001")["severity"] == "major"


def test_rdjson_is_valid_and_its_suggestions_fix_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _ci_result(tmp_path, monkeypatch)
    write_reports(result, Path("out"), ["rdjson"])
    data = json.loads(Path("out/findings.rdjson").read_text("utf-8"))
    _validate(data, "rdjson.schema.json")
    entity = next(d for d in data["diagnostics"] if d["code"]["value"] == "MK001")
    # columns count UTF-8 bytes: four CJK characters (3 bytes each) and a space before '&'
    assert entity["location"]["range"] == {
        "start": {"line": 2, "column": 14},
        "end": {"line": 2, "column": 22},
    }
    line = CI_FEED.splitlines()[1].encode("utf-8")
    [suggestion] = entity["suggestions"]
    start, end = suggestion["range"]["start"]["column"] - 1, suggestion["range"]["end"]["column"] - 1
    fixed = (line[:start] + suggestion["text"].encode("utf-8") + line[end:]).decode("utf-8")
    assert fixed == "東京の駅 — 新しい線。"
    assert entity["severity"] == "ERROR"


def test_rdjson_for_a_table_points_at_lines_without_suggestions(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a"], "target": ["x & mdash; y"]})
    data = json.loads(write_and_read(tqaudit.audit(frame), tmp_path, "rdjson", "findings.rdjson"))
    _validate(data, "rdjson.schema.json")
    [diag] = data["diagnostics"]
    assert diag["location"] == {"path": "segments", "range": {"start": {"line": 1}}}
    assert "suggestions" not in diag


def write_and_read(result: tqaudit.AuditResult, folder: Path, fmt: str, name: str) -> str:
    write_reports(result, folder / "out", [fmt])
    return (folder / "out" / name).read_text("utf-8")


def test_sarif_keeps_the_most_severe_within_githubs_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tqaudit.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    targets = ["The fare is 150 tenge .", "A & mdash; B", "C & mdash; D", "The fee is 5 tenge ."]
    result = tqaudit.audit(pd.DataFrame({"target": targets}), tqaudit.Config(select=("MK001", "PU003")))
    log = json.loads(write_and_read(result, tmp_path, "sarif", "findings.sarif"))
    run = log["runs"][0]
    assert [r["level"] for r in run["results"]] == ["error", "error"]  # the warnings of line 1 and 4 left out
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("2 of 4 results left out")


def test_github_annotations_list_errors_first() -> None:
    targets = ["The fare is 150 tenge .", "A & mdash; B"]
    result = tqaudit.audit(pd.DataFrame({"target": targets}), tqaudit.Config(select=("MK001", "PU003")))
    lines = render_github(result)["-"].splitlines()
    assert lines[0].startswith("::error file=segments,line=2") and lines[1].startswith("::warning")
