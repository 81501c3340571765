"""``tqaudit fix``: safe fixes by default, unsafe on request, idempotent, formats kept."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.cli import app
from tqaudit.config import Config
from tqaudit.findings import Edit
from tqaudit.fix import apply_edits, fix
from tqaudit.io.readers import read_segments
from tqaudit.rules import RULES, Applicability

FEED = "Battles in Alma-Ata & mdash; he said  twice .\n“ Fine”\nLeave a Reply\n"


def test_apply_fixes_keeps_offsets_and_skips_overlaps() -> None:
    edits = [(Edit(6, 8, "EF"), "X1"), (Edit(0, 2, "AB"), "X2"), (Edit(1, 4, "zz"), "X3")]
    text, done = apply_edits("ab cd ef", edits)
    assert text == "AB cd EF"
    assert done == ["X2", "X1"]


def test_safe_fixes_only_by_default_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    result = fix(path, tgt_lang="en")
    assert result.fixed == [
        "Battles in Alma-Ata — he said twice.",
        "“Fine”",
        "Leave a Reply",
    ]
    assert set(result.applied) == {"MK001", "WS001", "PU003", "WS002"}
    again = tqaudit.audit(result.segments.assign(target=result.fixed)).findings
    safe = {c for c, r in RULES.items() if r.fix is Applicability.SAFE}
    assert not set(again["rule"]) & safe  # nothing safe is left to fix
    assert set(again["rule"]) == {"TL001", "BP001"}  # unsafe and display-only stay reported


def test_unsafe_fixes_on_request(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    fixed = fix(path, unsafe=True, tgt_lang="en").fixed
    assert fixed[0] == "Battles in Almaty — he said twice."
    assert fixed[2] == ""  # BP001 deletes a whole chrome segment, an unsafe fix: on request only


def test_cli_diff_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_text(FEED, encoding="utf-8")
    result = runner.invoke(app, ["fix", str(path), "--diff"])
    assert result.exit_code == 0
    assert "-Battles in Alma-Ata & mdash; he said  twice ." in result.stdout
    assert "+Battles in Alma-Ata — he said twice." in result.stdout
    assert path.read_text("utf-8") == FEED
    assert "fixed 2 of 3 segments" in result.stderr


def test_cli_fixes_a_table_keeping_ids(runner: CliRunner, sample_feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.tsv"
    result = runner.invoke(app, ["fix", str(sample_feed), "--select", "MK001", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert table["id"].iloc[1] == "metro-02"
    assert "& mdash;" not in "".join(table["target"])
    assert table["source"].iloc[0].startswith("Мэр")
    assert list(table.columns[:3]) == ["id", "source", "target"]


# --------------------------------------------------------------------------- the fix contract, end to end

BROKEN = "Battles in Alma-Ata & mdash; he said  twice ."
FIXED = "Battles in Alma-Ata — he said twice."

XLIFF = """<?xml version='1.0' encoding='UTF-8'?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="feed" source-language="ru" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="a1">
        <source>Бои в Алма-Ате — сказал он дважды.</source>
        <target>{t1}</target>
      </trans-unit>
      <trans-unit id="a2">
        <source>Хорошо</source>
        <target>Fine &amp; dandy</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""
PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

#: feed.c:1
msgid "Бои в Алма-Ате — сказал он дважды."
msgstr "{t1}"

msgid "Хорошо"
msgstr "Fine"
"""
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="ru" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
  <tu tuid="1"><tuv xml:lang="ru"><seg>Бои в Алма-Ате — сказал он дважды.</seg></tuv>
    <tuv xml:lang="en"><seg>{t1}</seg></tuv></tu>
  <tu tuid="2"><tuv xml:lang="ru"><seg>Хорошо</seg></tuv><tuv xml:lang="en"><seg>Fine</seg></tuv></tu>
</body>
</tmx>
"""


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def _inputs(tmp_path: Path) -> dict[str, Path]:
    """One input file per format, each with the broken target in its first segment."""
    table = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "source": ["Бои в Алма-Ате.", 'Он сказал "да"'],
            "target": [BROKEN, 'He said "yes"'],
        }
    )
    parquet = tmp_path / "feed.parquet"
    table.to_parquet(parquet)
    jsonl = '{"id": "s1", "target": "%s", "n": 5}\n{"id": "s2", "target": "He said \\"yes\\"", "n": 6}\n'
    return {
        "txt": _write(tmp_path / "feed.txt", f'{BROKEN}\r\nHe said "yes"\r\n'),
        "tsv": _write(
            tmp_path / "feed.tsv", f'id\tsource\ttarget\ns1\tБои\t{BROKEN}\ns2\tОн\tHe said "yes"\n'
        ),
        "csv": _write(tmp_path / "feed.csv", f'id,target\ns1,{BROKEN}\ns2,"He said ""yes"""\n'),
        "jsonl": _write(tmp_path / "feed.jsonl", jsonl % BROKEN),
        "parquet": parquet,
        "xliff": _write(tmp_path / "feed.xlf", XLIFF.format(t1=_encoded(BROKEN, "xliff").decode())),
        "po": _write(tmp_path / "feed.po", PO.format(t1=BROKEN)),
        "tmx": _write(tmp_path / "feed.tmx", TMX.format(t1=_encoded(BROKEN, "tmx").decode())),
    }


