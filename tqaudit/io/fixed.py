"""The fixed input in its own format: one entry point over the format modules' writers.

``tqaudit fix`` must change nothing but the fixed target texts, so it never serializes
the segments table; it hands the changed targets (by 0-based segment position, in the
order :func:`tqaudit.io.readers.read_segments` returns segments) to the input format's
writer, which patches the original file. Write the result with
:func:`tqaudit.io.writers.write_bytes`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tqaudit.errors import OutputError
from tqaudit.io.formats import delimited, jsonl, l10n, parquet, txt
from tqaudit.io.formats.common import declared_encoding

# The formats whose writer puts fixed targets back. A feed (rss, atom, articles, html) is
# not among them: its segments are text extracted from markup, and an edit of that text
# has no single place in the file's escaped HTML to go back to.
WRITABLE = ("txt", "tsv", "csv", "jsonl", "parquet", "xliff", "tmx", "po")


def render_fixed(
    path: Path,
    fmt: str,
    targets: Mapping[int, str],
    encoding: str | None = None,
    dialect: str | None = None,
) -> bytes:
    """The complete new content of ``path`` (format ``fmt`` from ``detect_format``) with
    the target texts of the segments at ``targets``' positions replaced.

    For plain text only the target file is rewritten (``--src``/``--ref`` files are
    never touched). A replacement the format cannot hold without shifting or corrupting
    other segments (a line break in a line-based file) is an :class:`OutputError`. The file
    is written back in the encoding and TSV/CSV dialect it was read with (``encoding``,
    ``dialect``, as ``read_segments``).
    """
    with declared_encoding(encoding), delimited.declared_dialect(dialect):
        return _render(Path(path), fmt, targets)


def _render(path: Path, fmt: str, targets: Mapping[int, str]) -> bytes:
    if fmt == "txt":
        return txt.write_targets(path, targets)
    if fmt == "tsv":
        return delimited.write_targets(path, targets, "\t")
    if fmt == "csv":
        return delimited.write_targets(path, targets, ",")
    if fmt == "jsonl":
        return jsonl.write_targets(path, targets)
    if fmt == "parquet":
        return parquet.write_targets(path, targets)
    if fmt in ("xliff", "tmx", "po"):
        return l10n.write_targets(path, targets, fmt)
    raise OutputError(f"{path}: cannot write format {fmt!r}")
