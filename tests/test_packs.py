"""Knowledge packs: regex checks, user folders, config edits (extra/disable), `tqaudit packs`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.cli import app
from tqaudit.config import Config, load_config
from tqaudit.errors import ConfigError
from tqaudit.packs import PackSet, check_regex, describe_packs

PROMPT = "The vote is on Sunday. Donate to keep us independent"


def _bp(target: str, config: Config, tgt: str = "en") -> list[str]:
    frame = pd.DataFrame({"target": [target], "tgt_lang": [tgt]})
    findings = tqaudit.audit(frame, config.replace(select=("BP001",), fail_on="never")).findings
    return [target[s:e].strip() for s, e in zip(findings["start"], findings["end"], strict=True)]


@pytest.mark.parametrize("pattern", [r"(\w+\s?)+", r"(a*)*", r"(?:x(?:y+))*", r"(\w+){2,}", r"(\(a+\))+"])
def test_nested_quantifiers_are_refused(pattern: str) -> None:
    with pytest.raises(ConfigError, match="nested quantifiers"):
        check_regex(pattern, "here")


@pytest.mark.parametrize(
    "pattern", [r"Subscribe to (?:our|the) \w+", r"(?:\w+ ){0,3}news", r"[(a+)]+x", r"(\w+)?x", r"(?:ab)+"]
)
def test_plain_regexes_pass(pattern: str) -> None:
    assert check_regex(pattern, "here").pattern == pattern


def test_bad_regex_is_one_line_error() -> None:
    with pytest.raises(ConfigError, match=r"^here: bad regex '\(' \("):
        check_regex("(", "here")


def test_config_edits_add_and_disable_entries(tmp_path: Path) -> None:
    (tmp_path / "tqaudit.toml").write_text(
        '[packs.boilerplate.en]\ndisable = ["en-032", "Leave a Reply"]\n'
        'extra = [{ pattern = "Donate to keep us independent", rest = true }]\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path / "tqaudit.toml")
    assert set(config.pack_edits) == {"boilerplate.en"}
    assert _bp(PROMPT, Config()) == []
    assert _bp(PROMPT, config) == ["Donate to keep us independent"]
    # disabled by id (en-032 is "Read more:") and by pattern
    assert _bp("Read more: prices rose again", Config()) and not _bp("Read more: prices rose again", config)
    assert _bp("Leave a Reply", Config()) and not _bp("Leave a Reply", config)
    # the edit is part of the run signature
    assert PackSet(edits=config.pack_edits).signature() != PackSet().signature()


def test_quoted_pack_name_is_the_same_edit(tmp_path: Path) -> None:
    (tmp_path / "tqaudit.toml").write_text('[packs."calque.ru-en"]\ndisable = []\n', encoding="utf-8")
    assert set(load_config(tmp_path / "tqaudit.toml").pack_edits) == {"calque.ru-en"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[packs.boilerplate.en]\nremove = ["x"]\n', "unknown key 'packs.boilerplate.en.remove'"),
        ('[packs]\npath = ["x"]\n', "unknown key 'packs.path'"),
        ('[packs.boilerplate.en]\ndisable = ["No such phrase"]\n', "cannot disable 'No such phrase'"),
        ('[packs.boilerplate.en]\nextra = [{ pattern = "(a+)+", regex = true }]\n', "nested quantifiers"),
        ('[packs.boilerplate.en]\nextra = [{ pattern = "x", colour = 1 }]\n', "unknown key 'colour'"),
        ('[packs.boilerplate.en]\nextra = [{ pattern = "[", regex = true }]\n', "bad regex"),
    ],
)
def test_bad_pack_edits_are_one_line_errors(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "tqaudit.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        tqaudit.audit(pd.DataFrame({"target": ["x"]}), load_config(tmp_path / "tqaudit.toml"))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_folder_of_user_packs_adds_a_new_language(tmp_path: Path) -> None:
    folder = tmp_path / "my-packs"
    folder.mkdir()
    (folder / "boilerplate.it.toml").write_text(
        '[pack]\ndescription = "Italian chrome"\n\n[[entry]]\npattern = "Iscriviti alla newsletter"\n'
        'rest = true\nsuggestion = ""\nnote = "newsletter"\nsource = "our feed"\n',
        encoding="utf-8",
    )
    (tmp_path / "tqaudit.toml").write_text('[packs]\npaths = ["my-packs"]\n', encoding="utf-8")
    config = load_config(tmp_path / "tqaudit.toml")
    text = "Il governo ha approvato il bilancio. Iscriviti alla newsletter del giornale"
    assert _bp(text, config, "it") == ["Iscriviti alla newsletter del giornale"]
    assert _bp(text, Config(), "it") == []


def test_empty_packs_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"without any \.toml pack"):
        PackSet((tmp_path,))


def test_describe_packs_lists_every_pack_and_one_with_entries() -> None:
    packs = PackSet.default()
    every = describe_packs(packs)
    assert [r["name"] for r in every] == list(packs.names())
    family = describe_packs(packs, "boilerplate")
    langs = {r["languages"][0] for r in family}
    assert {"en", "de", "ru", "fr", "es", "zh", "ja"} <= langs
    assert all(r["entries"] >= 25 and r["sources"] for r in family if r["languages"][0] != "uk")
    (one,) = describe_packs(packs, "boilerplate.de")
    assert len(one["entry"]) == one["entries"] and all(e["source"] for e in one["entry"])
    with pytest.raises(ConfigError, match=r"did you mean 'boilerplate\.de'"):
        describe_packs(packs, "boilerplate.dee")


def test_packs_command(tmp_path: Path) -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["packs"])
    assert listing.exit_code == 0 and "boilerplate.zh" in listing.output and "calque.ru-en" in listing.output
    one = runner.invoke(app, ["packs", "boilerplate.en"])
    assert one.exit_code == 0 and "- [en-001] 'Leave a Reply': comment form: heading" in one.output
    data = json.loads(runner.invoke(app, ["packs", "boilerplate", "--output-format", "json"]).output)
    assert [r["name"] for r in data] == sorted(r["name"] for r in data) and "entry" not in data[0]
    (tmp_path / "tqaudit.toml").write_text(
        '[packs.boilerplate.en]\nextra = [{ pattern = "Donate to keep us independent" }]\n', encoding="utf-8"
    )
    args = ["packs", "boilerplate.en", "--output-format", "json", "--config", str(tmp_path / "tqaudit.toml")]
    edited = json.loads(runner.invoke(app, args).output)
    assert edited["entry"][-1]["pattern"] == "Donate to keep us independent"
    assert edited["entry"][-1]["source"] == "user config"
    unknown = runner.invoke(app, ["packs", "boilerplat"])
    assert unknown.exit_code == 2 and "unknown pack 'boilerplat'" in unknown.stderr


def test_the_readme_packs_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    block = next(b.split("```", 1)[0] for b in readme.split("```toml\n")[1:] if b.startswith("[packs]"))
    (tmp_path / "my-packs").mkdir()
    (tmp_path / "my-packs" / "boilerplate.it.toml").write_text(
        '[[entry]]\npattern = "Iscriviti"\nsuggestion = ""\nnote = ""\nsource = "test"\n', encoding="utf-8"
    )
    (tmp_path / "tqaudit.toml").write_text(block, "utf-8")
    config = load_config(tmp_path / "tqaudit.toml")
    assert _bp("The vote is on Sunday. Donate to keep us independent", config) == [
        "Donate to keep us independent"
    ]
    assert _bp("The vote is on Sunday. Join our Signal community on WhatsApp", config)
    assert not _bp("Advertisement", config) and _bp("Advertisement", Config())


def test_a_regex_with_top_level_alternatives_matches_each() -> None:
    # the quick literal test must not drop texts that match the second alternative
    edits = {
        "boilerplate.en": {"extra": [{"pattern": r"Donate now|Support us (?:today|now)", "regex": True}]}
    }
    config = Config(pack_edits=edits)
    assert _bp("The vote is on Sunday. Donate now", config) == ["Donate now"]
    assert _bp("The vote is on Sunday. Support us today", config) == ["Support us today"]
