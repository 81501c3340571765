"""Report renderers: one module per output format, all reading one ``AuditResult``.

``write_reports`` renders every requested format into memory first and only then writes
the files (each atomically), so a failure in one renderer leaves no partial report folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from tqaudit.audit import AuditResult
from tqaudit.errors import ConfigError
from tqaudit.io.writers import write_text
from tqaudit.report import csv, github, html, json, junit, markdown, sarif

# format name -> (renderer returning {file name: text})
RENDERERS: dict[str, Callable[[AuditResult], dict[str, str]]] = {
    "csv": csv.render,
    "json": json.render,
    "md": markdown.render,
    "html": html.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
}
DEFAULT_FORMATS = ("csv", "json", "md")


def parse_formats(spec: str) -> list[str]:
    """``"csv,json"`` -> ``["csv", "json"]``, refusing unknown names with a hint."""
    names = [s.strip() for s in spec.split(",") if s.strip()]
    for name in names:
        if name not in RENDERERS:
            raise ConfigError(f"unknown report format {name!r} in --format (known: {', '.join(RENDERERS)})")
    return names


def write_reports(result: AuditResult, out: Path, formats: Iterable[str]) -> list[Path]:
    """Render ``formats`` and write them under ``out``; returns the paths written."""
    files: dict[str, str] = {}
    for name in formats:
        files.update(RENDERERS[name](result))
    written = []
    for filename, text in files.items():
        if filename == github.STDOUT:
            sys.stdout.write(text)
            continue
        path = out / filename
        write_text(path, text)
        written.append(path)
    return written
