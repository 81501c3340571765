"""Report renderers: one module per output format, all reading one ``AuditResult``.

``write_reports`` renders every requested format, writes the files into a new folder beside
the report folder, and only then swaps it in place of the old one: a
failure leaves the previous reports untouched, and no file of an earlier run with other
``--format``s survives next to the new ones (a stale FAILED ``findings.sarif`` beside a
PASSED ``summary.json``). A folder holding anything but tqaudit's report files is never
replaced: that is an error (exit 2), not a deletion. A renderer gives a text file as one
string, or as an iterator of pieces for a file that lists every segment (written as they
come, so a million segments are never one string in memory); a binary file (Parquet) as a
function that writes it into the open file.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from tqaudit.audit import AuditResult
from tqaudit.errors import ConfigError, OutputError
from tqaudit.io.writers import ended
from tqaudit.report import csv, github, gitlab, json, junit, markdown, parquet, rdjson, sarif

# a report file's content: a text whole or in pieces, or a function writing a binary file
Text = str | Iterator[str] | Callable[[IO[bytes]], None]


def _html(result: AuditResult) -> Mapping[str, Text]:
    """``report.html``; its module (and Jinja2) is imported by a run that asks for it only,
    a third of what importing the report package cost every command."""
    from tqaudit.report import html

    return html.render(result)


# format name -> (renderer returning {file name: text})
RENDERERS: dict[str, Callable[[AuditResult], Mapping[str, Text]]] = {
    "csv": csv.render,
    "json": json.render,
    "md": markdown.render,
    "html": _html,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "rdjson": rdjson.render,
    "parquet": parquet.render,
}
DEFAULT_FORMATS = ("csv", "json", "md")
# Every file a renderer writes: a folder holding only these is tqaudit's to replace.
REPORT_FILES = frozenset(
    {"findings.csv", "segments.csv", "summary.json", "summary.md", "report.html"}
    | {"findings.parquet", "segments.parquet"}
    | {"findings.sarif", "junit.xml", gitlab.FILENAME, rdjson.FILENAME}
)


def default_folder(input_path: Path, root: Path = Path("reports")) -> Path:
    """``reports/<input path>``: unique per input, so two ``Online-B.en`` never share a folder.

    An input below the working directory keeps its relative path (``reports/ru-en/sys/Online-B.en``);
    one outside it gets its name and a hash of its absolute path (``reports/feed.txt-1a2b3c4d``).
    """
    resolved = input_path.resolve()
    try:
        relative = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
        return root / f"{resolved.name}-{digest}"
    return root / relative


def parse_formats(spec: str) -> list[str]:
    """``"csv,json"`` -> ``["csv", "json"]``, refusing unknown names with a hint; ``none`` -> ``[]``
    (no report folder at all: a pre-commit hook or a terminal check)."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    if names == ["none"]:
        return []
    for name in names:
        if name not in RENDERERS:
            raise ConfigError(
                f"unknown report format {name!r} in --format (known: {', '.join(RENDERERS)}, none)"
            )
    if "parquet" in names and not parquet.available():  # refused before a long audit, not after
        raise ConfigError('--format parquet needs pyarrow: pip install -e ".[parquet]"')
    return names


def write_reports(result: AuditResult, out: Path, formats: Iterable[str]) -> list[Path]:
    """Render ``formats`` and replace the folder ``out`` with them; returns the paths written."""
    files: dict[str, Text] = {}
    for name in formats:
        files.update(RENDERERS[name](result))
    if github.STDOUT in files:
        sys.stdout.write(whole(files.pop(github.STDOUT)))
    if not files:
        return []
    replace_folder(out, files)
    return [out / name for name in files]


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    try:
        foreign = sorted(p.name for p in out.iterdir() if p.name not in REPORT_FILES)
    except OSError as exc:
        raise OutputError(f"{out}: cannot read the report folder ({exc.strerror or exc})") from None
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise OutputError(
            f"{out}: holds files tqaudit did not write ({shown}); "
            "refusing to replace it, choose another --out"
        )


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the hidden ``.NAME.new-PID``/``.NAME.old-PID`` folders beside ``out`` that a run
    killed mid-swap (kill -9, power loss) left behind, unless their process still runs.

    A run killed between its two renames has moved the old reports aside and not yet moved
    the new ones in: its ``.old-PID`` folder is put back as ``out`` first, so the folder is
    the previous reports again, never missing and never a mix.
    """
    removed: list[Path] = []
    try:
        candidates = sorted(out.parent.glob(f".{glob.escape(out.name)}.*-*"))
    except OSError:
        return removed
    for path in candidates:
        kind, _, pid = path.name[len(out.name) + 2 :].rpartition("-")
        if kind not in ("new", "old") or not ended(pid) or not path.is_dir():
            continue
        with contextlib.suppress(OSError):
            if kind == "old" and not out.exists():
                os.replace(path, out)
                continue
            shutil.rmtree(path)
            removed.append(path)
    return removed


def _make_parent(out: Path) -> None:
    """Create the folder that will hold ``out``; a file in its place is named as such."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, f"{out.parent} is not a folder") from None


def whole(text: Text) -> str:
    """A text report file's content as one string."""
    if callable(text):
        raise TypeError("a binary report has no text")
    return text if isinstance(text, str) else "".join(text)


def _write(path: Path, text: Text) -> None:
    """One report file: a string at once, pieces as they come, a binary file by its writer."""
    if isinstance(text, str):
        path.write_bytes(text.encode("utf-8"))
        return
    with path.open("wb") as fh:
        if callable(text):
            text(fh)
            return
        for piece in text:
            fh.write(piece.encode("utf-8"))


def replace_folder(out: Path, files: dict[str, Text]) -> None:
    """Write ``files`` into a new folder beside ``out``, then swap it in place of ``out``."""
    _check_replaceable(out)
    remove_leftovers(out)
    tag = f"{os.getpid()}"
    fresh, old = out.with_name(f".{out.name}.new-{tag}"), out.with_name(f".{out.name}.old-{tag}")
    try:
        _make_parent(out)
        fresh.mkdir()
        for name, text in files.items():
            # The folder is swapped in as a whole, so its files need no atomic write of
            # their own, and an error (a full disk) names the report folder, not a temp file.
            _write(fresh / name, text)
        if out.exists():
            os.replace(out, old)
        os.replace(fresh, out)
    except OSError as exc:
        if old.exists() and not out.exists():
            os.replace(old, out)  # put the previous reports back
        raise OutputError(f"{out}: cannot write the reports ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(fresh)
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
