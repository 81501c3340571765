"""Hostile and broken inputs: each file or segment found by a hostile-input run, with what
tqaudit must do with it (a correct result, or exit 2 with one line; never a traceback, exit 1
for a crash, a hang or a half-written report)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.baseline import load_baseline
from tqaudit.cli import app
from tqaudit.io.writers import csv_text, neutralize_formula
from tqaudit.report import write_reports
from tqaudit.report.github import render as render_github

# --- Security: CSV injection and terminal escapes ---------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [" =1+2", "\u00a0=1+2", "\u200b@SUM(A1)", "\ufeff+1", "\u2003-2+3", "\u2060 \u200b=x", "\n=x"],
)
def test_formula_after_invisible_characters_is_neutralised(cell: str) -> None:
    assert neutralize_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["  Almaty", "\u200bAlmaty", " ", "", "a=b"])
def test_text_after_invisible_characters_is_untouched(cell: str) -> None:
    assert neutralize_formula(cell) == cell


def test_bare_cr_in_a_cell_is_quoted_so_no_reader_starts_a_row() -> None:
    frame = pd.DataFrame({"segment_id": ["a\r=cmd|' /C calc'!A0", "b"], "n": [1, 2]})
    text = csv_text(frame)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["segment_id", "n"], ["a\r=cmd|' /C calc'!A0", "1"], ["b", "2"]]
    assert pd.read_csv(io.StringIO(text))["segment_id"].tolist() == ["a\r=cmd|' /C calc'!A0", "b"]
    assert text.endswith("\nb,2\n")  # rows still end in LF


def test_reports_quote_a_bare_cr_in_segment_ids_and_targets(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["x\r=cmd|' /C calc'!A0"], "target": ["ok & mdash;\r=1+1"]})
    write_reports(tqaudit.audit(frame), tmp_path, ["csv"])
    for name in ("segments.csv", "findings.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 1, name
        assert rows[0]["segment_id"] == "x\r=cmd|' /C calc'!A0"


def test_score_out_quotes_a_bare_cr(runner: CliRunner, tmp_path: Path) -> None:
    hyp, ref, out = tmp_path / "hyp.jsonl", tmp_path / "ref.txt", tmp_path / "scores.csv"
    hyp.write_text(json.dumps({"id": "1\r=1+1", "target": "a b c"}) + "\n", encoding="utf-8")
    ref.write_text("a b c\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(hyp), "--ref", str(ref), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["segment_id"] for r in rows] == ["1\r=1+1"]


def test_legacy_baseline_restores_newly_neutralised_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["\u00a0=1"], "target": ["x & mdash; y"]})
    write_reports(tqaudit.audit(frame), tmp_path, ["csv"])
    legacy = load_baseline(tmp_path / "findings.csv").legacy
    assert {key[0] for key in legacy} == {"\u00a0=1"}


HOSTILE_ID = "a\x1b]0;pwned\x07\x1b[2J\x9b31m"


def test_github_annotations_show_control_characters_escaped() -> None:
    frame = pd.DataFrame({"id": [HOSTILE_ID], "target": ["x & mdash; y"]})
    text = render_github(tqaudit.audit(frame))["-"]
    assert not any(c in text for c in "\x1b\x07\x9b")
    assert text.rstrip("\n").endswith("[segment a\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m]")


@pytest.mark.parametrize("fmt", ["concise", "full", "grouped", "github", "json", "json-lines"])
def test_terminal_output_passes_no_control_characters(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    feed = tmp_path / "feed\x1b[31m.jsonl"
    row = {"id": HOSTILE_ID, "target": "x & mdash; y \x1b[2J\x9b", "source": "\x07src"}
    feed.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(feed), "--out", str(tmp_path / "r"), "--output-format", fmt])
    assert result.exit_code == 1, result.output
    assert "MK001" in result.output
    assert not any(c in result.output for c in "\x1b\x07\x9b"), repr(result.output)


# --- The matrix: hostile files, each with its exit code and one-line message -----------------


def _parquet(table: dict[str, object]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.table(table), sink)
    return sink.getvalue()


def _binary_target() -> bytes:
    import pyarrow as pa

    return _parquet({"id": ["1"], "target": pa.array([b"\xff\xfe x"], pa.binary())})


XLIFF_NO_FILE = (
    b'<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"></xliff>\n'
)

# (case, file name, content, extra audit options, exit code, message on stderr or "" for a pass)
MATRIX: list[tuple[str, str, object, list[str], int, str]] = [
    ("lone surrogate", "s.jsonl", b'{"id": "1", "target": "a \\ud800 b"}\n', [], 2, "lone surrogate U+D800"),
    (
        "lone surrogate in an extra column, CSV report",
        "x.jsonl",
        b'{"id": "1", "target": "Fine.", "note": "a \\udc80"}\n',
        [],
        2,
        "segment '1': note holds a lone surrogate U+DC80",
    ),
    (
        "lone surrogate in an extra column, Parquet report",
        "x.jsonl",
        b'{"id": "1", "target": "Fine.", "note": "a \\udc80"}\n',
        ["--format", "parquet"],
        2,
        "segment '1': note holds a lone surrogate U+DC80",
    ),
    ("bare CR in a TSV cell", "cr.tsv", b"id\ttarget\n1\ta\rb\n", [], 0, ""),
    ("bare CR in a CSV cell", "cr.csv", b"id,target\n1,a\rb\n", [], 0, ""),
    ("XLIFF without <file>", "n.xlf", XLIFF_NO_FILE, [], 2, "not a valid XLF file (no <file> element)"),
    ("non-UTF-8 Parquet binary", "b.parquet", _binary_target, [], 2, "column 'target', row 1: not UTF-8"),
    (
        "Parquet list column",
        "l.parquet",
        lambda: _parquet({"id": [1], "target": [["a"]]}),
        [],
        2,
        "column 'target' is list<element: string>, not text",
    ),
    (
        "Parquet struct column",
        "st.parquet",
        lambda: _parquet({"id": [1], "target": [{"x": "a"}]}),
        [],
        2,
        "column 'target' is struct<x: string>, not text",
    ),
    (
        "JSONL list target",
        "l.jsonl",
        b'{"id": "1", "target": ["a"]}\n',
        [],
        2,
        "l.jsonl:1: 'target' is a list",
    ),
    ("JSONL boolean target", "b.jsonl", b'{"id": "1", "target": true}\n', [], 2, "'target' is a boolean"),
    ("JSONL NaN target", "n.jsonl", b'{"id": "1", "target": NaN}\n', [], 2, "'target' is nan, not text"),
    (
        "JSONL repeated target",
        "r.jsonl",
        b'{"target": "a", "target": "b"}\n',
        [],
        2,
        "key 'target' appears twice",
    ),
    (
        "TSV repeated target",
        "r.tsv",
        b"id\ttarget\ttarget\n1\ta\tb\n",
        [],
        2,
        "column 'target' appears twice",
    ),
    ("JSONL raw U+2028/2029/0085", "u.jsonl", '{"target": "a\u2028b\u2029c\x85d"}\n'.encode(), [], 0, ""),
    (
        "--min-bleu nan",
        "c.txt",
        b"Fine.\n",
        ["--ref", "{dir}/c.txt", "--min-bleu", "nan"],
        2,
        "min-bleu must be",
    ),
    (
        "--min-chrf -1",
        "c.txt",
        b"Fine.\n",
        ["--ref", "{dir}/c.txt", "--min-chrf", "-1"],
        2,
        "min-chrf must be",
    ),
    ("--config a folder", "c.txt", b"Fine.\n", ["--config", "{dir}"], 2, "cannot read the config file"),
    ("empty file", "e.txt", b"", [], 2, "e.txt: empty file"),
    ("NUL bytes", "z.txt", b"a\x00b\n", [], 0, ""),
    ("not UTF-8", "w.txt", "Привет\n".encode("cp1251"), [], 2, "w.txt:1: not UTF-8 (byte 0xcf at offset 0)"),
]


@pytest.mark.parametrize(
    ("name", "content", "extra", "code", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in MATRIX],
)
def test_hostile_file(
    runner: CliRunner, tmp_path: Path, name: str, content: object, extra: list[str], code: int, message: str
) -> None:
    data = content() if callable(content) else content
    assert isinstance(data, bytes)
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "reports"
    args = [a.replace("{dir}", str(tmp_path)) for a in extra]
    result = runner.invoke(app, ["audit", str(path), "--out", str(out), "--fail-on", "never", *args])
    assert result.exit_code == code, result.output
    if code == 2:
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert not out.exists()  # no report, not even a partial one
    else:
        assert (out / "summary.json").is_file()


def test_bare_cr_in_a_delimited_cell_stays_in_its_segment(tmp_path: Path) -> None:
    for name, text in (("cr.tsv", "id\ttarget\n1\ta\rb\n2\tc\n"), ("cr.csv", "id,target\n1,a\rb\n2,c\n")):
        (tmp_path / name).write_bytes(text.encode())
        segments = tqaudit.audit(tmp_path / name).segments
        assert segments["target"].tolist() == ["a\rb", "c"], name


def test_jsonl_keeps_raw_unicode_line_breaks_inside_strings(tmp_path: Path) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text('{"id": "1", "target": "a\u2028b\u2029c\x85d"}\n{"id": "2", "target": "e"}\n', "utf-8")
    assert tqaudit.audit(path).segments["target"].tolist() == ["a\u2028b\u2029c\x85d", "e"]


def test_lone_surrogate_in_score_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    hyp, ref = tmp_path / "h.jsonl", tmp_path / "r.txt"
    hyp.write_text('{"id": "1", "target": "a \\ud800 b"}\n', "utf-8")
    ref.write_text("a b\n", "utf-8")
    result = runner.invoke(app, ["score", str(hyp), "--ref", str(ref)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {hyp}: segment '1': target holds a lone surrogate U+D800, " + (
        "which is not text (an unpaired JSON \\u escape?)\n"
    )


def test_file_name_that_is_not_utf8_is_audited(runner: CliRunner, tmp_path: Path) -> None:
    path = Path(tmp_path.as_posix() + "/" + b"feed\xff.txt".decode("utf-8", "surrogateescape"))
    path.write_text("The fare is 150 tenge & mdash; today.\n", "utf-8")
    out = tmp_path / "reports"
    result = runner.invoke(app, ["audit", str(path), "--out", str(out), "--format", "csv,json,sarif"])
    assert result.exit_code == 1, result.output
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["inputs"]["input"].endswith("feed\ufffd.txt")
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv",
        "findings.sarif",
        "segments.csv",
        "summary.json",
    ]


def test_any_crash_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke\nwith a second line")

    monkeypatch.setattr("tqaudit.cli.audit.write_reports", boom)
    path = tmp_path / "c.txt"
    path.write_text("Fine.\n", "utf-8")
    result = runner.invoke(app, ["audit", str(path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: internal error (RuntimeError: something broke with a second line); please report it\n"
    )


def test_an_unreadable_input_is_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Fine.\n", "utf-8")
    real = Path.open

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:  # what read_bytes and streaming use
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    result = runner.invoke(app, ["audit", str(path), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: cannot read (Permission denied)\n"


def test_xliff_whitespace_reaches_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "ws.xlf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file original="a" source-language="ru" target-language="en" datatype="plaintext"><body>\n'
        '<trans-unit id="u1"><source>Привет, мир.</source><target>Hello,  world. </target></trans-unit>\n'
        "</body></file></xliff>\n",
        "utf-8",
    )
    result = tqaudit.audit(path)
    assert result.segments["target"].tolist() == ["Hello,  world. "]
    assert {"WS001", "WS005"} <= set(result.findings["rule"])


def test_parquet_integer_ids_stay_integers(tmp_path: Path) -> None:
    path = tmp_path / "ids.parquet"
    path.write_bytes(_parquet({"id": [1, None, 3], "target": ["a", "b", "c"]}))
    assert tqaudit.audit(path).segments["segment_id"].tolist() == ["1", "", "3"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_fraction": -0.5}, "option 'max_fraction' of rule FD005 must not be negative, got -0.5"),
        ({"max_fraction": float("nan")}, "option 'max_fraction' of rule FD005 must be a finite number"),
    ],
)
def test_bad_rule_options_are_refused(tmp_path: Path, options: dict[str, float], message: str) -> None:
    with pytest.raises(tqaudit.errors.ConfigError, match=message):
        tqaudit.audit(pd.DataFrame({"target": ["x"]}), tqaudit.Config(rule_options={"FD005": options}))


# --- Denial of service by one segment: the pathological strings get the right findings -------
# (speed is measured by benchmarks/hostile_segments.py, not here: these assert behaviour)


def _found(target: str, source: str, code: str, tgt_lang: str = "en") -> list[tuple[int, int]]:
    frame = pd.DataFrame({"target": [target], "source": [source], "src_lang": ["ru"], "tgt_lang": [tgt_lang]})
    findings = tqaudit.audit(frame, tqaudit.Config(select=(code,), fail_on="never")).findings
    return list(zip(findings["start"], findings["end"], strict=True))


def test_printf_run_of_zeros_is_one_placeholder_or_none() -> None:
    from tqaudit.rules.markup import _MARKUP

    assert [m.group("printf") for m in _MARKUP.finditer("%" + "0" * 50_000)] == []
    assert [m.span() for m in _MARKUP.finditer("%" + "0" * 50_000 + "d")] == [(0, 50_002)]
    assert [m.group() for m in _MARKUP.finditer("%05d %-10.3f %1$s %(x)s %lld %+08.2f")] == [
        "%05d",
        "%-10.3f",
        "%1$s",
        "%(x)s",
        "%lld",
        "%+08.2f",
    ]


def test_tag_of_many_spaces_keeps_its_markup() -> None:
    target = "<a" + " " * 50_000 + 'href="x">Almaty</a>'
    assert _found(target, '<a href="x">Алматы</a>', "MK003") == []
    assert _found("<a" + " " * 50_000 + ">Almaty", "<a>Алматы</a>", "MK003") != []


def test_double_spaces_in_a_long_segment() -> None:
    target = "The fare  is 150 tenge. " * 20_000
    assert len(_found(target, "Тариф — 150 тенге.", "WS001")) == 20_000


def test_repeated_words_in_a_long_segment() -> None:
    assert len(_found("the " * 20_000, "Тариф.", "RP001")) == 10_000


def test_lookalike_letters_against_a_long_source() -> None:
    mixed = "Мoсква и Пaриж " * 20_000  # Latin o and a in Russian words
    assert len(_found(mixed, "Москва и Париж.", "LG004", tgt_lang="ru")) == 40_000
    assert _found(mixed, mixed, "LG004", tgt_lang="ru") == []  # copied from the source as it is


def test_email_after_a_run_of_percent_signs() -> None:
    source = "Пишите на bob%x@example.net."
    assert _found("%" * 50_000 + " @ Write to bob%x@example.net.", source, "FD003") == []
    assert _found("%" * 50_000 + " @ Write to bob%y@example.net.", source, "FD003") != []


def test_a_300_digit_number_is_compared_not_crashed() -> None:
    assert len(_found("Paid " + "9" * 400 + " tenge.", "Оплачено 5 тенге.", "FD001")) == 1


def test_unpaired_quotes_in_a_long_segment() -> None:
    """PU002 counts a row's marks once, not once per mark (a row of many marks was quadratic)."""
    assert len(_found("He said “yes. " * 20_001, "Он сказал: «да».", "PU002")) == 20_001
    assert _found("'" * 50_000, "Он сказал.", "PU002") == []


