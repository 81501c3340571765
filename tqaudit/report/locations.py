"""Where each finding is in the input file: path, line and column, for every located format.

The line is the one where the segment starts (the ``line`` column of the segments table).
Columns are exact only for plain-text input, where a line is the whole target; for tables and
localisation files a finding points at column 1 of the segment's line. A feed's segment also
has a place in its article (``place``): the segment (``ARTICLE ¶3``, the article id and the
paragraph) and the finding's character offset in the article text (the reader's
``body_offset`` plus the finding's start), as ``ARTICLE ¶3, char 57``; the articles of a
folder of HTML files each point at their own file (the reader's ``file`` column). Terminal
output, GitHub annotations and SARIF regions all read these, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tqaudit.audit import AuditResult
from tqaudit.findings import SEVERITY_RANK


@dataclass(frozen=True)
class Location:
    """A finding's place: ``path:line:column`` (1-based), ``end_column`` exclusive."""

    path: str
    line: int
    column: int
    end_column: int
    exact: bool  # the columns point into the line (plain text), not at its start
    place: str = ""  # a feed segment's place in its article: "ARTICLE ¶3, char 57"


def input_path(result: AuditResult) -> str:
    """The input as given, relative to the working directory when it is below it."""
    name = result.inputs.get("input")
    if not name:
        return "segments"
    path = Path(name)
    try:
        path = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        path = Path(path.name) if path.is_absolute() else path
    return path.as_posix()


def artifact_uri(result: AuditResult) -> str:
    """The input as a relative, percent-encoded URI (``segments`` for an in-memory table)."""
    return uri_of(input_path(result))


def uri_of(path: str) -> str:
    """A location's path as a relative, percent-encoded URI."""
    return quote(path, safe="/-._~")


def is_plain_text(result: AuditResult) -> bool:
    """Plain-text input: one segment per line, the target is the whole line."""
    return str(result.inputs.get("input", "")).endswith(".txt")


def locate(result: AuditResult) -> list[Location]:
    """One location per row of ``result.findings``, in the same order."""
    path = input_path(result)
    indexed = result.flagged_rows.segments.set_index("segment_id")
    lines = indexed["line"].to_dict()
    offsets = indexed["body_offset"].to_dict() if "body_offset" in indexed.columns else {}
    files = indexed["file"].to_dict() if "file" in indexed.columns else {}
    exact = is_plain_text(result)
    out = []
    for seg, start, end in zip(
        result.findings["segment_id"], result.findings["start"], result.findings["end"], strict=True
    ):
        located = exact and int(start) >= 0
        column = int(start) + 1 if located else 1
        end_column = max(int(end), int(start) + 1) + 1 if located else 1
        where = f"{path}/{files[seg]}" if files.get(seg) else path
        out.append(
            Location(where, int(lines[seg]), column, end_column, located, _place(seg, offsets, int(start)))
        )
    return out


def _place(segment_id: str, offsets: dict[str, Any], start: int) -> str:
    """``ARTICLE ¶3, char 57`` for a feed segment (``ARTICLE title`` has no offset), else ""."""
    if segment_id not in offsets:
        return ""
    offset = int(offsets[segment_id])
    return segment_id if offset < 0 else f"{segment_id}, char {offset + max(start, 0)}"


def label(row: dict[str, Any], where: Location) -> str:
    """How a message names its segment: ``[segment 7]``, or its place in a feed's article."""
    return f"[segment {where.place or row['segment_id']}]"


Located = tuple[int, dict[str, Any], Location]  # position in result.findings, the row, its place


def located(result: AuditResult, *, most_severe_first: bool = False) -> list[Located]:
    """Every finding as ``(position, row, location)``, in the findings' order or, with
    ``most_severe_first``, errors then warnings then info (stable: input order within each),
    the order every renderer that may be cut short (GitHub, SARIF, the terminal) lists them."""
    rows: list[dict[str, Any]] = result.findings.to_dict("records")  # type: ignore[assignment]
    out = [(i, row, where) for i, (row, where) in enumerate(zip(rows, locate(result), strict=True))]
    if most_severe_first:
        out.sort(key=lambda f: SEVERITY_RANK[str(f[1]["severity"])])
    return out
