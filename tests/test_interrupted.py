"""Interrupted writes: a full disk and a SIGKILL mid-write, each in a real ``tqaudit`` process.

What must hold: exit 2 with one line for a write that fails, the previous reports or fixed
file kept as they were, no hidden temporary file or folder left, and after a kill -9 the next
run removes what the killed one left (the report folder is then old or new, never mixed).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tqaudit.report import remove_leftovers

ROOT = Path(__file__).resolve().parent.parent
FEED = "id\tsource\ttarget\n" + "".join(
    f"{i}\tВ Алма-Ате сегодня {i} градусов.\tIn Almaty today & mdash; {i} degrees .\n" for i in range(1, 200)
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _tqaudit(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "tqaudit", *map(str, args)]


# Run inside a small tmpfs (its own mount namespace, see _on_full_disk): the old reports and
# fixed file are written first, then a filler takes every free block, then tqaudit writes.
_FULL_DISK = r"""
import json, os, subprocess, sys
from pathlib import Path

disk, feed, fill = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "fill"
(disk / "r").mkdir()
(disk / "r" / "summary.md").write_text("old reports\n")
(disk / "fixed.tsv").write_text("old fixed file\n")
if fill:
    with open(disk / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
runs = {}
for name, args in (
    ("audit", ["audit", feed, "--out", str(disk / "r"), "--format", "csv,json,md,html,sarif"]),
    ("fix", ["fix", feed, "--output", str(disk / "fixed.tsv")]),
):
    proc = subprocess.run([sys.executable, "-m", "tqaudit", *args], capture_output=True, text=True)
    runs[name] = [proc.returncode, proc.stderr]
runs["files"] = sorted(str(p.relative_to(disk)) for p in disk.rglob("*") if p.name != "filler")
runs["summary"] = (disk / "r" / "summary.md").read_text()
runs["fixed"] = (disk / "fixed.tsv").read_text()
print(json.dumps(runs))
"""


def _limit_file_size() -> None:
    """Fallback where no mount namespace can be made: files may not grow past 4 KiB, so a
    write fails with EFBIG as it would with ENOSPC (SIGXFSZ ignored, as for a daemon)."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def _on_full_disk(tmp_path: Path, feed: Path) -> dict[str, object]:
    """Run ``_FULL_DISK`` on a full 1 MiB tmpfs (an unprivileged user and mount namespace,
    ``unshare -rm``), or with a file-size limit where namespaces are not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "full_disk.py"
    script.write_text(_FULL_DISK, "utf-8")
    unshare = shutil.which("unshare")
    mount = f"mount -t tmpfs -o size=1m tmpfs {disk} && exec {sys.executable} {script} {disk} {feed} fill"
    if (
        unshare
        and subprocess.run([unshare, "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {disk}"]).returncode == 0
    ):
        proc = subprocess.run([unshare, "-rm", "sh", "-c", mount], capture_output=True, text=True, env=_env())
    else:
        proc = subprocess.run(
            [sys.executable, str(script), str(disk), str(feed), "limit"],
            capture_output=True,
            text=True,
            env=_env(),
            preexec_fn=_limit_file_size,
        )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_full_disk_is_one_line_and_keeps_the_previous_outputs(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text(FEED, "utf-8")
    runs = _on_full_disk(tmp_path, feed)
    audit_code, audit_err = runs["audit"]  # type: ignore[misc]
    assert audit_code == 2
    assert audit_err.startswith(f"Error: {tmp_path / 'disk' / 'r'}: cannot write the reports (")
    assert audit_err.count("\n") == 1 and "Traceback" not in audit_err
    fix_code, fix_err = runs["fix"]  # type: ignore[misc]
    assert fix_code == 2
    assert fix_err.startswith(f"Error: {tmp_path / 'disk' / 'fixed.tsv'}: cannot write (")
    assert fix_err.count("\n") == 1 and "Traceback" not in fix_err
    assert runs["files"] == ["fixed.tsv", "r", "r/summary.md"]  # no temp file or folder left
    assert runs["summary"] == "old reports\n"
    assert runs["fixed"] == "old fixed file\n"


def test_fix_to_a_full_standard_output_is_one_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text(FEED, "utf-8")
    for extra in ([], ["--diff"]):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(
                _tqaudit("fix", feed, *extra), stdout=full, stderr=subprocess.PIPE, text=True, env=_env()
            )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == "Error: standard output: cannot write (No space left on device)\n"


def test_audit_to_a_full_standard_output_is_one_line(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text(FEED, "utf-8")
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            _tqaudit("audit", feed, "--format", "none"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "Error: standard output: cannot write (No space left on device)\n"


# A tqaudit run whose final rename never comes: os.replace blocks when it would move a temporary
# file or folder into place, so the test can SIGKILL it while the temporary is on disk.
_STALLED = """
import os, sys, time
from tqaudit.cli import main

real = os.replace

def stalled(src, dst):
    if os.path.basename(str(src)).startswith("."):
        sys.stderr.write("STALLED\\n")
        sys.stderr.flush()
        time.sleep(600)
    return real(src, dst)

os.replace = stalled
sys.argv = ["tqaudit", *sys.argv[1:]]
main()
"""


def _kill_when_stalled(args: list[str], cwd: Path) -> None:
    """Start ``tqaudit ARGS`` stalled before its final rename; SIGKILL it once it is there."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED, *args], cwd=cwd, env=_env(), stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if line == "STALLED\n":
                break
        else:
            raise AssertionError(f"tqaudit ended before its rename (exit {proc.wait()})")
    finally:
        proc.kill()  # SIGKILL
        assert proc.wait(timeout=60) == -signal.SIGKILL


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_fix_killed_mid_write_leaves_a_temp_file_that_the_next_run_removes(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text(FEED, "utf-8")
    out = tmp_path / "fixed.tsv"
    out.write_text("old fixed file\n", "utf-8")
    _kill_when_stalled(["fix", str(feed), "--output", str(out)], tmp_path)
    left = _hidden(tmp_path)
    assert len(left) == 1 and left[0].startswith(".fixed.tsv.tq") and left[0].endswith(".tmp"), left
    assert out.read_text("utf-8") == "old fixed file\n"  # the old file, whole
    other = tmp_path / ".fixed.tsv.tq1-notours"  # not a name tqaudit writes: kept
    other.write_text("x", "utf-8")
    proc = subprocess.run(_tqaudit("fix", feed, "--output", out), capture_output=True, text=True, env=_env())
    assert proc.returncode == 0, proc.stderr
    assert _hidden(tmp_path) == [other.name]
    assert "In Almaty today — 1 degrees." in out.read_text("utf-8")


def test_audit_killed_mid_swap_leaves_old_reports_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    feed = tmp_path / "feed.tsv"
    feed.write_text(FEED, "utf-8")
    out = tmp_path / "reports"
    first = subprocess.run(_tqaudit("audit", feed, "--out", out), capture_output=True, text=True, env=_env())
    assert first.returncode == 1, first.stderr
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    _kill_when_stalled(["audit", str(feed), "--out", str(out), "--format", "csv,json,md,sarif"], tmp_path)
    # Killed between its two renames: the old reports moved aside, the new ones not yet in.
    left = _hidden(tmp_path)
    assert [name.rpartition("-")[0] for name in left] == [".reports.new", ".reports.old"], left
    assert not out.exists()
    assert remove_leftovers(out) == [tmp_path / left[0]]  # what any next write does first
    assert _hidden(tmp_path) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old  # the old reports, whole
    proc = subprocess.run(
        _tqaudit("audit", feed, "--out", out, "--format", "csv,json,md,sarif"),
        capture_output=True,
        text=True,
        env=_env(),
    )
    assert proc.returncode == 1, proc.stderr
    assert _hidden(tmp_path) == []
    assert sorted(p.name for p in out.iterdir()) == sorted([*old, "findings.sarif"])


def test_a_running_writer_temp_file_is_kept(tmp_path: Path) -> None:
    from tqaudit.io.writers import remove_stale_temps

    target = tmp_path / "fixed.tsv"
    running = tmp_path / f".fixed.tsv.tq{os.getppid()}-abc.tmp"  # the test runner's parent
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = tmp_path / f".fixed.tsv.tq{int(ended.stdout)}-abc.tmp"
    other = tmp_path / f".other.tsv.tq{int(ended.stdout)}-abc.tmp"
    for path in (running, dead, other):
        path.write_text("partial", "utf-8")
    assert remove_stale_temps(target) == [dead]
    assert _hidden(tmp_path) == sorted([running.name, other.name])


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


def test_a_killed_runs_copy_of_standard_input_is_removed_by_the_next_run(tmp_path: Path) -> None:
    # what a run killed with SIGKILL leaves: its private folder with the copy of its input
    stale = tmp_path / f"tqaudit-stdin-{_dead_pid()}-abcd"
    stale.mkdir()
    (stale / "feed.txt").write_text("a private text\n", encoding="utf-8")
    running = tmp_path / f"tqaudit-stdin-{os.getppid()}-efgh"  # a live process's folder stays
    running.mkdir()
    other = tmp_path / "tqaudit-stdin-notes"  # not a name tqaudit makes
    other.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "tqaudit", "audit", "-", "--stdin-filename", "feed.txt", "--format", "none"],
        input="Hello world.\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("tqaudit-stdin-"))
    assert left == sorted([running.name, other.name])  # the stale copy and this run's own are gone
