"""SARIF and JUnit reports against the official schemas and GitHub code scanning's requirements.

The schemas are upstream's own files (``fixtures/schemas/README.md``): the OASIS SARIF 2.1.0
schema (draft-04) and the JUnit XSD the Jenkins xUnit plugin enforces. Beyond the schema, the
SARIF checks are the mechanical ones GitHub documents for an upload to be accepted and shown
(rule descriptions, a relative artifact URI, a start line, ``primaryLocationLineHash``, limits).
Each checker is also shown a broken report, so a test cannot pass by checking nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from lxml import etree

import tqaudit
from tqaudit.report import write_reports

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
# RFC 3986 URI reference characters (percent-encoded everything else)
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
MAX_RESULTS, MAX_RUNS, MAX_DESCRIPTION = 25_000, 20, 1024


def _format_checker() -> Any:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checks("uri-reference")(
        lambda value: not isinstance(value, str) or bool(URI_REFERENCE.match(value))
    )
    checker.checks("uri")(
        lambda value: (
            not isinstance(value, str)
            or bool(URI_REFERENCE.match(value) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value))
        )
    )
    return checker


def sarif_problems(log: dict[str, Any]) -> list[str]:
    """Schema errors, then what GitHub rejects or cannot show; empty when the log is fine."""
    import jsonschema

    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=_format_checker())
    problems = [
        f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    if "2.1.0" not in str(log.get("$schema", "")):
        problems.append("github: $schema must name the SARIF 2.1.0 schema")
    runs = log.get("runs") or []
    if not 1 <= len(runs) <= MAX_RUNS:
        problems.append(f"github: {len(runs)} runs")
    for run in runs:
        problems += _run_problems(run)
    return problems


def _run_problems(run: dict[str, Any]) -> list[str]:
    driver = run["tool"]["driver"]
    rules = driver.get("rules", [])
    problems = [] if driver.get("name") else ["github: tool.driver.name is empty"]
    for rule in rules:
        for prop in ("shortDescription", "fullDescription", "help"):
            text = rule.get(prop, {}).get("text", "")
            if not text.strip() or (prop != "help" and len(text) > MAX_DESCRIPTION):
                problems.append(f"github: rule {rule.get('id')} {prop}.text missing or too long")
    results = run.get("results")
    if results is None or len(results) > MAX_RESULTS:
        return [*problems, "github: results missing or over 25,000"]
    ids = [r["id"] for r in rules]
    for i, res in enumerate(results):
        problems += [f"github: results[{i}]: {p}" for p in _result_problems(res, ids)]
        problems += [f"sarif: results[{i}]: {p}" for p in _logical_problems(res, run)]
    return problems


def _logical_problems(res: dict[str, Any], run: dict[str, Any]) -> list[str]:
    """SARIF §3.33: a logical location's ``index`` names an entry of ``run.logicalLocations``
    that agrees with it, and a ``parentIndex`` names an entry too (the schema cannot check it)."""
    table = run.get("logicalLocations", [])
    problems = []
    for location in res.get("locations", []):
        for logical in location.get("logicalLocations", []):
            index = logical.get("index", -1)
            if not 0 <= index < len(table):
                problems.append(f"logical location index {index} is not in run.logicalLocations")
                continue
            entry = table[index]
            if any(entry.get(k) != v for k, v in logical.items() if k != "index"):
                problems.append(f"logical location {index} disagrees with run.logicalLocations")
            if not 0 <= entry.get("parentIndex", 0) < len(table):
                problems.append(f"logical location {index} has a parent outside run.logicalLocations")
    return problems


def _result_problems(res: dict[str, Any], ids: list[str]) -> list[str]:
    problems = []
    if not res.get("message", {}).get("text", "").strip():
        problems.append("message.text is empty")
    if res.get("ruleId") not in ids:
        problems.append(f"ruleId {res.get('ruleId')!r} is not a rule of the driver")
    elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
        problems.append("ruleIndex points at another rule")
    if not res.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        problems.append("partialFingerprints.primaryLocationLineHash missing")
    locations = res.get("locations") or []
    if not locations:
        return [*problems, "no location"]
    physical = locations[0].get("physicalLocation", {})
    uri = physical.get("artifactLocation", {}).get("uri", "")
    if not uri or uri.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri):
        problems.append(f"artifact URI {uri!r} is not a relative path")
    region = physical.get("region", {})
    if not isinstance(region.get("startLine"), int):
        problems.append("region.startLine missing")
    if region.get("endColumn", 1 << 30) < region.get("startColumn", 0):
        problems.append("region ends before it starts")
    return problems


def junit_problems(path: Path) -> list[str]:
    """XSD errors, a root other than testsuites/testsuite, counts that disagree with the children."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd"), PARSER))
    doc = etree.parse(str(path), PARSER)
    problems = [] if schema.validate(doc) else [f"xsd: line {e.line}: {e.message}" for e in schema.error_log]
    root = doc.getroot()
    if root.tag not in ("testsuites", "testsuite"):
        problems.append(f"root is <{root.tag}>")
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    cases = [case for suite in suites for case in suite.findall("testcase")]
    for element, children in [(root, cases)] + [(suite, suite.findall("testcase")) for suite in suites]:
        for name, count in _counts(children).items():
            if element.get(name) is not None and int(element.get(name, "0")) != count:
                problems.append(f"{name}={element.get(name)} on <{element.tag}> but {count} test cases")
    return problems


def _counts(cases: list[Any]) -> dict[str, int]:
    return {
        "tests": len(cases),
        "failures": sum(c.find("failure") is not None for c in cases),
        "errors": sum(c.find("error") is not None for c in cases),
        "skipped": sum(c.find("skipped") is not None for c in cases),
    }


