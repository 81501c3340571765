"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

Printed on stdout (``--format github``), not written to a file. Values are escaped as the
Actions runner expects (``%``, CR, LF; plus ``:`` and ``,`` in properties), so a segment's
text can never inject another workflow command.
"""

from __future__ import annotations

from tqaudit.audit import AuditResult
from tqaudit.report.sarif import artifact_uri

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
STDOUT = "-"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult) -> dict[str, str]:
    path = artifact_uri(result)
    lines_by_id = result.segments.set_index("segment_id")["line"].to_dict()
    out = []
    for row in result.findings.itertuples():
        rule = result.catalogue[str(row.rule)]
        line = int(lines_by_id[row.segment_id])
        props = f"file={_prop(path)},line={line},title={_prop(f'{row.rule} {rule.name}')}"
        message = f"{row.message} [segment {row.segment_id}]"
        out.append(f"::{COMMANDS[str(row.severity)]} {props}::{_data(message)}")
    for message in result.score_failures:
        out.append(f"::error title=tqaudit score gate::{_data(message)}")
    return {STDOUT: "\n".join(out) + ("\n" if out else "")}
