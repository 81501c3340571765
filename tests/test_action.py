"""``action.yml``: the composite GitHub Action's audit step, run here as the runner would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_action_audit_step_writes_annotations_sarif_summary_and_exit_code(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite" and "paths" in action["inputs"]
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "audit")
    inputs = {"paths": "feeds", "args": "--tgt-lang en"}
    script = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], step["run"])
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "a.tsv").write_text("id\ttarget\nx1\tThe price & mdash; 150 tenge.\n", "utf-8")
    (tmp_path / "feeds" / "b.tsv").write_text("id\ttarget\ny1\tA clean sentence.\n", "utf-8")
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr  # the step records the code; the Gate step fails the job
    assert (tmp_path / "output").read_text("utf-8").strip() == "exit-code=1"
    assert done.stdout.startswith("::error file=feeds/a.tsv,line=2,title=MK001 broken-entity::")
    sarifs = sorted(
        p.relative_to(tmp_path).as_posix() for p in (tmp_path / "tqaudit-reports").rglob("*.sarif")
    )
    assert sarifs == [
        "tqaudit-reports/feeds/a.tsv/findings.sarif",
        "tqaudit-reports/feeds/b.tsv/findings.sarif",
    ]
    assert json.loads((tmp_path / sarifs[0]).read_text("utf-8"))["runs"][0]["results"]
    assert (tmp_path / "summary").read_text("utf-8").count("tqaudit") >= 2  # both inputs' summary.md
