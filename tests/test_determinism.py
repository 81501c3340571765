"""Same input and options → byte-identical reports, whatever the hash seed and ``--jobs``.

Python randomises ``str`` hashes per process (``PYTHONHASHSEED``), so anything that iterates a
set or hashes text into an order could differ between two runs of the same audit; so could
the split of the input between worker processes. Each run is a fresh ``tqaudit audit``
process on the project's sample feed (TSV) and its RSS feed, writing every report format,
with chunks of 4 segments so that two workers really share the input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tqaudit.report import RENDERERS

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ",".join(name for name in RENDERERS if name != "github")  # github prints, see below
_SMALL_CHUNKS = "import sys, tqaudit.engine as e; e.CHUNK_SIZE = 4; from tqaudit.cli import main; main()"


def _run(feed: Path, out: Path, seed: str, jobs: int, extra: list[str]) -> dict[str, bytes]:
    """Every report file of one audit, and the GitHub annotations it printed."""
    args = ["audit", str(feed), "--out", str(out), "--format", f"{FORMATS},github", "--jobs", str(jobs)]
    proc = subprocess.run(
        [sys.executable, "-c", _SMALL_CHUNKS, *args, *extra, "--fail-on", "never", "-q"],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    files["github annotations"] = proc.stdout
    # summary.json records the options used, --jobs among them: the one byte that may differ
    summary = json.loads(files["summary.json"])
    assert summary["options"].pop("jobs") == jobs
    files["summary.json"] = json.dumps(summary, ensure_ascii=False, indent=1).encode()
    return files


@pytest.mark.parametrize(
    ("feed", "extra"),
    [
        ("data/sample-feed.tsv", ["--src-lang", "ru", "--tgt-lang", "en"]),
        ("data/sample-feed.rss", ["--src", "data/sample-feed.ru.rss", "--src-lang", "ru"]),
    ],
)
def test_reports_are_identical_across_hash_seeds_and_jobs(
    tmp_path: Path, feed: str, extra: list[str]
) -> None:
    runs = {
        (seed, jobs): _run(ROOT / feed, tmp_path / f"r-{seed}-{jobs}", seed, jobs, extra)
        for seed, jobs in (("1", 1), ("2", 2), ("random", 2))
    }
    first = runs[("1", 1)]
    assert sorted(first) == sorted(
        {"findings.csv", "segments.csv", "summary.json", "summary.md", "report.html", "findings.sarif"}
        | {"junit.xml", "gl-code-quality-report.json", "findings.rdjson", "github annotations"}
        | {"findings.parquet", "segments.parquet"}
    )
    assert b"::error" in first["github annotations"]  # the runs found something to order
    for key, files in runs.items():
        differing = [name for name in first if files[name] != first[name]]
        assert differing == [], f"PYTHONHASHSEED={key[0]} --jobs {key[1]}: {differing} differ"
