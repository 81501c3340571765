"""TSV and CSV tables with a header row, read and written in the file's own dialect.

The reader used to go through pandas with one fixed quoting per format while the writer
used another, so a TSV target with ``"`` gained doubled quotes on every ``tqaudit fix``.
Here one small tokenizer finds every cell's text *and its span in the file*; the reader
builds the table from it and the writer re-encodes only the changed target cells.

Dialects: CSV is ``QUOTE_MINIMAL`` (a cell starting with ``"`` is quoted, ``""`` inside
is one quote). TSV is unquoted (every byte literal, so a target like ``"yes" he said``
stays as written) unless the file is quoted the way pandas and spreadsheets write TSV:
every cell starting with ``"`` is a complete quoted cell, every record has the header's
width, and the quotes are evidently needed: the header is quoted, or a one-line quoted
cell holds a doubled ``""``, or reading the file literally gives rows of the wrong width
(quoted tabs and line breaks). Line ends are ``\\n`` or ``\\r\\n``; blank lines (and, as in
pandas, lines of only spaces, or of spaces and tabs in a CSV) are skipped.

``--dialect literal|quoted`` (:func:`declared_dialect`) overrides the detection, for reading
and for writing back: ``literal`` reads every byte as text (no quoting, in a CSV too),
``quoted`` reads a TSV as spreadsheets quote it.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from tqaudit.errors import ConfigError, InputError, OutputError
from tqaudit.io.formats.common import check_positions, load, splice, stream_lines, to_bytes
from tqaudit.segments import is_segment_column

DIALECTS = ("auto", "literal", "quoted")
_DIALECT: ContextVar[str] = ContextVar("tqaudit_declared_dialect", default="auto")


@contextlib.contextmanager
def declared_dialect(name: str | None) -> Iterator[None]:
    """Read (and write back) TSV/CSV files in dialect ``name`` inside the block (None: auto)."""
    if name not in (None, *DIALECTS):
        raise ConfigError(f"--dialect must be one of {', '.join(DIALECTS)}, got {name!r}")
    token = _DIALECT.set(name or "auto")
    try:
        yield
    finally:
        _DIALECT.reset(token)


class Cell(NamedTuple):
    """A cell's value and its raw span (quotes included) in the text after the BOM."""

    value: str
    start: int
    end: int
    quoted: bool
    clean: bool  # quoted and nothing between the closing quote and the separator


@dataclass
class Record:
    line: int  # 1-based line where the record starts
    cells: list[Cell]
    end: int  # offset of the record's line end (or of the end of the text)


@dataclass
class Table:
    sep: str
    quoted: bool  # cells starting with '"' are quoted cells
    records: list[Record] = field(default_factory=list)

    @property
    def header(self) -> Record:
        return self.records[0]

    @property
    def rows(self) -> list[Record]:
        return self.records[1:]


class Block(NamedTuple):
    """Some records and the text their spans point into."""

    text: str
    records: list[Record]


class _Unquoted(Exception):
    """The text is not consistently quoted (raised while detecting a TSV's dialect)."""


