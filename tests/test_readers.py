"""Readers: every format on good input, and one clear error for each kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tqaudit.errors import InputError
from tqaudit.io.readers import read_segments
from tqaudit.segments import BASE_COLUMNS


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_plain_text_with_source_and_two_references(tmp_path: Path) -> None:
    tgt = write(tmp_path, "t.txt", "Alma-Ata\r\nKyiv\n")
    src = write(tmp_path, "s.txt", "Алма-Ата\nКиев\n")
    ref1 = write(tmp_path, "r1.txt", "Almaty\nKyiv\n")
    ref2 = write(tmp_path, "r2.txt", "Almaty city\nKyiv city\n")
    seg = read_segments(tgt, src=src, refs=[ref1, ref2], src_lang="ru", tgt_lang="en")
    assert list(seg.columns[:7]) == list(BASE_COLUMNS)
    assert seg["segment_id"].tolist() == ["1", "2"]
    assert seg["target"].tolist() == ["Alma-Ata", "Kyiv"]  # CRLF stripped
    assert seg["source"].tolist() == ["Алма-Ата", "Киев"]
    assert seg["reference_2"].tolist() == ["Almaty city", "Kyiv city"]
    assert set(seg["tgt_lang"]) == {"en"}


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    seg = read_segments(write(tmp_path, "t.txt", "\ufeffHello\n"))
    assert seg["target"].tolist() == ["Hello"]


def test_tsv_table_with_ids_and_languages(sample_feed: Path) -> None:
    seg = read_segments(sample_feed, tgt_lang="en")
    assert seg["segment_id"].iloc[0] == "metro-01"
    assert seg["source"].iloc[0].startswith("Мэр")
    assert seg["reference"].astype(bool).all()
    assert len(seg) == 14


def test_csv_with_quoted_commas_and_missing_optional_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", 'target,reference\n"Hello, world",Hi\n=SUM(A1),x\n')
    seg = read_segments(path)
    assert seg["target"].tolist() == ["Hello, world", "=SUM(A1)"]
    assert seg["source"].tolist() == ["", ""]
    assert seg["segment_id"].tolist() == ["1", "2"]


def test_jsonl_with_extra_references(tmp_path: Path) -> None:
    rows = [{"id": "a", "target": "x", "reference": "y", "reference_2": "z"}, {"id": "b", "target": 5}]
    path = write(tmp_path, "t.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    seg = read_segments(path)
    assert seg["segment_id"].tolist() == ["a", "b"]
    assert seg["reference_2"].tolist() == ["z", ""]
    assert seg["target"].tolist() == ["x", "5"]


def test_parquet_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.DataFrame({"id": ["1"], "target": ["Hello"], "source": ["Привет"]}).to_parquet(path)
    assert read_segments(path)["source"].tolist() == ["Привет"]


def test_input_format_overrides_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.data", "id\ttarget\n1\tHello\n")
    assert read_segments(path, fmt="tsv")["target"].tolist() == ["Hello"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("latin1.txt", b"ok\ncaf\xe9\n", "latin1.txt:2: not UTF-8"),
        ("empty.txt", "", "empty file"),
        ("blank.tsv", "\n\n", "empty file"),
        ("notarget.tsv", "id\tsource\n1\tx\n", "no 'target' column"),
        ("dupe.tsv", "id\ttarget\n1\ta\n1\tb\n", "duplicate segment id '1'"),
        ("bad.jsonl", '{"target": "a"}\n{oops\n', "bad.jsonl:2: invalid JSON"),
        ("list.jsonl", '["a"]\n', "expected a JSON object"),
        ("noisy.parquet", "not parquet", "not a Parquet file"),
    ],
)
def test_bad_input_names_the_file(
    tmp_path: Path, name: str, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / name if content is None else write(tmp_path, name, content)
    with pytest.raises(InputError) as err:
        read_segments(path)
    assert message in str(err.value)
    assert name in str(err.value)
    assert "\n" not in str(err.value)


def test_misaligned_reference_is_an_error(tmp_path: Path) -> None:
    tgt = write(tmp_path, "t.txt", "a\nb\nc\n")
    ref = write(tmp_path, "r.txt", "a\nb\n")
    with pytest.raises(InputError, match=r"r\.txt: 2 lines, but .*t\.txt has 3"):
        read_segments(tgt, refs=[ref])


def test_unknown_input_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown input format 'xls'"):
        read_segments(write(tmp_path, "t.txt", "a\n"), fmt="xls")


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="feed" source-language="ru" target-language="en" datatype="plaintext">
  <body>
   <trans-unit id="kz-1"><source>Алма-Ата</source><target>Alma-Ata &amp; mdash; {entity}</target></trans-unit>
   <trans-unit id="kz-2"><source>Привет</source><target>Hello</target></trans-unit>
  </body>
 </file>
</xliff>
"""


