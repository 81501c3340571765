"""Inputs as linters take them: files, folders, glob patterns and ``-`` for standard input.

A folder is searched recursively for files whose extension a reader knows (``FORMATS``:
``.txt .tsv .csv .jsonl .ndjson .parquet .xlf .xliff .tmx .po .rss .rdf .atom .html .htm``), skipping
hidden files and folders (with ``keep_folders``, a folder is one input: the HTML reader's folder
of articles); a pattern (``feeds/**/*.tsv``) is expanded when the shell did not. The ``exclude``
patterns of the configuration (``fnmatch`` patterns matched against the path as found and
against each of its trailing parts, as ruff's ``extend-exclude``) drop files found that way;
a file named on the command line is always read. The order is stable (sorted within each
argument, arguments in the order given) and no file appears twice.
"""

from __future__ import annotations

import glob
from collections.abc import Collection, Sequence
from pathlib import Path

from tqaudit.config import path_matches
from tqaudit.errors import InputError
from tqaudit.io.readers import FORMATS

STDIN = "-"


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _folder(root: Path, exclude: Sequence[str], skip: Collection[str]) -> list[str]:
    found = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in FORMATS
        and p.name not in skip
        and not _hidden(p, root)
        and not path_matches(p, exclude)
    ]
    if not found:
        known = " ".join(sorted(FORMATS))
        raise InputError(f"{root}: no file to audit in this folder (extensions read: {known})")
    return [str(p) for p in sorted(found)]


def _pattern(pattern: str, exclude: Sequence[str], skip: Collection[str]) -> list[str]:
    found = sorted(
        p for p in glob.glob(pattern, recursive=True) if Path(p).is_file() and Path(p).name not in skip
    )
    kept = [p for p in found if not path_matches(Path(p), exclude)]
    if not kept:
        raise InputError(f"{pattern}: no file matches")
    return kept


def expand(
    arguments: Sequence[str],
    exclude: Sequence[str] = (),
    skip: Collection[str] = (),
    *,
    keep_folders: bool = False,
) -> list[str]:
    """The files (and ``-``) that ``arguments`` name, in order, each once.

    ``skip`` names files a folder or pattern never yields (tqaudit's own reports, so that
    auditing ``.`` does not audit last run's ``findings.csv``).
    """
    out: list[str] = []
    for arg in arguments:
        if arg == STDIN:
            out.append(arg)
        elif Path(arg).is_dir() and not keep_folders:
            out += _folder(Path(arg), exclude, skip)
        elif glob.has_magic(arg) and not Path(arg).exists():
            out += _pattern(arg, exclude, skip)
        else:
            out.append(arg)  # a missing file is the reader's clear error
    if out.count(STDIN) > 1:
        raise InputError("standard input ('-') can be read only once")
    return list(dict.fromkeys(out))
