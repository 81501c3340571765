"""The audited segments, kept out of memory between the engine and the reports.

An audit streams its input chunk by chunk, and a million segments do not fit in memory
beside their findings; yet ``segments.csv`` lists every segment with its language verdicts,
scores and finding counts, which are known only once the corpus rules have finished. So
each chunk's segments, with the annotation frames beside them, are kept as they leave the
engine (in memory up to ``SPOOL_ROWS`` rows, pickled into one anonymous temporary file
beyond), and read back chunk by chunk: by the
report that lists every segment, and once for the rows that the findings name (what every
other report and the suppressions read). The file has no name (``tempfile.TemporaryFile``):
the operating system removes it when it is closed or the process dies, so a run killed with
``kill -9`` leaves nothing behind.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from tqaudit.chunk import SegmentRow
from tqaudit.errors import OutputError


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as the engine left it: segments and its annotation frames (same rows)."""

    segments: pd.DataFrame
    languages: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None

    def parts(self) -> tuple[tuple[str, pd.DataFrame | None], ...]:
        return (("segments", self.segments), ("languages", self.languages), ("scores", self.scores))

    def annotated(self) -> pd.DataFrame:
        """The segments with the language and score columns beside them (for reports)."""
        parts = [self.segments.reset_index(drop=True)]
        parts += [f.reset_index(drop=True) for f in (self.languages, self.scores) if f is not None]
        return pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]


# Rows kept in memory before the store spills to its file: an audit of this size (most CI
# runs) pays no pickling, a larger one holds at most this many rows here at any time.
SPOOL_ROWS = 50_000