def test_xliff_keeps_ids_languages_and_target_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.xlf", XLIFF.format(doctype="", entity="x"))
    seg = read_segments(path)
    assert seg["segment_id"].tolist() == ["kz-1", "kz-2"]
    assert seg["source"].tolist() == ["Алма-Ата", "Привет"]
    assert seg["target"].iloc[0] == "Alma-Ata & mdash; x"
    assert set(seg["src_lang"]) == {"ru"} and set(seg["tgt_lang"]) == {"en"}
    assert seg["line"].tolist() == [6, 7]


@pytest.mark.parametrize(
    ("name", "doctype"),
    [
        ("feed.xlf", '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file://{secret}">]>'),
        ("feed.xliff", '<!DOCTYPE xliff [<!-- a comment --><!ENTITY secret "{{secret}}">]>'),
        ("bomb.xlf", '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY secret "&a;&a;&a;&a;&a;&a;&a;">]>'),
    ],
)
def test_an_xml_file_whose_dtd_declares_entities_is_refused_unread(
    tmp_path: Path, runner: Any, name: str, doctype: str
) -> None:
    """External entities and expansion bombs are refused before parsing, as defusedxml does:
    the audit and fix both stop with one line (exit 2), no report, the file unchanged."""
    from tqaudit.cli import app

    secret = write(tmp_path, "secret.txt", "TOP-SECRET")
    path = write(tmp_path, name, XLIFF.format(doctype=doctype.format(secret=secret), entity="&secret;"))
    before = path.read_bytes()
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        read_segments(path)
    for args in (["audit", str(path), "--out", str(tmp_path / "r")], ["fix", str(path), "--in-place"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "refused: its DTD declares entities" in result.output
        assert "TOP-SECRET" not in result.output
    assert not (tmp_path / "r").exists() and path.read_bytes() == before


def test_a_tmx_entity_bomb_is_refused(tmp_path: Path) -> None:
    tmx = (
        '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" adminlang="en" '
        'creationtool="t" creationtoolversion="1" o-tmf="t"/><body><tu><tuv xml:lang="en"><seg>&b;</seg>'
        '</tuv><tuv xml:lang="de"><seg>x</seg></tuv></tu></body></tmx>\n'
    )
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        read_segments(write(tmp_path, "bomb.tmx", tmx))


def test_po_and_tmx(tmp_path: Path) -> None:
    po = write(
        tmp_path,
        "feed.po",
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Алма-Ата"\nmsgstr "Alma-Ata"\n\nmsgid "Да"\nmsgstr ""\n',
    )
    seg = read_segments(po)
    assert seg["target"].tolist() == ["Alma-Ata", ""]
    assert seg["tgt_lang"].iloc[0] == "en"
    tmx = write(
        tmp_path,
        "mem.tmx",
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="ru" datatype="plaintext" segtype="sentence"'
        ' adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="ru">'
        '<seg>Киев</seg></tuv><tuv xml:lang="en"><seg>Kiev</seg></tuv></tu></body></tmx>',
    )
    seg = read_segments(tmx)
    assert (seg["source"].iloc[0], seg["target"].iloc[0], seg["src_lang"].iloc[0]) == ("Киев", "Kiev", "ru")


def test_broken_xliff_is_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.xlf", "<xliff><file><body><trans-unit>")
    with pytest.raises(InputError, match=r"bad\.xlf: not a valid XLF file"):
        read_segments(path)


def test_row_with_more_fields_than_the_header(tmp_path: Path) -> None:
    # on the first data row pandas would silently take the extra fields as an index
    path = write(tmp_path, "ragged.tsv", "id\ttarget\n1\ta\tb\tc\n2\tfine\n")
    with pytest.raises(InputError, match=r"ragged\.tsv:2: 4 fields, but the header has 2"):
        read_segments(path)
