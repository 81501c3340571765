"""The findings contract: categories, severities, fix safety, columns, edits and fingerprints.

Everything that reads or writes a findings table (the engine, ``fix``, every report, the
baseline) takes these names from here, so the contract in ``DESIGN.md`` is stated once.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

CATEGORIES: tuple[str, ...] = (
    "markup",
    "punctuation",
    "casing",
    "whitespace",
    "transliteration",
    "calque",
    "language",
    "boilerplate",
    "fidelity",
    "repetition",
    "terminology",
    "consistency",
    "score",
)
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# --fail-on LEVEL fails the gate on findings at LEVEL or above.
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
FINDING_COLUMNS: tuple[str, ...] = (
    "segment_id",
    "rule",
    "category",
    "severity",
    "message",
    "start",
    "end",
    "excerpt",
    "suggestion",
    "fix",
)


class Applicability(str, enum.Enum):
    """Fix safety, after ruff: SAFE fixes apply by default, UNSAFE only on request.

    ``NONE`` is what a finding without an edit carries, whatever its rule declares.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"
    NONE = "none"


@dataclass(frozen=True)
class Edit:
    """Replace ``target[start:end]`` with ``content`` (ruff's ``Edit``).

    An empty ``content`` is a deletion on purpose; a finding that knows no fix carries no
    ``Edit`` at all, so "no fix" and "delete" can never be confused.
    """

    start: int
    end: int
    content: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"an edit needs 0 <= start <= end, got {self.start}..{self.end}")


def fix_value(edit: Edit | None, safety: Applicability) -> str:
    """The ``fix`` column of a finding: the rule's safety when it carries an edit, else ``none``."""
    return safety.value if edit is not None else Applicability.NONE.value


def fixable(applicability: str, unsafe: bool) -> bool:
    """Whether ``tqaudit fix`` applies an edit of this applicability (never display-only)."""
    allowed = {Applicability.SAFE.value, Applicability.UNSAFE.value} if unsafe else {Applicability.SAFE.value}
    return applicability in allowed


def empty_findings() -> pd.DataFrame:
    """A findings table with no rows and the contract's columns and dtypes."""
    frame = pd.DataFrame({col: pd.Series(dtype=object) for col in FINDING_COLUMNS})
    return frame.astype({"start": "int64", "end": "int64"})


_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]")
EXCERPT_CONTEXT = 30


def excerpt(text: str, start: int, end: int) -> str:
    """The flagged text with a little context, on one line (the whole segment, shortened, for -1)."""
    if start < 0:
        start, end = 0, min(len(text), 2 * EXCERPT_CONTEXT)
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(text), end + EXCERPT_CONTEXT)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return _LINE_BREAKS.sub(" ", snippet)


def _normalised(text: str) -> str:
    """NFC, whitespace runs as one space, trimmed: edits that change nothing a reader sees."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fingerprint(rule: str, target: str, start: int, end: int) -> str:
    """A stable identity of a finding: its rule, its segment's text and the flagged text.

    No segment id, line, offset, message or count goes in, so it survives lines inserted or
    moved elsewhere in the file, a re-export that changes spacing, and messages that quote
    corpus-wide figures. Two findings of one rule on identical texts share it;
    :func:`fingerprints` numbers such repeats so every finding of a run has its own.
    """
    flagged = target[start:end] if start >= 0 else ""
    key = f"{rule}\x1f{_normalised(target)}\x1f{_normalised(flagged)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprints(findings: pd.DataFrame, targets: dict[str, str], *, numbered: bool = True) -> list[str]:
    """One fingerprint per row of ``findings`` (``targets``: segment id -> target).

    ``numbered``: the n-th finding with the same :func:`fingerprint` in the table's order gets
    ``:n`` appended (from the second), as GitLab requires unique fingerprints; the order of
    identical findings does not change when unrelated lines move, so the numbering is stable
    too. A baseline counts the plain ones instead (``numbered=False``).
    """
    seen: dict[str, int] = {}
    out = []
    for seg, rule, start, end in zip(
        findings["segment_id"], findings["rule"], findings["start"], findings["end"], strict=True
    ):
        base = fingerprint(str(rule), targets[seg], int(start), int(end))
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 or not numbered else f"{base}:{seen[base]}")
    return out


@dataclass(frozen=True)
class RuleInfo:
    """What reports show of a rule: its catalogue entry, carried by the audit result.

    Reports read these instead of importing the rules, so a report can be rendered from a
    result alone (and the rules never depend on how they are reported).
    """

    code: str
    name: str
    category: str
    severity: str
    fix: str
    summary: str
    documentation: str
    preview: bool = False

    def section(self, heading: str) -> str:
        """The text of a ``## heading`` section of the documentation ("" if absent)."""
        marker = f"## {heading}"
        if marker not in self.documentation:
            return ""
        rest = self.documentation.split(marker, 1)[1]
        return rest.split("\n## ", 1)[0].strip()


# The tail by which a consistency finding names the other segments of its group.
_SEE = re.compile(r"\(see segments? (.+?)(?: and \d+ more)?\)$")


def see_segments(names: Sequence[str], more: int = 0) -> str:
    """``(see segments 1, 4 and 2 more)``: the message tail naming other segments, which
    :func:`related_segments` reads back (the HTML report links the ids to their cards)."""
    word = "segment" if len(names) + more == 1 else "segments"
    tail = f" and {more} more" if more else ""
    return f"(see {word} {', '.join(names)}{tail})"


def related_segments(message: str) -> list[str]:
    """The segment ids a message names in its :func:`see_segments` tail ([] without one).

    Ids of another pooled input read ``input:id``; an id that itself contains ``, `` cannot
    be told apart from two.
    """
    found = _SEE.search(message)
    return [] if found is None else found.group(1).split(", ")
