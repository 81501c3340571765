"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

Printed on stdout (``--format github``), not written to a file. Values are escaped as the
Actions runner expects (``%``, CR, LF; plus ``:`` and ``,`` in properties), so a segment's
text can never inject another workflow command, and every other control character (ESC, BEL,
C1) is shown as ``\\xNN`` so none reaches the log raw.
"""

from __future__ import annotations

from tqaudit.audit import AuditResult
from tqaudit.report.locations import label, located
from tqaudit.report.printable import printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
STDOUT = "-"


def _data(text: str) -> str:
    """A command's message: CR and LF escaped as the runner expects, other controls shown."""
    return printable(text, keep="\t\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult) -> dict[str, str]:
    """Annotations, errors first: GitHub shows only the first ten per step (the job summary,
    ``summary.md``, counts them all)."""
    out = []
    for _, row, where in located(result, most_severe_first=True):
        code = str(row["rule"])
        rule = result.catalogue[code]
        place = f"file={_prop(where.path)},line={where.line}"
        if where.exact:
            place += f",col={where.column},endColumn={where.end_column}"
        props = f"{place},title={_prop(f'{code} {rule.name}')}"
        message = f"{row['message']} {label(row, where)}"
        out.append(f"::{COMMANDS[str(row['severity'])]} {props}::{_data(message)}")
    for message in result.score_failures:
        out.append(f"::error title=tqaudit score gate::{_data(message)}")
    return {STDOUT: "\n".join(out) + ("\n" if out else "")}