def test_a_run_of_hyphens_before_a_domain_name() -> None:
    """A domain label is at most 63 characters: the run of hyphens is no label, the domain
    after it is masked (an unbounded label was tried from every hyphen: quadratic)."""
    from tqaudit.rules.language_script import MASK

    assert [m.group() for m in MASK.finditer("-" * 50_000 + " x.com")] == ["x.com"]
    assert [m.group() for m in MASK.finditer("a" * 63 + ".com " + "b" * 64 + ".com")] == ["a" * 63 + ".com"]
    assert _found("-" * 50_000 + " x.com", "Тариф.", "LG001") == []


# The e-mail alternative of the masks as written before it was made linear: the new one
# must find exactly the same spans.
_OLD_MASKS = {
    "tqaudit.scripts:NOISE": r"https?://\S+|www\.\S+|\S+@\S+\.\w+|[@#]\w+",
    "tqaudit.rules.language_copy:_COPIED": (
        r"https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\w)[@#][\w#]+|(?<!\w)r/\w+|\d+(?:[.,:]\d+)*"
    ),
    "tqaudit.rules.language_script:MASK": (
        r"https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\w)[@#][A-Za-z0-9_]+#?|(?<!\w)r/\w+"
        r"|(?<![\w.])(?:[\w-]+\.)+[a-z]{2,}(?!\w)(?:/\S*)?"
    ),
}


