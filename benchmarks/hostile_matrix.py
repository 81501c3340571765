"""The matrix of issue 12: each format, encoding and hostile file with the expected and the
observed exit code and message, and ``tqaudit fix``'s round trip per format.

    python benchmarks/hostile_matrix.py [--out benchmarks/results/hostile_matrix.md]

Every row runs the real command line (the Typer app in this process, as ``tqaudit`` does;
the interrupted runs in real subprocesses) on the cases the tests assert, taken from the
tests themselves so that the two never drift apart: ``tests/test_hostile.py`` (``MATRIX``),
``tests/test_feeds.py`` (``HOSTILE``), ``tests/test_roundtrip.py`` (``ROUND_TRIPS``,
``REFUSED_FIXES``) and ``tests/test_interrupted.py``, plus the encodings and broken files
below. A row is ``ok`` when the observed exit code is the expected one and the message
contains the expected text (an exit-2 row must also print exactly one line and leave no report
folder). The project writes every input itself; nothing is read from outside the repository.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit_speed import emit, md_table  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from tests import test_feeds, test_hostile, test_interrupted, test_roundtrip  # noqa: E402
from tqaudit.cli import app  # noqa: E402

Row = list[str]
RUNNER = CliRunner()

_XLIFF_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n'
    b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f"'
    b' source-language="ru" target-language="en" datatype="plaintext"><body>\n'
    b'<trans-unit id="1"><source>a</source><target>x &secret;</target></trans-unit>\n'
    b"</body></file></xliff>\n"
)
_LINE = "Today & mdash; rain.\n"
# (case, file name, content, extra audit options, exit code, message): encodings and broken files
EXTRA_CASES: list[tuple[str, str, bytes, list[str], int, str]] = [
    ("UTF-8", "u8.txt", _LINE.encode(), [], 0, ""),
    ("UTF-8 with BOM", "bom.txt", b"\xef\xbb\xbf" + _LINE.encode(), [], 0, ""),
    ("UTF-16 LE with BOM", "u16.txt", _LINE.encode("utf-16"), [], 0, ""),
    ("UTF-32 with BOM", "u32.txt", _LINE.encode("utf-32"), [], 0, ""),
    ("cp1251 with --encoding cp1251", "w.txt", "Привет.\n".encode("cp1251"), ["--encoding", "cp1251"], 0, ""),
    ("koi8-r with --encoding koi8-r", "k.txt", "Привет.\n".encode("koi8-r"), ["--encoding", "koi8-r"], 0, ""),
    ("unknown --encoding", "u.txt", b"x\n", ["--encoding", "klingon"], 2, "unknown encoding"),
    ("XLIFF with an external entity", "x.xlf", _XLIFF_ENTITY, [], 2, "refused: its DTD declares entities"),
    (
        "truncated RSS",
        "trunc.rss",
        b'<?xml version="1.0"?>\n<rss><channel>\n<item><title>a',
        [],
        2,
        "trunc.rss:3",
    ),
    ("truncated XLIFF", "trunc.xlf", test_roundtrip.XLIFF.encode()[:300], [], 2, "trunc.xlf"),
    ("CSV with an unclosed quote", "unclosed.csv", b'id,target\n1,"abc\n2,d\n', [], 2, "unclosed.csv:2"),
    ("empty RSS feed", "empty.rss", b'<?xml version="1.0"?><rss><channel/></rss>\n', [], 2, "no articles"),
    ("RSS 1.0 (RDF)", "n.rdf", test_feeds.RSS1.encode(), [], 0, ""),
]


def _audit_row(case: str, name: str, content: bytes, extra: list[str], code: int, message: str) -> Row:
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / name, Path(tmp) / "reports"
        path.write_bytes(content)
        args = [a.replace("{dir}", tmp) for a in extra]
        result = RUNNER.invoke(app, ["audit", str(path), "--out", str(out), "--fail-on", "never", *args])
        stderr = result.stderr.replace(tmp + "/", "").replace(tmp, "DIR")
        ok = result.exit_code == code and message in stderr
        if code == 2:
            ok = ok and stderr.count("\n") == 1 and not out.exists()
        else:
            ok = ok and (out / "summary.json").is_file()
        return [
            case,
            "audit",
            str(code),
            _shown(message),
            str(result.exit_code),
            _shown(_first(stderr)),
            _ok(ok),
        ]


def _first(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _shown(text: str) -> str:
    """A message in a table cell: code-quoted, pipes escaped, long ones cut."""
    if not text:
        return "–"
    text = text if len(text) <= 110 else text[:107] + "…"
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _ok(ok: bool) -> str:
    return "ok" if ok else "**MISMATCH**"


def audit_rows() -> list[Row]:
    rows = []
    for case, name, content, extra, code, message in test_hostile.MATRIX:
        data = content() if callable(content) else content
        assert isinstance(data, bytes)
        rows.append(_audit_row(case, name, data, extra, code, message))
    for kind, text in sorted(test_feeds.HOSTILE.items()):
        rows.append(
            _audit_row(f"RSS, {kind}", "feed.rss", text.encode(), [], 2, "refused: its DTD declares entities")
        )
    rows += [_audit_row(*case) for case in EXTRA_CASES]
    with tempfile.TemporaryDirectory() as tmp:
        result = RUNNER.invoke(app, ["audit", tmp, "--input-format", "txt", "--out", f"{tmp}/r"])
        rows.append(
            [
                "a folder given as a text file",
                "audit",
                "2",
                _shown("no file to audit in this folder"),
                str(result.exit_code),
                _shown(_first(result.stderr.replace(tmp, "DIR"))),
                _ok(
                    result.exit_code == 2
                    and result.stderr.count("\n") == 1
                    and "no file to audit in this folder" in result.stderr
                ),
            ]
        )
        (Path(tmp) / "a.txt").write_text(_LINE, "utf-8")
        result = RUNNER.invoke(app, ["audit", f"{tmp}/a.txt", "--out", "/dev/full/r"])
        rows.append(
            [
                "--out below a device (cannot be written)",
                "audit",
                "2",
                _shown("cannot write the reports"),
                str(result.exit_code),
                _shown(_first(result.stderr)),
                _ok(result.exit_code == 2 and "cannot write the reports" in result.stderr),
            ]
        )
    rows.append(_ten_megabytes())
    return rows


# The line of 10 MB of issue 12 (once it did not finish): English prose with a scraped phrase,
# audited by the command line in a process of its own, every rule (language model included).
_TEN_MB = ("The fare is 150 tenge, Tokayev said on 12 May.  Leave a Reply! " * (10_000_000 // 64))[
    :10_000_000
]
_TEN_MB_LIMIT = 1200  # seconds


def _ten_megabytes() -> Row:
    """Audit the 10 MB line; the row says how long it took and how much memory."""
    import resource
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "line.txt", Path(tmp) / "reports"
        path.write_text(_TEN_MB + "\n", "utf-8")
        cmd = [sys.executable, "-m", "tqaudit", "audit", str(path), "--src-lang", "ru", "--tgt-lang", "en"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            proc = subprocess.run(
                [*cmd, "--fail-on", "never", "--quiet", "--out", str(out)],
                capture_output=True,
                text=True,
                timeout=_TEN_MB_LIMIT,
            )
        except subprocess.TimeoutExpired:
            return ["a line of 10 MB", "audit", "0", "–", f"> {_TEN_MB_LIMIT} s", "–", "**MISMATCH**"]
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        seen = f"{cpu:.0f} CPU-s, peak {after.ru_maxrss // 1024} MB"
        ok = proc.returncode == 0 and (out / "summary.json").is_file()
        return [
            "a line of 10 MB",
            "audit",
            "0",
            "–",
            f"{proc.returncode} ({seen})",
            _shown(_first(proc.stderr)),
            _ok(ok),
        ]


def round_trip_rows() -> list[Row]:
    rows = []
    for case, name, content, extra, old, new in test_roundtrip.ROUND_TRIPS:
        with tempfile.TemporaryDirectory() as tmp:
            path, out = Path(tmp) / name, Path(tmp) / f"fixed-{name}"
            path.write_bytes(content)
            result = RUNNER.invoke(app, ["fix", str(path), "--output", str(out), "--select", "MK001", *extra])
            same = out.is_file() and out.read_bytes() == content.replace(old, new)
            observed = "only the fixed bytes changed" if same else "other bytes changed"
            rows.append(
                [
                    f"{case}: fix",
                    "fix",
                    "0",
                    "only the fixed bytes changed",
                    str(result.exit_code),
                    observed,
                    _ok(result.exit_code == 0 and same),
                ]
            )
    rows.append(_parquet_row())
    for case, name, content in test_roundtrip.REFUSED_FIXES:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            result = RUNNER.invoke(app, ["fix", str(path), "--output", f"{tmp}/out"])
            stderr = result.stderr.replace(tmp + "/", "")
            expected = "fixes are written back into text and localisation formats"
            ok = result.exit_code == 2 and expected in stderr and stderr.count("\n") == 1
            rows.append(
                [
                    f"{case}: fix",
                    "fix",
                    "2",
                    _shown(expected),
                    str(result.exit_code),
                    _shown(_first(stderr)),
                    _ok(ok),
                ]
            )
    return rows


def _parquet_row() -> Row:
    """Parquet is binary: the fixed file has the same schema and every other cell as it was."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "t.parquet", Path(tmp) / "fixed.parquet"
        table = pa.table({"id": [1, 2], "target": ["Today & mdash; rain.", "Yes."], "score": [0.5, None]})
        pq.write_table(table, path)
        result = RUNNER.invoke(app, ["fix", str(path), "--output", str(out), "--select", "MK001"])
        fixed = pq.read_table(out) if out.is_file() else None
        same = fixed is not None and fixed.schema == table.schema
        same = same and fixed.to_pydict() == {**table.to_pydict(), "target": ["Today — rain.", "Yes."]}
        observed = "only the fixed cell changed" if same else "other cells or types changed"
        ok = result.exit_code == 0 and same
        return [
            "Parquet: fix",
            "fix",
            "0",
            "only the fixed cell changed",
            str(result.exit_code),
            observed,
            _ok(ok),
        ]


