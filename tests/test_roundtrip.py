"""Writing fixed targets back: only the changed targets differ, in every input format.

For each format: the new file re-reads (with tqaudit's reader) with the same ids and
sources and the new targets, writing the same fixes again gives identical bytes, and every
byte outside the changed targets is as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tqaudit.errors import InputError, OutputError
from tqaudit.io.fixed import render_fixed
from tqaudit.io.readers import detect_format, read_segments


def apply(path: Path, targets: Mapping[int, str], fmt: str | None = None) -> tuple[bytes, bytes]:
    """Fix ``path`` in place; returns the bytes before and after, and checks the invariants."""
    fmt = detect_format(path, fmt)
    before_bytes = path.read_bytes()
    before = read_segments(path, fmt=fmt)
    new = render_fixed(path, fmt, targets)
    path.write_bytes(new)
    after = read_segments(path, fmt=fmt)
    assert after["segment_id"].tolist() == before["segment_id"].tolist()
    assert after["source"].tolist() == before["source"].tolist()
    expected = before["target"].tolist()
    for pos, value in targets.items():
        expected[pos] = value
    assert after["target"].tolist() == expected
    assert list(after.columns) == list(before.columns)
    assert render_fixed(path, fmt, targets) == new  # fixing twice changes nothing more
    return before_bytes, new


def changed_lines(old: bytes, new: bytes) -> list[int]:
    a, b = old.split(b"\n"), new.split(b"\n")
    assert len(a) == len(b)
    return [i + 1 for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def test_txt_keeps_line_ends_bom_and_missing_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes("\ufeffAlma-Ata\r\nKiev , city\nthird\r\nlast".encode())
    old, new = apply(path, {1: "Kiev, city", 3: "the last"})
    assert new == "\ufeffAlma-Ata\r\nKiev, city\nthird\r\nthe last".encode()
    assert changed_lines(old, new) == [2, 4]


def test_txt_side_files_are_not_touched_and_line_breaks_are_refused(tmp_path: Path) -> None:
    tgt, src = tmp_path / "t.txt", tmp_path / "s.txt"
    tgt.write_text("a\nb\n")
    src.write_text("x\ny\n")
    assert render_fixed(tgt, "txt", {0: "A"}) == b"A\nb\n"
    assert src.read_text() == "x\ny\n"
    with pytest.raises(OutputError, match=r"t\.txt:2: the fixed text contains a line break"):
        render_fixed(tgt, "txt", {1: "b\nc"})
    with pytest.raises(OutputError, match="no segment at position 5"):
        render_fixed(tgt, "txt", {5: "x"})


def test_tsv_with_quotes_fixed_twice_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text('id\ttarget\n1\tHe said "yes" .\n2\t"yes" he said\n3\tok\n', encoding="utf-8")
    seg = read_segments(path)
    assert seg["target"].tolist() == ['He said "yes" .', '"yes" he said', "ok"]  # read literally
    old, new = apply(path, {0: 'He said "yes"'})
    assert new == b'id\ttarget\n1\tHe said "yes"\n2\t"yes" he said\n3\tok\n'
    again = render_fixed(path, "tsv", {0: 'He said "yes"'})
    assert again == new
    assert read_segments(path)["target"].iloc[0] == 'He said "yes"'
    assert changed_lines(old, new) == [2]


def test_unquoted_tsv_refuses_a_tab_and_keeps_crlf(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_bytes(b"id\tsource\ttarget\textra\r\n1\ts\ta  b\tX\r\n2\ts2\tc\r\n")
    _, new = apply(path, {0: "a b", 1: "c."})
    assert new == b"id\tsource\ttarget\textra\r\n1\ts\ta b\tX\r\n2\ts2\tc.\r\n"
    with pytest.raises(OutputError, match="unquoted TSV cannot hold"):
        render_fixed(path, "tsv", {0: "a\tb"})


def test_stray_quotes_in_a_plain_tsv_do_not_merge_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text('id\ttarget\n1\t"Hello\n2\tworld"\n')
    assert read_segments(path)["target"].tolist() == ['"Hello', 'world"']


def test_pandas_quoted_tsv_reads_without_quotes_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "source": ["Он сказал «да»", "x", "two\nlines", "tab\there"],
            "target": ['He said "yes" .', "plain", "two\nlines", "tab\there"],
        }
    )
    frame.to_csv(path, sep="\t", index=False)
    assert b'"He said ""yes"" ."' in path.read_bytes()
    seg = read_segments(path)
    assert seg["target"].tolist() == frame["target"].tolist()
    assert seg["source"].tolist() == frame["source"].tolist()
    old, new = apply(path, {0: 'He said "yes".', 1: 'now "quoted"', 3: "tab here"})
    assert b'\t"He said ""yes""."\n' in new and b'\t"now ""quoted"""\n' in new
    assert b'\t"tab here"\n' in new  # a quoted cell stays quoted
    assert pd.read_csv(path, sep="\t", dtype=str)["target"].tolist() == [
        'He said "yes".',
        'now "quoted"',
        "two\nlines",
        "tab here",
    ]
    assert changed_lines(old, new) == [2, 3, 7]  # row c spans lines 4-6


