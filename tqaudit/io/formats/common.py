"""Decoding input files and splicing new text into them, shared by the format modules.

Readers see the text without a BOM; writers keep the BOM and every byte they do not
replace, so both start from :func:`load`, which gives the two parts separately, and end with
:func:`to_bytes`, which writes the text back in the file's own encoding.

Encoding: UTF-8 unless the file starts with a UTF-16 or UTF-32 byte-order mark (then that,
with the mark's byte order, so a fixed file keeps its bytes), or unless the caller declares
one (``--encoding cp1251``) with :func:`declared_encoding` around the read or the write.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from tqaudit.errors import InputError, OutputError

BOM = "\ufeff"
_DECLARED: ContextVar[str | None] = ContextVar("tqaudit_declared_encoding", default=None)
_MARKS = (  # longest first: a UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@contextlib.contextmanager
def declared_encoding(name: str | None) -> Iterator[None]:
    """Read (and write back) files in ``name`` inside the block; None: detect (UTF-8 or a BOM)."""
    if name:
        try:
            name = codecs.lookup(name).name
        except LookupError:
            raise InputError(f"unknown encoding {name!r}") from None
    token = _DECLARED.set(name or None)
    try:
        yield
    finally:
        _DECLARED.reset(token)


def codec_of(raw: bytes) -> str:
    """The codec a file is read and written with: declared, else from its BOM, else UTF-8."""
    declared = _DECLARED.get()
    if declared in ("utf-16", "utf-32") or not declared:
        for mark, codec in _MARKS:
            if raw.startswith(mark) and (not declared or codec.startswith(declared)):
                return codec
    return declared or "utf-8"


def to_bytes(path: Path, text: str) -> bytes:
    """``text`` (its BOM included) in the encoding ``path`` was read with."""
    try:
        codec = codec_of(path.read_bytes()[:4])
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"{path}: the fixed text has {text[exc.start]!r}, which {codec} cannot hold"
        ) from None


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """A missing file, a folder or an unreadable file met in the block: one line naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes (errors as :func:`_reading`)."""
    with _reading(path):
        return path.read_bytes()


def load(path: Path) -> tuple[str, str]:
    """``(bom, text)``: the file decoded (see the module) and split into its BOM (or ``""``)
    and the rest.

    Errors (missing, not decodable, empty) name the file and, where known, the line.
    """
    raw = read_bytes(path)
    codec = codec_of(raw)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        name = "UTF-8" if codec == "utf-8" else codec
        hint = "; name its encoding with --encoding" if codec == "utf-8" else ""
        raise InputError(
            f"{path}:{line}: not {name} (byte 0x{raw[exc.start]:02x} at offset {exc.start}){hint}"
        ) from None
    if not text.strip("\ufeff \t\r\n"):
        raise InputError(f"{path}: empty file")
    bom = BOM if text.startswith(BOM) else ""
    return bom, text[len(bom) :]


def _open(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes (errors as :func:`_reading`)."""
    with _reading(path):
        if path.is_dir():
            raise IsADirectoryError
        return path.open("rb")


def stream_lines(path: Path, *, keep_bom: bool = False, ends: bool = False) -> Iterator[str]:
    """The lines of ``path`` as :func:`load` and ``txt.parse`` read them (split at ``\\n`` only,
    a ``\\r`` before it dropped, the BOM dropped unless ``keep_bom``), read as they are
    needed: a file of a million segments is never one string. The same errors as
    :func:`load`, raised when the reading reaches them (an empty file: at its end).
    ``ends``: every line keeps its ``\\r`` and ``\\n`` (joined, they are :func:`load`'s text).

    Only encodings that write ``\\n`` as that one byte are read line by line; a UTF-16 or
    UTF-32 file is decoded whole (the reader of a file that size is the exception).
    """
    with _open(path) as fh:
        head = fh.read(4)
        codec = codec_of(head)
        if codec.startswith(("utf-16", "utf-32")):
            bom, text = load(path)
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            last = len(lines) - 1
            for index, line in enumerate(lines):
                prefix = bom if keep_bom and index == 0 else ""
                if ends:
                    yield prefix + line + ("\n" if index < last or text.endswith("\n") else "")
                else:
                    yield prefix + line.removesuffix("\r")
            return
        fh.seek(0)
        decode = codecs.getdecoder(codec)
        offset, content = 0, False
        for number, raw in enumerate(fh, start=1):
            try:
                line = decode(raw)[0]
            except UnicodeDecodeError as exc:
                name = "UTF-8" if codec == "utf-8" else codec
                hint = "; name its encoding with --encoding" if codec == "utf-8" else ""
                where = offset + exc.start
                raise InputError(
                    f"{path}:{number}: not {name} (byte 0x{raw[exc.start]:02x} at offset {where}){hint}"
                ) from None
            offset += len(raw)
            if number == 1 and line.startswith(BOM) and not keep_bom:
                line = line[1:]
            content = content or bool(line.strip("\ufeff \t\r\n"))
            yield line if ends else line.removesuffix("\n").removesuffix("\r")
        if not content:
            raise InputError(f"{path}: empty file")


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


_ROOT = re.compile(r"<(?![?!])([A-Za-z_][\w.:-]*)")
_ENTITY_DECL = re.compile(r"<!ENTITY\b")


def _xml_head(raw: bytes) -> str:
    """The first 64 KiB of an XML file as text for a look at its prolog (UTF-16/32 by their
    mark, else byte for byte: the prolog's markup is ASCII in every other encoding XML
    allows), comments removed."""
    head = raw[:65536]
    codec = next((codec for mark, codec in _MARKS if head.startswith(mark)), "latin-1")
    return re.sub(r"<!--.*?-->", "", head.decode(codec, errors="ignore"), flags=re.S)


def xml_root(raw: bytes) -> str:
    """The name of an XML file's root element as written (``rss``, ``xliff``), or ""."""
    match = _ROOT.search(_xml_head(raw))
    return match.group(1) if match else ""


def declares_entities(raw: bytes) -> bool:
    """Whether the DTD before an XML file's root element declares entities: such a file is
    refused before it is parsed (external entities, expansion bombs), as defusedxml does."""
    text = _xml_head(raw)
    root = _ROOT.search(text)
    return _ENTITY_DECL.search(text[: root.start()] if root else text) is not None


def entities_refused(path: Path) -> InputError:
    """The one-line error for an XML file whose DTD declares entities."""
    return InputError(
        f"{path}: refused: its DTD declares entities (external entities and entity expansion "
        "are not read, as defusedxml refuses them)"
    )