def interrupted_rows() -> list[Row]:
    """A full disk and a SIGKILL mid-write, in real subprocesses (tests/test_interrupted.py)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.tsv"
        feed.write_text(test_interrupted.FEED, "utf-8")
        runs = test_interrupted._on_full_disk(Path(tmp), feed)
        kept = runs["summary"] == "old reports\n" and runs["fixed"] == "old fixed file\n"
        clean = runs["files"] == ["fixed.tsv", "r", "r/summary.md"]
        for command in ("audit", "fix"):
            code, stderr = runs[command]  # type: ignore[misc]
            ok = code == 2 and "cannot write" in stderr and stderr.count("\n") == 1 and kept and clean
            rows.append(
                [
                    "full disk (tmpfs, ENOSPC)",
                    command,
                    "2",
                    _shown("cannot write (No space left on device)") + ", old output kept, no temp left",
                    str(code),
                    _shown(_first(stderr.replace(tmp + "/", ""))),
                    _ok(ok),
                ]
            )
    for name, check in (
        ("kill -9 mid-write, next run", _killed_fix),
        ("kill -9 between the report renames, next run", _killed_audit),
    ):
        observed = check()
        rows.append(
            [
                name,
                "fix" if "mid-write" in name else "audit",
                "–",
                "old or new output, leftovers removed",
                *(observed, observed, _ok(observed == "ok")),
            ]
        )
    return rows


def _killed(test: Callable[[Path], None]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            test(Path(tmp))
        except AssertionError as exc:
            return f"failed: {exc}"
    return "ok"


def _killed_fix() -> str:
    return _killed(test_interrupted.test_fix_killed_mid_write_leaves_a_temp_file_that_the_next_run_removes)


def _killed_audit() -> str:
    return _killed(test_interrupted.test_audit_killed_mid_swap_leaves_old_reports_and_the_next_run_cleans_up)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "hostile_matrix.md"))
    args = parser.parse_args()
    head = ["input", "command", "expected exit", "expected message", "observed exit", "observed message", ""]
    sections = [
        ("Formats, encodings and hostile files (`tqaudit audit`)", audit_rows()),
        ("Round trip per format (`tqaudit fix --output`)", round_trip_rows()),
        ("Interrupted writes", interrupted_rows()),
    ]
    text = "# Hostile inputs and round trips: expected and observed\n\n"
    text += "Generated by `python benchmarks/hostile_matrix.py` (the real CLI on files the tests write).\n"
    for title, rows in sections:
        bad = sum(r[-1] == "**MISMATCH**" for r in rows)
        text += f"\n## {title}\n\n{len(rows)} rows, {bad} mismatches.\n\n{md_table([head, *rows])}\n"
    emit(text, args.out)


if __name__ == "__main__":
    main()
