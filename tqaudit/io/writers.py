"""Atomic writing (reports and fixed files) and spreadsheet-safe CSV.

Every file goes to a temporary file in the destination folder and is renamed into place,
so a crash or a bad input never leaves a half-written file behind. The temporary file is
created private (``mkstemp``), so before the rename it gets the mode the user expects: the
mode of the file it replaces (an in-place fix keeps a 0664 file 0664), or for a new file
what ``open(path, "w")`` would give (``0o666`` minus the umask).

The temporary file's name carries the writing process's id (``.NAME.tq1234-k3j9.tmp``): a
run killed by SIGKILL or a power cut cannot remove it, so the next write of the same file
removes those whose process has ended (:func:`remove_stale_temps`).
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import re
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd

from tqaudit.errors import OutputError

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google
# Sheets (OWASP "CSV Injection"); tab and CR are included because some importers strip them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_UMASK_LOCK = threading.Lock()


def _invisible(char: str) -> bool:
    """Whitespace, format (BOM, ZWSP) and control characters: what an importer may strip or a
    reader not see before a cell's first visible character."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def needs_neutralizing(value: str) -> bool:
    """True when a spreadsheet could evaluate ``value``: a formula character first, or after
    leading whitespace or invisible characters (`` =1``, NBSP, ZWSP, BOM)."""
    if value.startswith(FORMULA_PREFIXES):
        return True
    for char in value:
        if not _invisible(char):
            return char in "=+-@"
    return False


def neutralize_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would evaluate with an apostrophe."""
    if isinstance(value, str) and needs_neutralizing(value):
        return "'" + value
    return value


def current_umask() -> int:
    """The process umask, read without changing it where the OS allows.

    Linux reports it in ``/proc/self/status``; elsewhere it is set and restored under a
    lock, which is safe against other tqaudit threads (the only writers in this process).
    """
    status = Path("/proc/self/status")
    with contextlib.suppress(OSError, ValueError), status.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:
        old = os.umask(0o077)
        os.umask(old)
    return old


def _final_mode(path: Path) -> int:
    """The replaced file's permission bits, or ``0o666 & ~umask`` for a new file."""
    try:
        st = os.stat(path)
    except OSError:
        return 0o666 & ~current_umask()
    if stat.S_ISREG(st.st_mode):
        return stat.S_IMODE(st.st_mode)
    return 0o666 & ~current_umask()


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to tell: treat it as running
        return True
    return True


def ended(pid: str) -> bool:
    """Whether ``pid`` (as read from a leftover's name) names a process that has ended:
    a number, not this process, and not running. What each cleanup of leftovers asks."""
    return pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid))


def _temp_prefix(path: Path, pid: int) -> str:
    return f".{path.name}.tq{pid}-"


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` left by tqaudit runs that have ended.

    Only names this module creates for ``path`` (``.NAME.tqPID-XXXX.tmp``, regular files)
    whose process no longer runs are removed: a concurrent run's file is kept, and so is
    anything else in the folder.
    """
    removed: list[Path] = []
    try:
        candidates = sorted(path.parent.glob(glob.escape(f".{path.name}.tq") + "*-*.tmp"))
    except OSError:
        return removed
    for tmp in candidates:
        pid = tmp.name[len(path.name) + 4 :].partition("-")[0]
        if not ended(pid):
            continue
        with contextlib.suppress(OSError):
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
                removed.append(tmp)
    return removed


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[bytes]]:
    """A binary temporary file beside ``path``, renamed over it (with the right mode) on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    mode = _final_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path, os.getpid()), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fchmod(fh.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[IO[str]]:
    """Open a UTF-8 temporary file beside ``path``; rename it over ``path`` only on success."""
    with _atomic(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield fh
        fh.flush()
        fh.detach()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (UTF-8, ``\\n`` line ends)."""
    try:
        with atomic_write(path) as fh:
            fh.write(text)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, exactly as given."""
    try:
        with _atomic(path) as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None


# A quoted field or an unquoted row end, in CSV written with "\r\n" row ends (every field
# holding a quote is quoted, so quotes pair up and a quoted field never spans a match).
_QUOTED_OR_ROW_END = re.compile(r'("[^"]*")|\r\n')


def _safe_cells(cells: list[object]) -> tuple[list[object] | None, bool]:
    """A column's cells with :func:`neutralize_formula` applied (None: no cell changed), and
    whether a text cell holds a CR.

    One loop over the cells instead of a ``Series.map`` per question (two Python calls per
    cell, most of the time of a segments.csv): a text that opens with a letter or digit is
    never a formula (neither a formula character nor an invisible one), so only the others
    are tested."""
    out: list[object] | None = None
    has_cr = False
    for i, cell in enumerate(cells):
        if not isinstance(cell, str):
            continue
        if not cell[:1].isalnum() and needs_neutralizing(cell):
            if out is None:
                out = list(cells)
            out[i] = "'" + cell
        if "\r" in cell:
            has_cr = True
    return out, has_cr


def csv_text(frame: pd.DataFrame, *, header: bool = True) -> str:
    """``frame`` as CSV with every text cell neutralised against formula injection.

    Rows end in ``\n``. Python's csv writer (before 3.13) quotes only the characters of its
    row terminator, so a bare CR in a cell would be written unquoted and a reader would start
    a new row there (with the rest of the cell, never neutralised, in column A). When a text
    cell holds a CR the frame is written with ``\r\n`` row ends, which quotes every CR and LF,
    and the unquoted row ends are turned back into ``\n``.
    """
    safe = frame.copy()
    has_cr = False
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            cells, cr = _safe_cells(safe[col].tolist())
            if cells is not None:
                safe[col] = pd.Series(cells, index=safe.index, dtype=object)
            has_cr = has_cr or cr
    if not has_cr:
        return safe.to_csv(index=False, header=header, lineterminator="\n", float_format="%.4f")
    text = safe.to_csv(index=False, header=header, lineterminator="\r\n", float_format="%.4f")
    return _QUOTED_OR_ROW_END.sub(lambda m: m.group(1) or "\n", text)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to ``path`` atomically as spreadsheet-safe CSV."""
    write_text(path, csv_text(frame))
