"""Decoding input files and splicing new text into them, shared by the format modules.

Readers see the text without a BOM; writers keep the BOM and every byte they do not
replace, so both start from :func:`load`, which gives the two parts separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from tqaudit.errors import InputError, OutputError

BOM = "\ufeff"


def load(path: Path) -> tuple[str, str]:
    """``(bom, text)``: the file as UTF-8 split into its BOM (or ``""``) and the rest.

    Errors (missing, not UTF-8, empty) name the file and, where known, the line.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip("\ufeff \t\r\n"):
        raise InputError(f"{path}: empty file")
    bom = BOM if text.startswith(BOM) else ""
    return bom, text[len(bom) :]


def read_text(path: Path, *, keep_bom: bool = False) -> str:
    """The whole file as UTF-8 text (a BOM is dropped unless ``keep_bom``); errors name the file and line."""
    bom, text = load(path)
    return bom + text if keep_bom else text


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` span replaced; spans must not overlap."""
    parts, last = [], 0
    for start, end, new in sorted(edits):
        if start < last:
            raise ValueError("overlapping edits")
        parts += [text[last:start], new]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def check_positions(path: Path, targets: Mapping[int, str], count: int) -> None:
    """An :class:`OutputError` for a position that is not a segment of the file."""
    for pos in targets:
        if not 0 <= pos < count:
            raise OutputError(f"{path}: no segment at position {pos} (the file has {count})")
