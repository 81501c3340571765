"""Running rules over the segments table, in chunks, in-process or across processes.

The only module that knows about parallelism. Rules see chunks (DataFrame slices with a
0..n-1 index) and return ``Hit`` rows; the engine adds the segment id, category, severity
and excerpt, and sorts findings so the same input always gives the same table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

from tqaudit.config import Config
from tqaudit.errors import RuleError
from tqaudit.packs import PackSet
from tqaudit.rules import FINDING_COLUMNS, RULES, Rule, load_rules, select_rules

CHUNK_SIZE = 2000
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]")
EXCERPT_CONTEXT = 30


def build_rules(config: Config) -> list[Rule]:
    """Instances of the selected rules, with options and severities from ``config``."""
    load_rules()
    codes = select_rules(config.select, config.ignore, config.extend_select)
    for code in list(config.rule_options) + list(config.severity):
        if code not in RULES:
            from tqaudit.errors import ConfigError

            raise ConfigError(f"unknown rule code {code!r} in [rules] config")
    packs = PackSet(tuple(config.packs)) if config.packs else PackSet.default()
    options = {code: dict(opts) for code, opts in config.rule_options.items()}
    if config.glossary is not None:  # --glossary is the glossary-term rule's option
        options.setdefault("TM001", {})["glossary"] = str(config.glossary)
    return [RULES[code](options.get(code), packs) for code in codes]


def empty_findings() -> pd.DataFrame:
    """A findings table with no rows and the contract's columns and dtypes."""
    frame = pd.DataFrame({col: pd.Series(dtype=object) for col in FINDING_COLUMNS})
    return frame.astype({"start": "int64", "end": "int64"})


def excerpt(text: str, start: int, end: int) -> str:
    """The flagged text with a little context, on one line (the whole segment, shortened, for -1)."""
    if start < 0:
        start, end = 0, min(len(text), 2 * EXCERPT_CONTEXT)
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(text), end + EXCERPT_CONTEXT)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return _LINE_BREAKS.sub(" ", snippet)


def _chunks(segments: pd.DataFrame, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
    for offset in range(0, len(segments), size):
        yield offset, segments.iloc[offset : offset + size].reset_index(drop=True)


def _rows_for(rule: Rule, chunk: pd.DataFrame) -> pd.DataFrame:
    """The chunk rows the rule applies to (by target language), re-indexed, with positions."""
    if not rule.languages:
        return chunk
    mask = (chunk["tgt_lang"] == "") | chunk["tgt_lang"].isin(rule.languages)
    return chunk[mask]


def check_chunk(
    rules: Sequence[Rule], chunk: pd.DataFrame, offset: int, severity: dict[str, str]
) -> list[dict[str, Any]]:
    """Run every rule on one chunk; rows carry ``_pos`` (segment position) for sorting."""
    rows: list[dict[str, Any]] = []
    targets: list[str] = chunk["target"].tolist()
    ids: list[str] = chunk["segment_id"].tolist()
    for rule in rules:
        part = _rows_for(rule, chunk)
        if part.empty:
            continue
        positions = part.index.to_numpy()
        local = part.reset_index(drop=True)
        try:
            hits = list(rule.check(local))
        except Exception as exc:
            first = local["segment_id"].iloc[0]
            raise RuleError(
                f"rule {rule.code} crashed on the chunk starting at segment {first!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        sev = severity.get(rule.code, rule.severity)
        for hit in hits:
            pos = int(positions[hit.row])
            target = targets[pos]
            rows.append(
                {
                    "_pos": offset + pos,
                    "segment_id": ids[pos],
                    "rule": rule.code,
                    "category": rule.category,
                    "severity": sev,
                    "message": hit.message,
                    "start": hit.start,
                    "end": hit.end,
                    "excerpt": excerpt(target, hit.start, hit.end),
                    "suggestion": hit.suggestion,
                    "fix": rule.fix.value if hit.suggestion else "none",
                }
            )
    return rows


def _check_chunk_star(args: tuple[Sequence[Rule], pd.DataFrame, int, dict[str, str]]) -> list[dict[str, Any]]:
    return check_chunk(*args)


def run_rules(segments: pd.DataFrame, rules: Sequence[Rule], config: Config) -> pd.DataFrame:
    """All findings of ``rules`` on ``segments``, sorted by segment order, offset and rule."""
    severity = dict(config.severity)
    per_chunk = [r for r in rules if r.scope == "chunk"]
    corpus = [r for r in rules if r.scope == "corpus"]
    jobs = [(per_chunk, chunk, offset, severity) for offset, chunk in _chunks(segments, CHUNK_SIZE)]
    if config.jobs > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=config.jobs) as pool:
            results = list(pool.map(_check_chunk_star, jobs))
    else:
        results = [_check_chunk_star(job) for job in jobs]
    if corpus and len(segments):
        results.append(check_chunk(corpus, segments.reset_index(drop=True), 0, severity))
    rows = [row for part in results for row in part]
    if not rows:
        return empty_findings()
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(["_pos", "start", "end", "rule", "message"], kind="mergesort")
    return frame.drop(columns="_pos").reset_index(drop=True)[list(FINDING_COLUMNS)]