@pytest.mark.parametrize("fmt", ["txt", "tsv", "csv", "jsonl", "parquet", "xliff", "po", "tmx"])
def test_fix_writes_the_input_format_back(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    path = _inputs(tmp_path)[fmt]
    before = read_segments(path)
    once, twice = tmp_path / f"once{path.suffix}", tmp_path / f"twice{path.suffix}"
    result = runner.invoke(app, ["fix", str(path), "-o", str(once)])
    assert result.exit_code == 0, result.stderr
    assert runner.invoke(app, ["fix", str(once), "-o", str(twice)]).exit_code == 0
    assert once.read_bytes() == twice.read_bytes()  # fixing is idempotent, byte for byte
    after = read_segments(once)  # tqaudit reads its own output back
    assert list(after.columns) == list(before.columns)  # no annotation columns, no extra ones
    assert after["segment_id"].tolist() == before["segment_id"].tolist()
    assert after["source"].tolist() == before["source"].tolist()
    assert after["target"].tolist() == [FIXED, *before["target"].tolist()[1:]]
    if fmt != "parquet":  # everything but the fixed target is the input's own bytes
        old, new = path.read_bytes(), once.read_bytes()
        broken, fixed = _encoded(BROKEN, fmt), _encoded(FIXED, fmt)
        assert old.count(broken) == 1 and new == old.replace(broken, fixed)
        assert b"NaN" not in new


def _encoded(text: str, fmt: str) -> bytes:
    return text.replace("&", "&amp;").encode() if fmt in ("xliff", "tmx") else text.encode()


@pytest.mark.parametrize("fmt", ["xliff", "po", "tmx"])
def test_fixed_localisation_files_read_back_in_translate_toolkit(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    from translate.storage import factory

    path = _inputs(tmp_path)[fmt]
    out = tmp_path / f"out{path.suffix}"
    assert runner.invoke(app, ["fix", str(path), "-o", str(out)]).exit_code == 0
    units = [u for u in factory.getobject(str(out)).units if not u.isheader()]
    assert str(units[0].target) == FIXED
    assert [str(u.source) for u in units] == [
        str(u.source) for u in factory.getobject(str(path)).units if not u.isheader()
    ]


def test_tsv_quotes_are_not_doubled(runner: CliRunner, tmp_path: Path) -> None:
    path = _inputs(tmp_path)["tsv"]
    original = path.read_bytes()
    for _ in range(2):
        assert runner.invoke(app, ["fix", str(path), "--in-place"]).exit_code == 0
    assert b'He said "yes"\n' in path.read_bytes()
    assert path.read_bytes() == original.replace(BROKEN.encode(), FIXED.encode())


def test_in_place_fix_keeps_the_mode_and_new_files_follow_the_umask(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = _inputs(tmp_path)["txt"]
    os.chmod(path, 0o664)
    old = os.umask(0o022)
    try:
        assert runner.invoke(app, ["fix", str(path), "--in-place"]).exit_code == 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
        out = tmp_path / "new.txt"
        assert runner.invoke(app, ["fix", str(path), "-o", str(out)]).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        reports = tmp_path / "reports"
        args = ["audit", str(path), "--out", str(reports), "--format", "csv,json,md,html,sarif,junit", "-q"]
        runner.invoke(app, args)
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in reports.iterdir()}
        assert modes and set(modes.values()) == {0o644}, modes
    finally:
        os.umask(old)
    assert path.read_bytes().startswith((FIXED + "\r\n").encode())


def test_output_naming_the_input_is_in_place(runner: CliRunner, tmp_path: Path) -> None:
    path = _inputs(tmp_path)["jsonl"]
    assert runner.invoke(app, ["fix", str(path), "-o", str(path)]).exit_code == 0
    assert read_segments(path)["target"].tolist()[0] == FIXED
    assert '"n": 5' in path.read_text("utf-8")  # numbers stay as written


def test_unsafe_fixes_never_delete_what_has_no_suggestion(tmp_path: Path) -> None:
    table = pd.DataFrame({"source": ["Do it <b>now</b>"], "target": ["Doen dit <v>nou</v>"]})
    result = fix(table, Config(select=("MK003",)), unsafe=True)
    assert result.fixed == ["Doen dit <v>nou</v>"]
    assert not result.applied


def test_fix_runs_no_language_identification_or_scoring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tqaudit.engine as engine

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fix must not run annotators")

    monkeypatch.setattr(engine, "annotate_languages", refuse)
    monkeypatch.setattr(engine, "annotate_scores", refuse)
    table = pd.DataFrame({"target": [BROKEN], "reference": ["Battles in Almaty."], "tgt_lang": ["en"]})
    assert fix(table).fixed == [FIXED]


def test_nothing_to_fix_leaves_the_file_as_it_was(runner: CliRunner, tmp_path: Path) -> None:
    path = _write(tmp_path / "feed.tsv", "id\ttarget\ns1\tok\n")
    before = path.read_bytes()
    result = runner.invoke(app, ["fix", str(path), "--in-place"])
    assert result.exit_code == 0 and path.read_bytes() == before  # nothing to fix: file untouched


def test_fix_takes_several_inputs_in_place_and_leaves_clean_files_untouched(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tqaudit.cli import app

    dirty, clean = tmp_path / "a.txt", tmp_path / "b.txt"
    dirty.write_text("The line & mdash; here.\n", "utf-8")
    clean.write_text("Nothing to fix here.\n", "utf-8")
    os.utime(clean, (1_000_000_000, 1_000_000_000))
    runner = CliRunner()
    refused = runner.invoke(app, ["fix", str(dirty), str(clean)])
    assert refused.exit_code == 2 and "several inputs need --in-place or --diff" in refused.stderr
    done = runner.invoke(app, ["fix", str(dirty), str(clean), "--in-place"])
    assert done.exit_code == 0, done.output
    assert dirty.read_text("utf-8") == "The line — here.\n"
    assert clean.stat().st_mtime == 1_000_000_000  # not rewritten
    assert f"{dirty}: fixed 1 of 1 segments (MK001 1)" in done.stderr