@pytest.mark.parametrize("where", sorted(_OLD_MASKS))
def test_linear_masks_match_as_before(where: str) -> None:
    import importlib
    import random
    import re

    module, name = where.split(":")
    new, old = getattr(importlib.import_module(module), name), re.compile(_OLD_MASKS[where])
    rnd = random.Random(12)
    for _ in range(20_000):
        text = "".join(rnd.choice("a@. x-é中#1/:wh") for _ in range(rnd.randint(0, 14)))
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text
    line = "東京の駅で新しい線が開業した。" * 3000 + " mail@example.com"
    assert [m.group() for m in new.finditer(line)][-1] == "mail@example.com"


def test_ter_refuses_a_segment_too_long_for_it(runner: CliRunner, tmp_path: Path) -> None:
    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text(" ".join(f"w{i}" for i in range(300)) + "\n", "utf-8")
    ref.write_text(" ".join(f"w{i}" for i in range(300)) + "\n", "utf-8")
    result = runner.invoke(app, ["score", str(hyp), "--ref", str(ref), "--metrics", "ter"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: a segment of 300 words ('w0 w1 w2 w3 w4 w5 …') is too long for TER"
    )
    ok = runner.invoke(app, ["score", str(hyp), "--ref", str(ref), "--metrics", "bleu"])
    assert ok.exit_code == 0, ok.output


# --- Interrupted runs ---------------------------------------------------------------------------

_KILLED_MID_WRITE = """
import os, pathlib, signal, sys
from tqaudit.cli import main

real = pathlib.Path.write_bytes

def write_then_terminate(path, data):
    real(path, data)
    if path.parent.name.startswith("."):
        os.kill(os.getpid(), signal.SIGTERM)  # a CI timeout, after the first report file

pathlib.Path.write_bytes = write_then_terminate
sys.argv = ["tqaudit", "audit", sys.argv[1], "--out", sys.argv[2]]
main()
"""


def test_sigterm_mid_write_keeps_the_old_reports_and_leaves_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    feed, out = tmp_path / "feed.txt", tmp_path / "reports"
    feed.write_text("In Alma-Ata today & mdash; yes.\n", "utf-8")
    out.mkdir()
    (out / "summary.md").write_text("old", "utf-8")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_WRITE, str(feed), str(out)],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(root)},
        timeout=300,
    )
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr.endswith("Error: terminated (SIGTERM); the previous reports, if any, are kept\n")
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.txt", "reports"]  # no hidden folder
    assert [p.name for p in out.iterdir()] == ["summary.md"]
    assert (out / "summary.md").read_text("utf-8") == "old"


