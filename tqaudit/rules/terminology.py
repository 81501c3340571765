"""Terminology rules: glossary terms that the translation must render a fixed way."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tqaudit.chunk import Chunk, finditer
from tqaudit.errors import ConfigError
from tqaudit.io.readers import read_text
from tqaudit.rules.base import Hit, Rule
from tqaudit.rules.registry import register


@dataclass(frozen=True)
class Term:
    """One glossary entry: a source pattern and the target form it requires."""

    source: str
    target: str
    source_re: re.Pattern[str]
    target_re: re.Pattern[str]


def _term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive whole-word pattern; a trailing ``*`` allows inflected endings."""
    stem, wildcard = (term[:-1], True) if term.endswith("*") else (term, False)
    body = re.escape(stem.strip()) + (r"\w*" if wildcard else "")
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def load_glossary(path: Path) -> tuple[Term, ...]:
    """Read a TSV/CSV glossary with a ``source`` and a ``target`` column."""
    text = read_text(path)  # the project's one reader: missing, empty, not UTF-8 are clear errors
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not {"source", "target"} <= set(reader.fieldnames or []):
        raise ConfigError(f"{path}: a glossary needs 'source' and 'target' columns")
    terms = []
    for line, row in enumerate(reader, start=2):
        source, target = (row["source"] or "").strip(), (row["target"] or "").strip()
        if not source or not target:
            raise ConfigError(f"{path}:{line}: empty source or target term")
        terms.append(Term(source, target.rstrip("*"), _term_pattern(source), _term_pattern(target)))
    return tuple(terms)


@register
class GlossaryTerm(Rule):
    """Glossary term in the source not rendered with its required translation.

    ## What it does
    For every term of the user's glossary (`--glossary terms.tsv`, columns `source` and
    `target`) found in a segment's source, checks that the target contains the required
    translation, case-insensitively and as whole words. A trailing `*` on a term accepts
    inflected endings (`Казахстан*` matches `Казахстане`). A term whose target equals its
    source is a do-not-translate entry (brand and product names).

    ## Why is this bad?
    Clients, regulators and style guides fix how names, products and legal terms are
    translated; MT picks whichever rendering its training data preferred.

    ## Example
    Glossary: `КНБ` → `National Security Committee`
    Source: `Боевики атаковали здания КНБ.`
    Target: `Militants attacked KNB buildings.`

    Use instead:
    `Militants attacked National Security Committee buildings.`

    ## Known problems
    Matching is on surface forms: a required target term in another inflection (German
    cases, Russian endings) needs a `*` on the target side. Segments without a source are
    skipped.
    """

    code = "TM001"
    name = "glossary-term"
    category = "terminology"
    severity = "warning"

    def prepare(self) -> None:
        self._terms = tuple(t for path in self.packs.glossaries for t in load_glossary(path))

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        sources = chunk.sources
        targets = chunk.targets
        for term in self._terms:
            seen: set[int] = set()
            for row, m in finditer(sources, term.source_re):
                if row in seen or term.target_re.search(targets[row]):
                    continue
                seen.add(row)
                found = m.group()
                start = m.start()
                yield Hit(
                    row,
                    -1,
                    -1,
                    f"Source term '{found}' (at {start}) should be translated as '{term.target}'",
                    term.target,
                )