def _check_folder(folder: Path) -> tuple[dict[str, Any], etree._ElementTree]:
    log = json.loads((folder / "findings.sarif").read_text("utf-8"))
    assert sarif_problems(log) == []
    assert junit_problems(folder / "junit.xml") == []
    return log, etree.parse(str(folder / "junit.xml"), PARSER)


def test_the_sample_feed_reports_are_valid(sample_feed: Path, tmp_path: Path) -> None:
    result = tqaudit.audit(sample_feed)
    write_reports(result, tmp_path, ["sarif", "junit"])
    log, junit = _check_folder(tmp_path)
    assert len(log["runs"][0]["results"]) == len(result.findings) > 10
    assert int(junit.getroot().findall("testsuite")[0].get("failures")) > 0


def test_feed_results_name_their_article_and_paragraph(tmp_path: Path) -> None:
    feed = Path(__file__).resolve().parent.parent / "data" / "sample-feed.rss"
    write_reports(tqaudit.audit(feed), tmp_path, ["sarif", "junit"])
    log, _ = _check_folder(tmp_path)
    run = log["runs"][0]
    table = run["logicalLocations"]
    broken = next(r for r in run["results"] if "& mdash;" in r["message"]["text"])
    (logical,) = broken["locations"][0]["logicalLocations"]
    assert logical == {"index": logical["index"], "fullyQualifiedName": "metro-line ¶2"}
    paragraph = table[logical["index"]]
    assert paragraph["name"] == "¶2" and paragraph["kind"] == "paragraph"
    assert table[paragraph["parentIndex"]] == {
        "index": paragraph["parentIndex"],
        "name": "metro-line",
        "fullyQualifiedName": "metro-line",
        "kind": "article",
    }
    assert broken["properties"]["articleOffset"] == 120  # as the message's "char 120"
    assert "char 120]" in broken["message"]["text"]
    assert len({e["fullyQualifiedName"] for e in table}) == len(table)  # each place listed once
    logical["index"] = len(table)
    assert any("not in run.logicalLocations" in p for p in sarif_problems(log))


def test_hostile_text_and_ids_keep_the_reports_valid(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> & mdash; "x" \x0b\x1b[31m \ud7ff \u2028 end  .'
    frame = pd.DataFrame({"id": ["x<1>", "]]>&"], "target": [hostile, "Alma-Ata ]]> <![CDATA["]})
    result = tqaudit.audit(frame, tgt_lang="en")
    write_reports(result, tmp_path, ["sarif", "junit"])
    log, _ = _check_folder(tmp_path)
    assert log["runs"][0]["results"]


def test_a_clean_run_is_valid_and_empty(clean_feed: Path, tmp_path: Path) -> None:
    write_reports(tqaudit.audit(clean_feed), tmp_path, ["sarif", "junit"])
    log, junit = _check_folder(tmp_path)
    assert log["runs"][0]["results"] == []
    assert junit.getroot().findall("testsuite")[0].get("failures") == "0"


def test_a_path_with_spaces_and_accents_is_a_valid_relative_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("übersetzt feeds")
    folder.mkdir()
    (folder / "nachricht 1.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: en\\n"\n\n'
        'msgid "Алма-Ата"\nmsgstr "Alma-Ata & mdash; today"\n',
        encoding="utf-8",
    )
    write_reports(tqaudit.audit(folder / "nachricht 1.po", tgt_lang="en"), Path("out"), ["sarif", "junit"])
    log, _ = _check_folder(Path("out"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert uris == {"%C3%BCbersetzt%20feeds/nachricht%201.po"}


def test_each_input_of_a_multi_input_run_gets_valid_reports(runner: Any, tmp_path: Path) -> None:
    from tqaudit.cli import app

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("In Alma-Ata & mdash; today .\nFine text here.\n", encoding="utf-8")
    args = ["audit", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--tgt-lang", "en"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "r"), "--format", "sarif,junit", "-q"])
    assert result.exit_code == 1, result.output
    folders = sorted(p.parent for p in (tmp_path / "r").rglob("findings.sarif"))
    assert len(folders) == 2
    for folder in folders:
        _check_folder(folder)


def test_the_checkers_catch_broken_reports(sample_feed: Path, tmp_path: Path) -> None:
    write_reports(tqaudit.audit(sample_feed), tmp_path, ["sarif", "junit"])
    log = json.loads((tmp_path / "findings.sarif").read_text("utf-8"))
    run = log["runs"][0]
    del run["tool"]["driver"]["rules"][0]["help"]
    run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "C:\\feeds\\a b.tsv"
    run["results"][1]["level"] = "fatal"
    problems = sarif_problems(log)
    assert any(p.startswith("schema:") and "fatal" in p for p in problems)
    assert any("C:\\\\feeds" in p and "schema" in p for p in problems)  # not a URI reference
    assert any("help.text" in p for p in problems)
    junit = (tmp_path / "junit.xml").read_text("utf-8")
    (tmp_path / "junit.xml").write_text(junit.replace('failures="', 'failures="9', 1), encoding="utf-8")
    assert any(p.startswith("failures=") for p in junit_problems(tmp_path / "junit.xml"))
    (tmp_path / "junit.xml").write_text(
        junit.replace("<testcase ", "<testcase bogus='1' ", 1), encoding="utf-8"
    )
    assert any(p.startswith("xsd:") for p in junit_problems(tmp_path / "junit.xml"))


def test_a_capped_sarif_with_its_notification_is_valid(
    sample_feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tqaudit.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    write_reports(tqaudit.audit(sample_feed), tmp_path, ["sarif", "junit"])
    log, _ = _check_folder(tmp_path)
    run = log["runs"][0]
    assert len(run["results"]) == 3
    assert "left out" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
