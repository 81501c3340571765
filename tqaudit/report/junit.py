"""``junit.xml``: one test case per rule (and per score gate) for CI test dashboards.

A rule's test case fails when it has findings at or above ``--fail-on``; the failure text
lists them. Written with ElementTree (escaping handled there); characters that XML 1.0
cannot hold at all are replaced, so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tqaudit.audit import AuditResult
from tqaudit.gate import failing_severities

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_LISTED = 200


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def render(result: AuditResult) -> dict[str, str]:
    levels = failing_severities(result.config.fail_on)
    suite = ET.Element("testsuite", name="tqaudit", timestamp="1970-01-01T00:00:00")
    failures = 0
    for code in result.rules:
        rule = result.catalogue[code]
        rows = result.findings[result.findings["rule"] == code]
        case = ET.SubElement(
            suite, "testcase", classname=f"tqaudit.{rule.category}", name=f"{code} {rule.name}"
        )
        failing = rows[rows["severity"].isin(levels)]
        if failing.empty:
            continue
        failures += 1
        listed = [
            f"segment {r.segment_id} [{r.start}:{r.end}] {r.severity}: {r.message}"
            for r in failing.head(MAX_LISTED).itertuples()
        ]
        if len(failing) > MAX_LISTED:
            listed.append(f"… and {len(failing) - MAX_LISTED} more")
        failure = ET.SubElement(
            case,
            "failure",
            message=_clean(f"{len(failing)} finding(s): {rule.summary}"),
            type=rule.severity,
        )
        failure.text = _clean("\n".join(listed))
    for message in result.score_failures:
        case = ET.SubElement(suite, "testcase", classname="tqaudit.score", name="score gate")
        ET.SubElement(case, "failure", message=_clean(message), type="score")
        failures += 1
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = ET.Element("testsuites", name="tqaudit", tests=suite.get("tests", "0"), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return {"junit.xml": '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"}