def test_leftovers_of_a_killed_run_are_removed_by_the_next(runner: CliRunner, tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(dead.stdout)  # a process that has ended
    feed, out = tmp_path / "feed.txt", tmp_path / "reports"
    feed.write_text("Fine.\n", "utf-8")
    for kind in ("new", "old"):
        (tmp_path / f".reports.{kind}-{pid}").mkdir()
        (tmp_path / f".reports.{kind}-{pid}" / "findings.csv").write_text("partial", "utf-8")
    alive = tmp_path / f".reports.new-{__import__('os').getppid()}"  # a running process: kept
    alive.mkdir()
    (tmp_path / ".other.new-1").mkdir()  # another report folder's: not ours to judge
    result = runner.invoke(app, ["audit", str(feed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == sorted([".other.new-1", alive.name])


# --- User pack regexes ---------------------------------------------------------------------------

_PACK_HEAD = '[pack]\n[[entry]]\npattern = "{word}"\nsuggestion = ""\nnote = "x"\nsource = "x"\n'


@pytest.mark.parametrize(
    ("before", "message"),
    [
        (r"(\\w+\\s?)+", "nests one repeat inside another"),
        (r"(?:a*)*b", "nests one repeat inside another"),
        (r"([a-z", "invalid regular expression (unterminated character set"),
    ],
)
def test_user_pack_regex_that_can_backtrack_is_refused(tmp_path: Path, before: str, message: str) -> None:
    pack = tmp_path / "repetition.toml"
    pack.write_text(
        _PACK_HEAD.format(word="had") + f'before = "{before}"\n',
        "utf-8",
    )
    with pytest.raises(tqaudit.errors.ConfigError, match=r"repetition.toml: entry 0 'before'") as err:
        tqaudit.audit(pd.DataFrame({"target": ["had had"]}), tqaudit.Config(packs=(pack,)))
    assert message in str(err.value)


def test_user_pack_regex_that_is_linear_is_used(tmp_path: Path) -> None:
    pack = tmp_path / "repetition.toml"
    pack.write_text(
        _PACK_HEAD.format(word="bla") + 'before = "\\\\bsaid"\n',
        "utf-8",
    )
    frame = pd.DataFrame(
        {"target": ["He said bla bla to me.", "It was bla bla to me."], "tgt_lang": ["en", "en"]}
    )
    findings = tqaudit.audit(frame, tqaudit.Config(packs=(pack,), select=("RP001",))).findings
    assert findings["segment_id"].tolist() == ["2"]
