"""HTML, SARIF, JUnit and GitHub annotation reports: well-formed, escaped, pointing at the input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

import tqaudit
from tqaudit.report import write_reports
from tqaudit.report.github import render as render_github
from tqaudit.report.html import highlight

HOSTILE = '<script>alert(1)</script> & mdash; "onmouseover=alert(2) \x0b'


@pytest.fixture
def hostile_result() -> tqaudit.AuditResult:
    return tqaudit.audit(pd.DataFrame({"id": ["x<1>"], "target": [HOSTILE], "source": ["<b>ok</b>"]}))


def test_html_escapes_every_input_text(hostile_result: tqaudit.AuditResult, tmp_path: Path) -> None:
    write_reports(hostile_result, tmp_path, ["html"])
    page = (tmp_path / "report.html").read_text("utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="seg-x&lt;1&gt;"' in page
    assert "<b>ok</b>" not in page
    assert "default-src 'none'" in page  # nothing can be loaded from elsewhere
    assert page.count("<script>") == 1  # only the report's own filter script


def test_highlight_cuts_overlapping_spans_without_nesting() -> None:
    html = highlight("a <b> c", [(0, 5, "warning", "W"), (2, 7, "error", "E")])
    assert "<mark" in html and '<mark class="error" title="W; E">&lt;b&gt;</mark>' in html
    assert html.count("<mark") == 3 and "<mark><mark" not in html


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
    first = run["results"][0]
    assert first["ruleId"] == "TL001"
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
