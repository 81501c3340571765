"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by pre-commit on a sample repository.

Offline: the hooks are declared as ``repo: local`` with ``language: system`` (the tqaudit under
test is installed here), every other field copied from the shipped manifest, so its entry,
arguments and file pattern are what pre-commit runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BAD_PO = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Цена — 150 тенге."
msgstr "The price & mdash; 150 tenge."
"""
GOOD_PO = BAD_PO.replace("& mdash;", "—")


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    bindir = str(Path(sys.executable).parent)  # the environment with tqaudit installed
    local = [{**hook, "language": "system"} for hook in hooks]
    config = {"repos": [{"repo": "local", "hooks": local}]}
    work = tmp_path / "repo"
    work.mkdir()
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    (work / "feed.po").write_text(BAD_PO, "utf-8")
    (work / "notes.txt").write_text("Not a feed & mdash; never audited by default.\n", "utf-8")
    env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(args, work, env).returncode == 0
    return work, env


def test_hooks_fix_then_pass(repo: tuple[Path, dict[str, str]]) -> None:
    work, env = repo
    audit = _run([sys.executable, "-m", "pre_commit", "run", "tqaudit", "--all-files"], work, env)
    assert audit.returncode == 1, audit.stdout + audit.stderr
    assert "feed.po:7:1: MK001 Broken entity '& mdash;'" in audit.stdout  # the msgstr line
    assert "notes.txt" not in audit.stdout  # plain text is opted in with `files:`, not by default
    assert not (work / "reports").exists()  # --format none: the hook leaves no report folder
    fixed = _run([sys.executable, "-m", "pre_commit", "run", "tqaudit-fix", "--all-files"], work, env)
    assert fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout
    assert (work / "feed.po").read_text("utf-8") == GOOD_PO  # only the target text changed
    _run(["git", "add", "-A"], work, env)
    again = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], work, env)
    assert again.returncode == 0, again.stdout + again.stderr
