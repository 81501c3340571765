"""What a rule reads: one prepared, read-only chunk of segments with the annotations it declared.

The engine builds a :class:`Chunk` once per slice of the segments table and hands the same
object to every rule, so the columns are turned into Python sequences once, not once per
rule. Rules never see the segments DataFrame and cannot change it: the sequences are tuples.

Language verdicts and segment scores are not columns of the segments table; they arrive
here only when a rule declares them in ``requires`` (``chunk.annotation("target_lang")``).

Regular expressions run on one segment at a time (:meth:`Chunk.finditer`), so ``^``, ``$``,
``\\b`` and look-arounds in a rule's pattern see one segment, never a neighbour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from types import MappingProxyType
from typing import Any, NamedTuple

import pandas as pd

# Columns of the annotation frames, by the stage that makes them.
LANGUAGE_COLUMNS: tuple[str, ...] = ("target_lang", "target_lang_conf", "source_lang", "source_lang_conf")
SCORE_COLUMNS: tuple[str, ...] = ("bleu", "chrf", "ter")
# Columns a reader may add to the segments table for a rule to read as an annotation:
# ``alignment`` says why a feed's segment could not be paired with its source (FD013).
SEGMENT_ANNOTATIONS: tuple[str, ...] = ("alignment",)


class SegmentRow(NamedTuple):
    """One segment's texts, looked up by corpus position (what a corpus rule's ``finish``
    reads back instead of keeping every text in its state)."""

    segment_id: str
    doc_id: str
    source: str
    target: str


def _strings(frame: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in frame.columns:
        return ("",) * len(frame)
    return tuple(frame[column].tolist())


@dataclass(frozen=True, eq=False)
class Chunk:
    """A slice of the segments table as tuples, plus the declared annotations.

    ``row`` numbers (0..n-1) index every sequence; ``positions`` map them to the rows of the
    table the chunk came from (the engine's business, not the rules').
    """

    ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    src_langs: tuple[str, ...]
    tgt_langs: tuple[str, ...]
    references: tuple[tuple[str, ...], ...] = ()
    annotations: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    positions: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # read-only all the way down: a rule cannot change what the next rule reads
        object.__setattr__(self, "annotations", MappingProxyType(dict(self.annotations)))

    @classmethod
    def from_frame(
        cls,
        segments: pd.DataFrame,
        annotations: Mapping[str, Sequence[Any]] | None = None,
        reference_columns: Sequence[str] = (),
    ) -> Chunk:
        """The chunk of a segments table (index ignored) with annotation columns by name."""
        return cls(
            ids=_strings(segments, "segment_id"),
            doc_ids=_strings(segments, "doc_id"),
            sources=_strings(segments, "source"),
            targets=_strings(segments, "target"),
            src_langs=_strings(segments, "src_lang"),
            tgt_langs=_strings(segments, "tgt_lang"),
            references=tuple(tuple(segments[c].tolist()) for c in reference_columns),
            annotations={k: tuple(v) for k, v in (annotations or {}).items()},
            positions=tuple(range(len(segments))),
        )

    def __len__(self) -> int:
        return len(self.targets)

    def subset(self, rows: Sequence[int]) -> Chunk:
        """The chunk restricted to ``rows`` (renumbered 0..k-1; positions kept)."""

        def pick(seq: Sequence[Any]) -> tuple[Any, ...]:
            return tuple(map(seq.__getitem__, rows))  # the loop in C

        return Chunk(
            ids=pick(self.ids),
            doc_ids=pick(self.doc_ids),
            sources=pick(self.sources),
            targets=pick(self.targets),
            src_langs=pick(self.src_langs),
            tgt_langs=pick(self.tgt_langs),
            references=tuple(pick(r) for r in self.references),
            annotations={k: pick(v) for k, v in self.annotations.items()},
            positions=pick(self.positions),
        )

    def annotation(self, name: str) -> tuple[Any, ...]:
        """An annotation column the rule declared in ``requires`` (empty strings when absent)."""
        return self.annotations.get(name, ("",) * len(self))


def finditer(
    texts: Sequence[str], pattern: re.Pattern[str], where: re.Pattern[str] | None = None
) -> Iterator[tuple[int, re.Match[str]]]:
    """(row, match) for every match of ``pattern`` in each text, offsets local to that text.

    One segment at a time: anchors and look-arounds never see a neighbouring segment. The
    rows that match at all are found first by a loop that runs in C (most patterns match
    few segments), so the Python-level work is proportional to the matches. ``where`` is a
    cheaper pattern that every text with a match of ``pattern`` matches too (a pattern that
    opens with a look-behind is tried at every position; one that opens with a character
    or a class is searched for in C): it picks the rows instead.
    """
    for row in compress(range(len(texts)), map((where or pattern).search, texts)):
        for match in pattern.finditer(texts[row]):
            yield row, match


def rows_containing(texts: Sequence[str], needles: Iterable[str]) -> list[int]:
    """The rows whose text contains one of ``needles`` (a few literal strings), in order.

    Substring tests run in C and are several times cheaper than a regex character class
    over the same text; an ASCII text (``str.isascii`` is a flag test) is only tested for
    the ASCII needles, as it cannot contain the others.
    """
    every = tuple(needles)
    ascii_only = tuple(n for n in every if n.isascii())
    out = []
    for row, text in enumerate(texts):
        for needle in ascii_only if text.isascii() else every:
            if needle in text:
                out.append(row)
                break
    return out