class SegmentStore:
    """Chunks of annotated segments, in corpus order: in memory up to ``SPOOL_ROWS`` rows
    (what ``tempfile.SpooledTemporaryFile`` does for bytes), then spilled to an anonymous file."""

    def __init__(self, spool_rows: int | None = None) -> None:
        self.spool_rows = SPOOL_ROWS if spool_rows is None else spool_rows
        self._memory: list[StoredChunk] = []
        self._file: IO[bytes] | None = None
        self._chunks = 0
        self._rows = 0
        self._columns: dict[str, dict[str, None]] = {"segments": {}, "languages": {}, "scores": {}}
        self._numeric: set[str] = set()  # columns filled with NaN, not "", where a chunk lacks them

    @classmethod
    def of(
        cls,
        segments: pd.DataFrame,
        languages: pd.DataFrame | None = None,
        scores: pd.DataFrame | None = None,
    ) -> SegmentStore:
        """A store holding one table (a library caller's, or a test's)."""
        store = cls()
        store.add(StoredChunk(segments.reset_index(drop=True), languages, scores))
        return store

    def add(self, chunk: StoredChunk) -> None:
        """Append ``chunk`` (its rows follow the rows added before)."""
        for name, frame in chunk.parts():
            if frame is not None:
                self._columns[name].update(dict.fromkeys(map(str, frame.columns)))
                self._numeric.update(str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]))
        self._chunks += 1
        self._rows += len(chunk.segments)
        if self._file is None and self._rows <= self.spool_rows:
            self._memory.append(chunk)
            return
        try:
            if self._file is None:  # the spool is full: every chunk so far goes to the file
                self._file = tempfile.TemporaryFile(prefix="tqaudit-")  # noqa: SIM115 (closed by close())
                for kept in self._memory:
                    pickle.dump(kept, self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self._memory = []
            pickle.dump(chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:  # a full or read-only temporary folder: one line, exit 2
            raise OutputError(
                f"{tempfile.gettempdir()}: cannot hold the audit's segments ({exc.strerror or exc}); "
                "free space there or point TMPDIR at a larger folder"
            ) from None

    def __len__(self) -> int:
        return self._rows

    def columns(self, part: str) -> list[str]:
        """Every column ``part`` (segments, languages, scores) had in any chunk, in first-seen order."""
        return list(self._columns[part])

    def chunks(self) -> Iterator[StoredChunk]:
        """The chunks in order, each with every column the store has seen (a column a chunk
        lacked is empty text, or NaN for numbers), so that they concatenate and print alike."""
        if self._file is None:
            yield from (self._complete(chunk) for chunk in self._memory)
            return
        self._file.flush()
        position = 0
        for _ in range(self._chunks):
            self._file.seek(position)
            chunk: StoredChunk = pickle.load(self._file)
            position = self._file.tell()
            yield self._complete(chunk)

    def _complete(self, chunk: StoredChunk) -> StoredChunk:
        frames: list[pd.DataFrame | None] = []
        for name, frame in chunk.parts():
            wanted = self.columns(name)
            if not wanted:
                frames.append(None)
                continue
            if frame is None:
                frame = pd.DataFrame(index=range(len(chunk.segments)))
            missing = [c for c in wanted if c not in frame.columns]
            if missing:
                fill = {c: (float("nan") if c in self._numeric else "") for c in missing}
                frame = frame.assign(**fill)
            frames.append(frame[wanted] if list(frame.columns) != wanted else frame)
        segments, languages, scores = frames
        assert segments is not None
        return StoredChunk(segments, languages, scores)

    def frame(self, part: str = "segments") -> pd.DataFrame | None:
        """One part of every chunk as one frame (None: no chunk had it); index 0..n-1."""
        if not self.columns(part):
            return None if part != "segments" else pd.DataFrame()
        frames = [getattr(chunk, part) for chunk in self.chunks()]
        return pd.concat(frames, ignore_index=True)

    def rows(self, ids: Collection[str]) -> StoredChunk:
        """The stored rows whose ``segment_id`` is in ``ids``, in corpus order (one pass)."""
        wanted = set(ids)
        kept: list[StoredChunk] = []
        for chunk in self.chunks():
            mask = chunk.segments["segment_id"].isin(wanted).to_numpy()
            if mask.any():
                kept.append(
                    StoredChunk(
                        chunk.segments[mask],
                        None if chunk.languages is None else chunk.languages[mask],
                        None if chunk.scores is None else chunk.scores[mask],
                    )
                )
        return _concat(kept, self)

    def at(self, positions: Collection[int], base: int = 0) -> dict[int, SegmentRow]:
        """The texts of the rows at corpus ``positions`` (the store's first row sits at
        ``base``), in one pass: what a corpus finding's excerpt is cut from."""
        return dict(self.scan(positions, base))

    def scan(self, positions: Collection[int], base: int = 0) -> Iterator[tuple[int, SegmentRow]]:
        """(position, texts) of the rows at corpus ``positions``, in corpus order, read chunk
        by chunk as they are taken (a corpus rule reading back many rows holds few at once)."""
        # an array, not a list: a corpus rule may read back most of a million rows
        wanted = np.sort(np.fromiter(positions, np.int64, len(positions)))
        start = base
        for chunk in self.chunks() if len(wanted) else ():
            end = start + len(chunk.segments)
            here = wanted[np.searchsorted(wanted, start) : np.searchsorted(wanted, end)].tolist()
            if here:
                columns = [chunk.segments[c].to_numpy() for c in SegmentRow._fields]
                for pos in here:
                    yield pos, SegmentRow(*(str(column[pos - start]) for column in columns))
            start = end
            if end > wanted[-1]:
                return

    def close(self) -> None:
        """Remove the file now (it also goes when the store is collected or the process ends)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._memory = []
        self._chunks = 0


def _concat(chunks: list[StoredChunk], store: SegmentStore) -> StoredChunk:
    if not chunks:
        empty = pd.DataFrame(columns=store.columns("segments") or ["segment_id"])
        langs = pd.DataFrame(columns=store.columns("languages")) if store.columns("languages") else None
        scores = pd.DataFrame(columns=store.columns("scores")) if store.columns("scores") else None
        return StoredChunk(empty, langs, scores)

    def joined(part: str) -> pd.DataFrame | None:
        frames = [getattr(c, part) for c in chunks]
        return None if frames[0] is None else pd.concat(frames, ignore_index=True)

    segments = joined("segments")
    assert segments is not None
    return StoredChunk(segments, joined("languages"), joined("scores"))