def test_csv_quotes_only_what_needs_it(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,target,note\r\n1,"Hello, world",n\r\n2,plain,"x,y"\r\n3,"multi\nline",z\r\n')
    _, new = apply(path, {0: "Hello , world", 1: "a,b", 2: "one line"})
    assert new == b'id,target,note\r\n1,"Hello , world",n\r\n2,"a,b","x,y"\r\n3,"one line",z\r\n'


def test_jsonl_replaces_only_the_target_token(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    lines = [
        '{"id": "a", "target": "Kiev ,", "score": 1.50, "src": "\\u041a\\u0438\\u0435\\u0432"}',
        "",
        '{"target":"unchanged","id":"b","n":1e3}',
        '{ "id" : "c" , "target" : 5 , "x" : null }',
        '{"id": "d", "source": "no target"}',
    ]
    path.write_text("\n".join(lines) + "\r\n", encoding="utf-8")
    old, new = apply(path, {0: "Kiev, «x»\u2028", 2: "5 km", 3: "filled"})
    out = new.decode().split("\n")
    assert out[0] == lines[0].replace('"Kiev ,"', '"Kiev, «x»\\u2028"')
    assert out[1:3] == lines[1:3]
    assert out[3] == '{ "id" : "c" , "target" : "5 km" , "x" : null }'
    assert out[4] == '{"id": "d", "source": "no target", "target": "filled"}\r'
    assert b"NaN" not in new
    assert changed_lines(old, new) == [1, 4, 5]


def test_parquet_keeps_columns_and_types(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    frame = pd.DataFrame({"id": ["a", "b"], "target": ["x ,", None], "score": [0.5, 1.0], "n": [1, 2]})
    frame.to_parquet(path)
    apply(path, {0: "x,"})
    back = pd.read_parquet(path)
    assert list(back.columns) == list(frame.columns)
    assert back.dtypes.tolist() == frame.dtypes.tolist()
    assert back["target"].tolist()[0] == "x,"
    assert pd.isna(back["target"].tolist()[1])  # untouched missing value stays missing
    assert back["score"].tolist() == [0.5, 1.0]


XLIFF = """<?xml version='1.0' encoding='utf-8'?>
<!-- exported by a CAT tool -->
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
 <file source-language="ru" original="feed" target-language="en" datatype="plaintext">
  <body>
   <trans-unit id="kz-1" approved="no"><source>Алма-Ата</source>
    <target state="translated">Alma-Ata &amp; mdash; city</target></trans-unit>
   <trans-unit id="kz-2">
      <source>Привет</source>
      <target/>
   </trans-unit>
   <trans-unit id="kz-3"><source>Пока</source></trans-unit>
   <trans-unit id="kz-4"><source>Да</source><target>Yes <g id="1">bold</g></target></trans-unit>
  </body>
 </file>
</xliff>
"""


def test_xliff_splices_targets_into_the_original_bytes(tmp_path: Path) -> None:
    path = tmp_path / "feed.xlf"
    path.write_text(XLIFF, encoding="utf-8")
    old, new = apply(path, {0: "Alma-Ata — <city> & more", 1: "Hello", 2: "Bye"})
    text = new.decode()
    assert '<target state="translated">Alma-Ata — &lt;city&gt; &amp; more</target>' in text
    assert "<target>Hello</target>" in text
    assert "<source>Пока</source><target>Bye</target></trans-unit>" in text
    assert changed_lines(old, new) == [7, 10, 12]
    with pytest.raises(OutputError, match="inline markup"):
        render_fixed(path, "xliff", {3: "Yes bold!"})
    from translate.storage import factory

    store = factory.getobject(str(path))
    assert [str(u.target) for u in store.units][:3] == ["Alma-Ata — <city> & more", "Hello", "Bye"]


def test_xliff_external_entity_is_refused_by_reader_and_fixer(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = tmp_path / "feed.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f"'
        ' source-language="ru" target-language="en" datatype="plaintext"><body>\n'
        '<trans-unit id="1"><source>a</source><target>x &secret;</target></trans-unit>\n'
        "</body></file></xliff>\n"
    )
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        read_segments(path)
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        render_fixed(path, "xliff", {0: "fixed"})


PO = """# Translator comment
msgid ""
msgstr ""
"Language: en\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: a.c:1
#, fuzzy
msgctxt "ctx"
msgid "Алма-Ата"
msgstr "Alma-Ata , city"

msgid "Да"
msgstr ""

msgid "one"
msgid_plural "many"
msgstr[0] "one file"
msgstr[1] "many files"

msgid ""
"a long source text that the exporting tool wrapped over two lines, "
"like msgmerge does"
msgstr ""
"a long target text that the exporting tool wrapped over two lines, "
"like msgmerge does"

#~ msgid "old"
#~ msgstr "alt ."
"""


def test_po_splices_msgstr_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "feed.po"
    path.write_text(PO, encoding="utf-8")
    _, new = apply(path, {0: 'Alma-Ata, "city"', 1: "Yes\n", 2: "one file!", 3: "many files"})
    text = new.decode()
    assert 'msgctxt "ctx"\nmsgid "Алма-Ата"\nmsgstr "Alma-Ata, \\"city\\""\n' in text
    assert 'msgid "Да"\nmsgstr "Yes\\n"\n' in text
    assert 'msgstr[0] "one file!"\nmsgstr[1] "many files"\n' in text
    assert text.endswith('#~ msgid "old"\n#~ msgstr "alt ."\n')  # obsolete: not a segment, kept
    assert text.startswith(PO[: PO.index('msgstr "Alma')])
    assert PO[PO.index('msgid ""\n"a long') : PO.index("#~")] in text  # untouched wrapping
    from translate.storage import factory

    store = factory.getobject(str(path))
    assert [str(u.target) for u in store.units if not u.isheader()][:3] == [
        'Alma-Ata, "city"',
        "Yes\n",
        "one file!",
    ]


TMX = (
    '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="ru" datatype="plaintext" '
    'segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>\n'
    "<body>\n"
    '<tu tuid="a"><tuv xml:lang="ru"><seg>Киев</seg></tuv>\n'
    '<tuv xml:lang="en"><seg>Kiev , city</seg></tuv></tu>\n'
    '<tu tuid="b"><tuv xml:lang="ru"><seg>Да</seg></tuv><tuv xml:lang="en"><seg>Yes</seg></tuv></tu>\n'
    "</body></tmx>\n"
)


def test_po_segments_skip_obsolete_entries_and_point_at_their_msgstr(tmp_path: Path) -> None:
    from tqaudit.io.readers import read_segments

    path = tmp_path / "feed.po"
    path.write_text(PO, encoding="utf-8")
    table = read_segments(path)
    assert table["target"].tolist()[-1].startswith("a long target")  # `#~ msgstr "alt ."` is not read
    lines = PO.splitlines()
    for target, line in zip(table["target"], table["line"], strict=True):
        assert lines[line - 1].startswith(("msgstr", "msgstr[0]")), (target, line)
    assert table["line"].tolist() == [11, 14, 18, 19, 24]  # msgstr[0] and msgstr[1] of the plural entry


def test_po_plural_forms_are_segments_of_their_own(tmp_path: Path) -> None:
    from tqaudit.io.readers import read_segments

    path = tmp_path / "feed.po"
    path.write_text(PO, encoding="utf-8")
    table = read_segments(path)
    plural = table[table["segment_id"].str.startswith("one[")]
    assert plural["segment_id"].tolist() == ["one[0]", "one[1]"]
    assert plural["source"].tolist() == ["one", "many"] and plural["target"].tolist() == [
        "one file",
        "many files",
    ]
    _, new = apply(path, {3: "many files !"})  # the second form only
    assert new.decode() == PO.replace('msgstr[1] "many files"', 'msgstr[1] "many files !"')
    long = "a form long enough that quoteforpo wraps it over several lines " * 3
    apply(path, {2: long, 3: "many!"})  # both forms, the first wrapped: bottom-up, lines stay right
    assert read_segments(path)["target"].tolist()[2:4] == [long, "many!"]


def test_xliff_and_tmx_segments_point_at_their_target_line(tmp_path: Path) -> None:
    from tqaudit.io.readers import read_segments

    tmx = tmp_path / "mem.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    assert read_segments(tmx, src_lang="ru", tgt_lang="en")["line"].tolist() == [5, 6]  # the en <seg>
    xliff = tmp_path / "feed.xlf"
    xliff.write_text(
        '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file source-language="ru" target-language="en" datatype="plaintext" original="f"><body>\n'
        '<trans-unit id="u1">\n<source>Киев</source>\n\n<target>Kiev</target>\n</trans-unit>\n'
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    assert read_segments(xliff)["line"].tolist() == [7]


def test_tmx_keeps_tuids_and_reads_the_target_language(tmp_path: Path) -> None:
    from tqaudit.io.readers import read_segments

    path = tmp_path / "mem.tmx"
    path.write_text(TMX.replace('xml:lang="en"', 'xml:lang="en-GB"'), encoding="utf-8")
    table = read_segments(path)
    assert table["segment_id"].tolist() == ["a", "b"]
    assert table["tgt_lang"].tolist() == ["en", "en"] and table["src_lang"].tolist() == ["ru", "ru"]
    duplicated = tmp_path / "dup.tmx"
    duplicated.write_text(TMX.replace('tuid="b"', 'tuid="a"'), encoding="utf-8")
    assert read_segments(duplicated)["segment_id"].tolist() == ["1", "2"]  # ids must be unique


def test_tmx_splices_the_target_seg(tmp_path: Path) -> None:
    path = tmp_path / "mem.tmx"
    path.write_text(TMX, encoding="utf-8")
    _, new = apply(path, {0: "Kyiv, city"})
    assert new == TMX.replace("Kiev , city", "Kyiv, city").encode()


def test_unchanged_targets_give_the_file_back(tmp_path: Path) -> None:
    for name, text in [
        ("t.txt", "a\r\nb"),
        ("t.tsv", "id\ttarget\n1\ta\n"),
        ("t.jsonl", '{"target":"\\u0061"}\n'),
    ]:
        path = tmp_path / name
        path.write_text(text)
        assert render_fixed(path, detect_format(path), {0: "a"}) == text.encode()


def test_bad_file_is_still_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(["a"]) + "\n")
    with pytest.raises(InputError, match="expected a JSON object"):
        render_fixed(path, "jsonl", {0: "x"})


XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
 <file id="f1">
  <unit id="u1">
   <segment>
    <source>Алма-Ата — город</source>
    <target>Alma-Ata &amp; mdash; city</target>
   </segment>
  </unit>
  <unit id="u2">
   <segment><source>Да</source><target>Yes</target></segment>
  </unit>
 </file>
</xliff>
"""


def test_xliff_2_is_read_and_fixed_in_place(tmp_path: Path) -> None:
    from tqaudit.io.readers import read_segments

    path = tmp_path / "feed.xlf"
    path.write_text(XLIFF2, encoding="utf-8")
    table = read_segments(path)
    assert table["segment_id"].tolist() == ["u1", "u2"]
    assert table["source"].tolist() == ["Алма-Ата — город", "Да"]
    assert (table["src_lang"].tolist(), table["tgt_lang"].tolist()) == (["ru", "ru"], ["en", "en"])
    assert table["line"].tolist() == [7, 11]  # the <target> lines
    _, new = apply(path, {0: "Alma-Ata — city"})
    assert new == XLIFF2.replace("Alma-Ata &amp; mdash; city", "Alma-Ata — city").encode()


def test_po_ids_are_msgctxt_and_msgid_and_survive_reordering(tmp_path: Path) -> None:
    """A PO entry's id is its key (`msgctxt|msgid`), so entries added above it leave it unchanged."""
    from tqaudit.io.readers import read_segments

    path = tmp_path / "feed.po"
    path.write_text(PO, encoding="utf-8")
    ids = read_segments(path, fmt="po")["segment_id"].tolist()
    long = "a long source text that the exporting tool wrapped over two lines, like msgmerge does"
    assert ids == ["ctx|Алма-Ата", "Да", "one[0]", "one[1]", long]
    path.write_text(PO.replace('msgid "Да"', 'msgid "Нет"\nmsgstr "No"\n\nmsgid "Да"'), encoding="utf-8")
    assert read_segments(path, fmt="po")["segment_id"].tolist() == [ids[0], "Нет", *ids[1:]]
    same_key = PO.replace('msgid "Да"', 'msgctxt "ctx"\nmsgid "Алма-Ата"')  # invalid PO: keys repeat
    path.write_text(same_key, encoding="utf-8")
    assert read_segments(path, fmt="po")["segment_id"].tolist() == ["1", "2", "3[0]", "3[1]", "4"]


def test_dialect_option_overrides_the_tsv_quoting_detection(tmp_path: Path, runner: Any) -> None:
    """`--dialect` reads and writes back a TSV as told: literal keeps every quote as text,
    quoted reads cells as spreadsheets quote them, and `fix` writes in the same dialect."""
    from tqaudit.cli import app

    path = tmp_path / "feed.tsv"
    path.write_text('id\ttarget\n1\t"He said ""yes"""\n2\t"In Alma-Ata & mdash; today"\n', encoding="utf-8")
    auto = read_segments(path)["target"].tolist()
    assert auto == ['He said "yes"', "In Alma-Ata & mdash; today"]  # a doubled quote: evidently quoted
    literal = read_segments(path, dialect="literal")["target"].tolist()
    assert literal == ['"He said ""yes"""', '"In Alma-Ata & mdash; today"']
    plain = tmp_path / "plain.tsv"
    plain.write_text('id\ttarget\n1\t"Hello"\n', encoding="utf-8")
    assert read_segments(plain)["target"].tolist() == ['"Hello"']  # no evidence: literal
    assert read_segments(plain, dialect="quoted")["target"].tolist() == ["Hello"]
    result = runner.invoke(app, ["fix", str(path), "--in-place", "--dialect", "literal", "--select", "MK001"])
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8") == 'id\ttarget\n1\t"He said ""yes"""\n2\t"In Alma-Ata — today"\n'
    result = runner.invoke(app, ["audit", str(path), "--dialect", "csv", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "--dialect must be one of auto, literal, quoted" in result.output


# --- The round-trip matrix: `tqaudit fix` on every format it writes, and the feeds it refuses ---
# Each file holds one MK001 artifact (`& mdash;`, safe fix `—`) as its format writes it. After
# `fix --output`, the new file must be the old one with exactly those bytes replaced (so the
# encoding, BOM, line ends, quoting and every other segment are kept), and re-read to the
# fixed target. benchmarks/hostile_matrix.py runs the same cases for the issue's matrix.

_ROW_TSV = "1\tСегодня — дождь.\tToday & mdash; rain.\n2\tДа.\tYes.\n"
_PO_MDASH = (
    'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    '#: feed.c:3\nmsgid "Сегодня — дождь."\nmsgstr "Today & mdash; rain."\n\n'
    'msgid "Да"\nmsgstr "Yes."\n'
)
_TMX_MDASH = TMX.replace("Kiev , city", "Kiev &amp; mdash; city")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with its BOM


# (case, file name, content, extra fix options, bytes of `& mdash;` as written, bytes of `—`)
ROUND_TRIPS: list[tuple[str, str, bytes, list[str], bytes, bytes]] = [
    ("txt UTF-8", "t.txt", b"Line one.\nToday & mdash; rain.\n", [], b"& mdash;", "—".encode()),
    (
        "txt BOM, CRLF, no final newline",
        "t.txt",
        "\ufeffLine one.\r\nToday & mdash; rain.\r\nLast".encode(),
        [],
        b"& mdash;",
        "—".encode(),
    ),
    (
        "txt cp1251 (--encoding)",
        "t.txt",
        "Привет.\nToday & mdash; rain.\n".encode("cp1251"),
        ["--encoding", "cp1251"],
        b"& mdash;",
        "—".encode("cp1251"),
    ),
    (
        "txt UTF-16 (BOM)",
        "t.txt",
        _utf16("Line one.\nToday & mdash; rain.\n"),
        [],
        *[t.encode("utf-16-le") for t in ("& mdash;", "—")],
    ),
    ("TSV linear", "t.tsv", f"id\tsource\ttarget\n{_ROW_TSV}".encode(), [], b"& mdash;", "—".encode()),
    (
        "TSV quoted (pandas)",
        "q.tsv",
        b'id\ttarget\n1\t"Today & mdash; ""rain""\tnow"\n2\tYes.\n',
        [],
        b"& mdash;",
        "—".encode(),
    ),
    (
        "CSV CRLF",
        "t.csv",
        b'id,target\r\n1,"Today, & mdash; rain."\r\n2,Yes.\r\n',
        [],
        b"& mdash;",
        "—".encode(),
    ),
    (
        "JSONL",
        "t.jsonl",
        b'{"id": "1", "target": "Today & mdash; rain.", "n": 1}\n{"id": "2", "target": "Yes."}\n',
        [],
        b"& mdash;",
        "—".encode(),
    ),
    ("PO", "t.po", _PO_MDASH.encode(), [], b"& mdash;", "—".encode()),
    ("XLIFF 1.2", "t.xlf", XLIFF.encode(), [], b"&amp; mdash;", "—".encode()),
    ("XLIFF 2.0", "t2.xlf", XLIFF2.encode(), [], b"&amp; mdash;", "—".encode()),
    ("TMX", "t.tmx", _TMX_MDASH.encode(), ["--tgt-lang", "en"], b"&amp; mdash;", "—".encode()),
]

_RSS = (
    '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n'
    "<item><guid>a</guid><title>Today &amp; mdash; rain</title></item></channel></rss>\n"
)
_ATOM = (
    '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>\n'
    "<entry><id>a</id><title>Today &amp; mdash; rain</title></entry></feed>\n"
)
# (case, file name, content): feeds, whose text is extracted from markup, are refused by fix
REFUSED_FIXES: list[tuple[str, str, bytes]] = [
    ("RSS 2.0", "f.rss", _RSS.encode()),
    ("Atom", "f.atom", _ATOM.encode()),
    ("articles JSONL", "a.jsonl", b'{"id": "a", "title": "T", "body": "<p>Today &amp; mdash; rain</p>"}\n'),
    ("HTML article", "a.html", b"<html><body><p>Today & mdash; rain</p></body></html>\n"),
]


@pytest.mark.parametrize(
    ("name", "content", "extra", "old", "new"), [pytest.param(*c[1:], id=c[0]) for c in ROUND_TRIPS]
)
def test_fix_round_trip_changes_only_the_fixed_bytes(
    runner: Any, tmp_path: Path, name: str, content: bytes, extra: list[str], old: bytes, new: bytes
) -> None:
    from tqaudit.cli import app

    path, out = tmp_path / name, tmp_path / f"fixed-{name}"
    path.write_bytes(content)
    result = runner.invoke(app, ["fix", str(path), "--output", str(out), "--select", "MK001", *extra])
    assert result.exit_code == 0, result.output
    assert content.count(old) == 1
    assert out.read_bytes() == content.replace(old, new)  # every other byte as it was
    encoding = extra[extra.index("--encoding") + 1] if "--encoding" in extra else None
    before = read_segments(path, encoding=encoding)
    after = read_segments(out, encoding=encoding)
    changed = [i for i, (a, b) in enumerate(zip(before["target"], after["target"], strict=True)) if a != b]
    assert len(changed) == 1
    assert after["target"][changed[0]] == before["target"][changed[0]].replace("& mdash;", "—")
    assert after["segment_id"].tolist() == before["segment_id"].tolist()
    again = runner.invoke(
        app, ["fix", str(out), "--output", str(tmp_path / "again"), "--select", "MK001", *extra]
    )
    assert again.exit_code == 0 and (tmp_path / "again").read_bytes() == out.read_bytes()  # nothing left


def test_fix_round_trip_of_parquet_changes_only_the_fixed_cell(runner: Any, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tqaudit.cli import app

    path, out = tmp_path / "t.parquet", tmp_path / "fixed.parquet"
    table = pa.table({"id": [1, 2], "target": ["Today & mdash; rain.", "Yes."], "score": [0.5, None]})
    pq.write_table(table, path)
    result = runner.invoke(app, ["fix", str(path), "--output", str(out), "--select", "MK001"])
    assert result.exit_code == 0, result.output
    fixed = pq.read_table(out)
    assert fixed.schema == table.schema
    assert fixed.to_pydict() == {**table.to_pydict(), "target": ["Today — rain.", "Yes."]}


@pytest.mark.parametrize(("name", "content"), [pytest.param(*c[1:], id=c[0]) for c in REFUSED_FIXES])
def test_fix_refuses_a_feed_with_one_line(runner: Any, tmp_path: Path, name: str, content: bytes) -> None:
    from tqaudit.cli import app

    path, out = tmp_path / name, tmp_path / "fixed"
    path.write_bytes(content)
    result = runner.invoke(app, ["fix", str(path), "--output", str(out)])
    assert result.exit_code == 2
    assert (
        result.stderr.count("\n") == 1
        and "fixes are written back into text and localisation" in result.stderr
    )
    assert "--diff shows them" in result.stderr
    assert not out.exists() and path.read_bytes() == content
    shown = runner.invoke(app, ["fix", str(path), "--diff"])
    assert shown.exit_code == 0 and "+Today — rain" in shown.stdout
