"""Baselines: accept the findings a team already knows about, gate only on new ones.

``tqaudit audit --write-baseline FILE`` records the current findings as a JSON file of
fingerprints (``findings.fingerprint``: rule, normalised segment text, flagged text), which a
later run takes with ``--baseline FILE``. A finding is known when the baseline has its
fingerprint; each fingerprint is counted, so a third copy of a segment the baseline knows
twice is new. No line, segment id or message is part of the key: the baseline survives lines
inserted or moved elsewhere in the file, unrelated edits, and messages quoting corpus
figures. Only the segment a finding is about, edited, makes its findings new.

A ``findings.csv`` of an earlier run is still read as a baseline (its rows have no full
segment text, so they match on segment id, rule and message, as before).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.findings import fingerprints
from tqaudit.io.readers import read_text
from tqaudit.io.writers import needs_neutralizing, write_text

LEGACY_KEY = ("segment_id", "rule", "message")
FORMAT = "tqaudit-baseline"
VERSION = 1


@dataclass
class Baseline:
    """Known findings: fingerprint counts, or (segment_id, rule, message) keys of a legacy CSV."""

    fingerprints: Counter[str] = field(default_factory=Counter)
    legacy: set[tuple[str, str, str]] = field(default_factory=set)


def _restore(cell: str) -> str:
    """Undo the CSV writer's formula neutralisation (``'=x`` was written for ``=x``)."""
    if cell.startswith("'") and needs_neutralizing(cell[1:]):
        return cell[1:]
    return cell


def _from_json(path: Path, data: Any) -> Baseline:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f'{path}: not a tqaudit baseline (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise InputError(
            f"{path}: baseline version {data.get('version')!r} is not supported (expected {VERSION})"
        )
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and "fingerprint" in e for e in entries):
        raise InputError(f'{path}: baseline "findings" must be a list of objects with a fingerprint')
    return Baseline(fingerprints=Counter(str(e["fingerprint"]) for e in entries))


def load_baseline(path: Path) -> Baseline:
    """A baseline JSON written by ``--write-baseline``, or a findings.csv."""
    text = read_text(path)
    if text.lstrip().startswith("{"):
        try:
            return _from_json(path, json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: baseline is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [k for k in LEGACY_KEY if k not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}: not a baseline JSON or findings.csv (no {', '.join(missing)} column)")
    return Baseline(legacy={(_restore(r["segment_id"]), r["rule"], _restore(r["message"])) for r in reader})


def apply_baseline(findings: pd.DataFrame, known: Baseline, targets: dict[str, str]) -> pd.DataFrame:
    """The findings the baseline does not know, in their order."""
    if findings.empty:
        return findings
    budget = Counter(known.fingerprints)
    mask = []
    legacy = zip(findings["segment_id"], findings["rule"], findings["message"], strict=True)
    for key, row in zip(fingerprints(findings, targets, numbered=False), legacy, strict=True):
        if budget[key] > 0:
            budget[key] -= 1
            mask.append(False)
        else:
            mask.append(row not in known.legacy)
    return findings[mask].reset_index(drop=True)


def write_baseline(path: Path, findings: pd.DataFrame, targets: dict[str, str]) -> None:
    """Record ``findings`` as a baseline (atomically; same findings, same bytes)."""
    entries = [
        {"fingerprint": key, "rule": str(rule), "segment_id": str(seg), "message": str(message)}
        for key, rule, seg, message in zip(
            fingerprints(findings, targets, numbered=False),
            findings["rule"],
            findings["segment_id"],
            findings["message"],
            strict=True,
        )
    ]
    data = {"format": FORMAT, "version": VERSION, "findings": entries}
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
