"""Atomic writing (reports and fixed files) and spreadsheet-safe CSV.

Every file goes to a temporary file in the destination folder and is renamed into place,
so a crash or a bad input never leaves a half-written file behind. The temporary file is
created private (``mkstemp``), so before the rename it gets the mode the user expects: the
mode of the file it replaces (an in-place fix keeps a 0664 file 0664), or for a new file
what ``open(path, "w")`` would give (``0o666`` minus the umask).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd

from tqaudit.errors import OutputError

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google
# Sheets (OWASP "CSV Injection"); tab and CR are included because some importers strip them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_UMASK_LOCK = threading.Lock()


def neutralize_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would evaluate with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
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


@contextlib.contextmanager
def _atomic(path: Path) -> Iterator[IO[bytes]]:
    """A binary temporary file beside ``path``, renamed over it (with the right mode) on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _final_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV with every text cell neutralised against formula injection."""
    safe = frame.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].map(neutralize_formula)
    return safe.to_csv(index=False, lineterminator="\n", float_format="%.4f")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to ``path`` atomically as spreadsheet-safe CSV."""
    write_text(path, csv_text(frame))
