"""Configuration files: pyproject/tqaudit.toml discovery, validation, precedence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.cli import app
from tqaudit.config import Config, load_config
from tqaudit.errors import ConfigError


def test_tqaudit_toml(tmp_path: Path) -> None:
    (tmp_path / "tqaudit.toml").write_text(
        'ignore = ["WS"]\nfail-on = "warning"\nmin-chrf = 40\n'
        '[rules.RP002]\nmin-repeats = 3\nseverity = "info"\n',
        encoding="utf-8",
    )
    cfg = load_config(search_from=tmp_path)
    assert cfg.ignore == ("WS",)
    assert cfg.fail_on == "warning"
    assert cfg.min_chrf == 40.0
    assert cfg.rule_options == {"RP002": {"min_repeats": 3}}
    assert cfg.severity == {"RP002": "info"}


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tqaudit]\nselect = ["MK"]\n', encoding="utf-8")
    assert load_config(search_from=tmp_path / "sub" / "dir").select == ("MK",)


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    assert load_config(search_from=tmp_path) == Config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('selekt = ["MK"]', "unknown key 'selekt'"),
        ('fail-on = "sometimes"', "fail-on must be one of"),
        ("jobs = 'two'", "'jobs' must be int"),
        ("select = 'MK'", "'select' must be a list of strings"),
        ("select = [", "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "tqaudit.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_cli_overrides_config(tmp_path: Path, clean_feed: Path) -> None:
    cfg = tmp_path / "tqaudit.toml"
    cfg.write_text('fail-on = "info"\nselect = ["TL"]\n', encoding="utf-8")
    feed = tmp_path / "feed.txt"
    feed.write_text("Alma-Ata\n", encoding="utf-8")
    runner = CliRunner()
    base = ["audit", str(feed), "--config", str(cfg), "--out", str(tmp_path / "r"), "-q"]
    assert runner.invoke(app, base).exit_code == 1  # config: fail on info
    assert runner.invoke(app, [*base, "--fail-on", "error"]).exit_code == 0  # CLI wins


def test_user_pack_extends_builtin(tmp_path: Path) -> None:
    pack = tmp_path / "transliteration.en.toml"
    pack.write_text(
        '[[entry]]\npattern = "Gurjev"\nsuggestion = "Atyrau"\nnote = "renamed 1991"\nsource = "UNGEGN"\n',
        encoding="utf-8",
    )
    frame = pd.DataFrame({"target": ["From Gurjev to Alma-Ata"]})
    findings = tqaudit.audit(frame, Config(select=("TL001",), packs=(pack,))).findings
    assert findings["suggestion"].tolist() == ["Atyrau", "Almaty"]


def test_broken_user_pack_names_file_and_entry(tmp_path: Path) -> None:
    pack = tmp_path / "boilerplate.en.toml"
    pack.write_text('[[entry]]\npattern = "x"\nsuggestion = ""\nnote = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"boilerplate\.en\.toml: entry 0 lacks source"):
        tqaudit.audit(pd.DataFrame({"target": ["x"]}), Config(packs=(pack,)))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("bins = [0, 5]\n", r"'bins' must be increasing numbers, not \[0, 10, 20, 40, 80, 160, 0, 5\]"),
        (
            '[pack.pairs."en-de"]\nmedian = [0.1]\nlower = [0.1]\nupper = [0.1]\n',
            r"'median' must be 6 numbers",
        ),
        (
            '[pack.pairs."en-de"]\nmedian = [0, 0, 0, 0, 0, 0]\nlower = [0.1, 0.1, 0, 0.1, 0.1, 0.1]\n'
            "upper = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n",
            r"table 'en-de': 'lower' and 'upper' spreads must be positive",
        ),
    ],
    ids=["bins-appended", "short-column", "zero-spread"],
)
def test_broken_user_length_table_is_a_config_error(tmp_path: Path, table: str, message: str) -> None:
    # a z is divided by the spreads: a zero one was a ZeroDivisionError mid-audit, then a silent NaN
    pack = tmp_path / "fidelity.length.toml"
    pack.write_text(f'[pack]\nname = "fidelity.length"\nsource = "test"\n{table}', encoding="utf-8")
    frame = pd.DataFrame({"source": ["The cat sat on the mat."], "target": ["Die Katze."], "src_lang": "en"})
    with pytest.raises(ConfigError, match=message):
        tqaudit.audit(frame.assign(tgt_lang="de"), Config(packs=(pack,), select=("FD005",)))


def test_the_readme_config_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "tqaudit.toml").write_text(block, "utf-8")
    cfg = load_config(tmp_path / "tqaudit.toml")
    assert cfg.fail_on == "warning" and cfg.exclude == ("drafts", "*/archive/*")
    assert cfg.per_file_ignores == {"legacy/*": ("TL", "CQ001")}
    assert cfg.for_path("feeds/legacy/a.txt").ignore == ("WS001", "TL", "CQ001")
    assert cfg.for_path("feeds/new/a.txt").ignore == ("WS001",)


def test_every_config_key_is_documented_in_the_readme() -> None:
    from tqaudit.config import KEYS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    table = readme.split("Every key (`-` and `_` are the same):", 1)[1].split("**Cache.**", 1)[0]
    for key in KEYS:
        name = key.replace("_", "-")
        assert f"`{name}`" in table or f"`[{name}]`" in table or f"`[{name}.CODE]`" in table, name