class _Unclosed(Exception):
    """A quoted cell is still open at the end of the text (the record starts at ``line``)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _tokenize_literal(text: str, sep: str, first_line: int = 1) -> list[Record]:
    """:func:`_tokenize` for text without quoting: whole lines split by ``str.split``.

    Same records, spans and line numbers as the general tokenizer gives for ``quoted=False``
    (blank lines skipped, a CR before ``\n`` not part of the last cell), without a Python
    step per cell: the common TSV reads several times faster.
    """
    blank = re.compile("[ \t]*\r?" if sep != "\t" else " *\r?")
    records: list[Record] = []
    pieces = text.split("\n")
    pos = 0
    for number, raw in enumerate(pieces, start=first_line):
        start, pos = pos, pos + len(raw) + 1
        terminated = number - first_line + 1 < len(pieces)
        if blank.fullmatch(raw):  # blank lines are skipped, as pandas does
            continue
        body = raw[:-1] if terminated and raw.endswith("\r") else raw
        cells, offset = [], start
        for value in body.split(sep):
            cells.append(Cell(value, offset, offset + len(value), False, False))
            offset += len(value) + 1
        records.append(Record(number, cells, cells[-1].end))
    return records


def _tokenize(text: str, sep: str, quoted: bool, strict: bool, first_line: int = 1) -> list[Record]:
    """Split ``text`` (its first line numbered ``first_line``) into records of cells.

    ``strict``: raise :class:`_Unquoted` on doubt. A quoted cell open at the end of the text
    raises :class:`_Unclosed`.
    """
    if not quoted:
        return _tokenize_literal(text, sep, first_line)
    stop = re.compile(f"[{re.escape(sep)}\\n]")
    records: list[Record] = []
    i, n, line = 0, len(text), first_line
    blank = re.compile("[ \t]*\r?(?:\n|\\Z)" if sep != "\t" else " *\r?(?:\n|\\Z)")
    while i < n:
        skip = blank.match(text, i)
        if skip:  # a blank line, or spaces (and tabs, unless tab-separated): pandas skips them
            i = skip.end()
            line += 1
            continue
        start_line, cells = line, []
        while True:
            start = i
            if quoted and i < n and text[i] == '"':
                parts, j = [], i + 1
                while True:
                    k = text.find('"', j)
                    if k < 0:
                        raise _Unclosed(start_line)
                    parts.append(text[j:k])
                    if text.startswith('"', k + 1):
                        parts.append('"')
                        j = k + 2
                        continue
                    j = k + 1
                    break
                line += text.count("\n", i, j)
                m = stop.search(text, j)
                end = m.start() if m else n
                crlf = end < n and text[end] == "\n" and end > j and text[end - 1] == "\r"
                rest_end = end - 1 if crlf else end
                rest = text[j:rest_end]
                if rest and strict:
                    raise _Unquoted
                cell = Cell("".join(parts) + rest, start, rest_end, True, not rest)
            else:
                m = stop.search(text, i)
                end = m.start() if m else n
                value_end = end
                if m and text[end] == "\n" and end > i and text[end - 1] == "\r":
                    value_end = end - 1
                cell = Cell(text[i:value_end], start, value_end, False, False)
            cells.append(cell)
            if end < n and text[end] == sep:
                i = end + 1
                continue
            records.append(Record(start_line, cells, cell.end))
            i = end + 1
            line += 1
            break
    return records


_QUOTE_STARTS_CELL = re.compile('(?:^|\t)"', re.MULTILINE)
# Characters of text tokenized at once when a file is read in chunks (whole lines).
_BLOCK_CHARS = 1 << 20

Pieces = Callable[[], Iterable[str]]  # the text from its start, in pieces of whole lines


def _blocks(pieces: Iterable[str], sep: str, quoted: bool, strict: bool, path: Path) -> Iterator[Block]:
    """The records of the text in ``pieces``, block by block, each with the block's text (the
    records' spans are offsets into it; their lines count from the start of the file).

    A piece whose last quoted cell is still open is joined to the next ones until it closes,
    re-read only once the text has doubled (linear time, however far the cell runs); open at
    the end of the file, it is :func:`_never_closed` (:class:`_Unquoted` when ``strict``).
    """
    first, carry, retry_at = 1, [], 0
    for piece in pieces:
        carry.append(piece)
        if sum(map(len, carry)) < retry_at:
            continue
        text = "".join(carry)
        try:
            records = _tokenize(text, sep, quoted, strict, first)
        except _Unclosed:
            carry, retry_at = [text], 2 * len(text)
            continue
        yield Block(text, records)
        first += text.count("\n")
        carry, retry_at = [], 0
    if carry:
        text = "".join(carry)
        try:
            records = _tokenize(text, sep, quoted, strict, first)
        except _Unclosed as exc:
            if strict:
                raise _Unquoted from None
            raise _never_closed(path, exc) from None
        yield Block(text, records)


def _detect_tsv_quoting(pieces: Pieces, path: Path) -> bool:
    """Whether a TSV file is quoted the way pandas and spreadsheets quote it (see module doc).

    The file is read once to look for a cell that starts with a quote (most files stop
    there), then up to twice more, block by block: never whole.
    """
    if not any(_QUOTE_STARTS_CELL.search(piece) for piece in pieces()):
        return False  # no cell starts with a quote: nothing is quoted
    width, header_quoted, any_quoted, doubled = -1, False, False, False
    try:
        for block in _blocks(pieces(), "\t", True, True, path):
            for record in block.records:
                if width < 0:
                    width = len(record.cells)
                    header_quoted = all(c.quoted for c in record.cells if c.end > c.start)
                elif len(record.cells) != width:
                    return False
                any_quoted = any_quoted or any(c.quoted for c in record.cells)
                # He said "yes" written as "He said ""yes"""
                doubled = doubled or any(
                    c.quoted and '"' in c.value and "\n" not in block.text[c.start : c.end]
                    for c in record.cells
                )
    except _Unquoted:
        return False
    if width < 0 or not any_quoted:
        return False
    if header_quoted or doubled:
        return True  # a quoted header: read literally, no column would be called "target"
    # Tabs or line breaks inside quotes: only if reading literally breaks the rectangle,
    # so stray quotes in two targets ('"Hello' ... 'world"') never merge rows.
    literal = _blocks(pieces(), "\t", False, False, path)
    return any(len(r.cells) != width for block in literal for r in block.records)


def _is_quoted(pieces: Pieces, sep: str, path: Path) -> bool:
    """The dialect declared (``--dialect``) or detected for the file."""
    chosen = _DIALECT.get()
    return chosen == "quoted" or (chosen == "auto" and (sep != "\t" or _detect_tsv_quoting(pieces, path)))


def parse(text: str, sep: str, path: Path) -> Table:
    """The records of a delimited file's whole text, in the dialect declared or detected."""
    quoted = _is_quoted(lambda: [text], sep, path)
    table = Table(sep, quoted, next(_blocks([text], sep, quoted, False, path)).records)
    if table.records:
        width = len(table.header.cells)
        for record in table.rows:
            _check_width(record, width, path)
    return table


