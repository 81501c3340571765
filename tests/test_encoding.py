"""Inputs in other encodings: --encoding, UTF-16/32 by BOM, and fixes written back byte-exact."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tqaudit.cli import app
from tqaudit.errors import OutputError
from tqaudit.io.formats.common import declared_encoding, to_bytes

TSV = "id\tsource\ttarget\na1\tЦена — 150 тенге.\tЦена & mdash; 150 тенге.\na2\tДа.\tДа.\n"


def _summary(out: Path) -> dict[str, object]:
    return json.loads((out / "summary.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_cp1251_needs_encoding_and_is_fixed_in_cp1251(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_bytes(TSV.encode("cp1251"))
    runner = CliRunner()
    refused = runner.invoke(app, ["audit", str(feed), "--out", str(tmp_path / "r")])
    assert refused.exit_code == 2
    assert "not UTF-8" in refused.stderr and "--encoding" in refused.stderr
    args = ["audit", str(feed), "--encoding", "cp1251", "--tgt-lang", "ru", "--out", str(tmp_path / "r")]
    assert runner.invoke(app, args).exit_code == 1
    assert _summary(tmp_path / "r")["by_rule"] == {"MK001": 1}
    fixed = runner.invoke(app, ["fix", str(feed), "--encoding", "windows-1251", "--in-place"])
    assert fixed.exit_code == 0, fixed.stderr
    assert feed.read_bytes() == TSV.replace("& mdash;", "—").encode("cp1251")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_a_bom_are_read_and_kept(tmp_path: Path, codec: str) -> None:
    feed = tmp_path / "feed.txt"
    mark = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
    }
    feed.write_bytes(mark[codec] + "Line & mdash; one.\r\nTwo.\n".encode(codec))
    runner = CliRunner()
    assert runner.invoke(app, ["audit", str(feed), "--out", str(tmp_path / "r"), "-q"]).exit_code == 1
    assert runner.invoke(app, ["fix", str(feed), "--in-place"]).exit_code == 0
    assert feed.read_bytes() == mark[codec] + "Line — one.\r\nTwo.\n".encode(codec)


def test_a_fix_the_encoding_cannot_hold_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_bytes("Цена.\n".encode("cp1251"))
    with declared_encoding("cp1251"), pytest.raises(OutputError, match="cp1251 cannot hold"):
        to_bytes(path, "Цена 😀.\n")


def test_unknown_encoding_is_a_one_line_error(tmp_path: Path) -> None:
    feed = tmp_path / "feed.txt"
    feed.write_text("text\n", "utf-8")
    result = CliRunner().invoke(
        app, ["audit", str(feed), "--encoding", "klingon", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2 and "unknown encoding 'klingon'" in result.stderr
