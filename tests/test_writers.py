"""Atomic writes: the final file gets a normal file's mode, not mkstemp's private 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tqaudit.errors import OutputError
from tqaudit.io.writers import current_umask, write_bytes, write_csv, write_text


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_current_umask_reads_without_changing_it(umask_022: None) -> None:
    assert current_umask() == 0o022
    assert current_umask() == 0o022


def test_new_files_get_0666_minus_umask(tmp_path: Path, umask_022: None) -> None:
    write_text(tmp_path / "report.txt", "x\n")
    write_bytes(tmp_path / "out.bin", b"\x00\xff")
    write_csv(tmp_path / "sub" / "r.csv", pd.DataFrame({"a": [1]}))
    assert mode(tmp_path / "report.txt") == 0o644
    assert mode(tmp_path / "out.bin") == 0o644
    assert mode(tmp_path / "sub" / "r.csv") == 0o644
    assert (tmp_path / "out.bin").read_bytes() == b"\x00\xff"


def test_replacing_a_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "feed.tsv"
    path.write_text("old\n")
    path.chmod(0o664)
    write_bytes(path, b"new\n")
    assert mode(path) == 0o664
    assert path.read_bytes() == b"new\n"
    path.chmod(0o600)
    write_text(path, "again\n")
    assert mode(path) == 0o600


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    write_bytes(tmp_path / "a.txt", b"a")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_error_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as err:
        write_bytes(blocker / "below.txt", b"x")
    assert str(err.value).startswith(str(blocker / "below.txt"))
    assert "\n" not in str(err.value)