def _never_closed(path: Path, exc: _Unclosed) -> InputError:
    return InputError(f"{path}:{exc.line}: a quoted cell is never closed")


def _check_width(record: Record, width: int, path: Path) -> None:
    if len(record.cells) > width:
        raise InputError(f"{path}:{record.line}: {len(record.cells)} fields, but the header has {width}")


def column_names(header: Record) -> list[str]:
    """Header names as pandas gives them: ``Unnamed: i`` for a blank one, ``x.1`` for a repeat."""
    names = [c.value or f"Unnamed: {i}" for i, c in enumerate(header.cells)]
    counts: defaultdict[str, int] = defaultdict(int)
    for i, col in enumerate(names):
        count = counts[col]
        while count > 0:
            counts[col] = count + 1
            col = f"{col}.{count}"
            count = counts[col]
        names[i] = col
        counts[col] = count + 1
    return names


def _check_unique(header: Record, path: Path) -> None:
    """A segment column named twice would be read as ``target`` and ``target.1``, the second
    never audited: refused, naming the column."""
    seen: set[str] = set()
    for cell in header.cells:
        if cell.value in seen and is_segment_column(cell.value):
            raise InputError(f"{path}:{header.line}: column {cell.value!r} appears twice in the header")
        seen.add(cell.value)


def read(path: Path, sep: str) -> pd.DataFrame:
    """The table of a TSV (``sep="\\t"``) or CSV file, every cell a string, plus ``line``."""
    _, text = load(path)
    table = parse(text, sep, path)
    names = column_names(table.header)
    _check_unique(table.header, path)
    return _frame(table.rows, names)


def _texts(path: Path) -> Iterator[str]:
    """The file's text (as :func:`load` decodes it) in pieces of whole lines."""
    pending: list[str] = []
    size = 0
    for line in stream_lines(path, ends=True):
        pending.append(line)
        size += len(line)
        if size >= _BLOCK_CHARS:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def read_chunks(path: Path, sep: str, size: int) -> Iterator[pd.DataFrame]:
    """:func:`read` in tables of ``size`` rows, the file read block by block as they are
    taken: never whole. Errors are :func:`read`'s, raised when the reading reaches them."""
    quoted = _is_quoted(lambda: _texts(path), sep, path)
    names: list[str] = []
    rows: list[Record] = []
    for block in _blocks(_texts(path), sep, quoted, False, path):
        for record in block.records:
            if not names:
                names = column_names(record)
                _check_unique(record, path)
                continue
            _check_width(record, len(names), path)
            rows.append(record)
            if len(rows) == size:
                yield _frame(rows, names)
                rows = []
    if rows:
        yield _frame(rows, names)


def _frame(records: list[Record], names: list[str]) -> pd.DataFrame:
    """Records as a table of strings (short rows padded with ``""``), plus their ``line``."""
    rows = [[c.value for c in r.cells] + [""] * (len(names) - len(r.cells)) for r in records]
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    frame["line"] = pd.Series([r.line for r in records], dtype="int64")
    return frame


def _encode(value: str, table: Table, cell: Cell | None, path: Path, line: int) -> str:
    sep = table.sep
    if not table.quoted:
        if sep in value or "\n" in value or "\r" in value:
            raise OutputError(
                f"{path}:{line}: the fixed target contains a tab or line break, "
                "which an unquoted TSV cannot hold"
            )
        return value
    needs = any(ch in value for ch in (sep, '"', "\n", "\r"))
    if needs or (cell is not None and cell.quoted) or (value == "" and len(table.header.cells) == 1):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_targets(path: Path, targets: Mapping[int, str], sep: str) -> bytes:
    """The file with the target cells at ``targets``' positions re-encoded; all else unchanged."""
    bom, text = load(path)
    table = parse(text, sep, path)
    names = column_names(table.header)
    if "target" not in names:
        raise OutputError(f"{path}: no 'target' column")
    col = names.index("target")
    check_positions(path, targets, len(table.rows))
    edits = []
    expected = [[c.value for c in r.cells] for r in table.rows]
    for pos, value in targets.items():
        record = table.rows[pos]
        cell = record.cells[col] if col < len(record.cells) else None
        if (cell.value if cell else "") == value:
            continue
        encoded = _encode(value, table, cell, path, record.line)
        if cell is not None:
            edits.append((cell.start, cell.end, encoded))
        else:  # a short row: add the missing cells up to the target
            edits.append((record.end, record.end, sep * (col - len(record.cells) + 1) + encoded))
            expected[pos] += [""] * (col - len(record.cells))
            expected[pos].append(value)
            continue
        expected[pos][col] = value
    if not edits:
        return to_bytes(path, bom + text)
    new = splice(text, edits)
    check = parse(new, sep, path)
    if check.quoted != table.quoted or [[c.value for c in r.cells] for r in check.rows] != expected:
        raise OutputError(f"{path}: the fixed targets cannot be written without changing other cells")
    return to_bytes(path, bom + new)
