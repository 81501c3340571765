"""What the scoring benchmarks share: reading WMT files as sacrebleu does, and the pair folders.

Imported by ``score_check.py`` and ``score_chunks.py`` (run as scripts from this folder).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path


def read_lines(path: Path) -> list[str]:
    """As sacrebleu's CLI reads a file: UTF-8, split on \\n only, each line rstrip()-ed."""
    with open(path, encoding="utf-8", newline="\n") as fh:
        return [line.rstrip() for line in fh]


def add_wmt_arguments(parser: argparse.ArgumentParser) -> None:
    """The WMT folder, which pairs, how much TER (sacrebleu's TER is slow) and how many processes."""
    parser.add_argument("wmt", type=Path, help="The WMT folder (pair folders with ref.* and sys/).")
    parser.add_argument("--ter", choices=("first", "all", "none"), default="first")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--pairs", default="", help="Comma-separated pair folders (default: all).")


def pair_folders(args: argparse.Namespace) -> Iterator[Path]:
    """The pair folders (those with a ``sys/``) that ``--pairs`` selects, in name order."""
    wanted = set(filter(None, args.pairs.split(",")))
    for pair in sorted(p for p in args.wmt.iterdir() if (p / "sys").is_dir()):
        if not wanted or pair.name in wanted:
            yield pair


def with_ter(args: argparse.Namespace, system_index: int) -> bool:
    """Whether TER runs for the ``system_index``-th system output of a pair."""
    return args.ter == "all" or (args.ter == "first" and system_index == 0)
