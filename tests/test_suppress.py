"""Inline `tqaudit: ignore[...]` notes and per-file-ignores: silenced findings, counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tqaudit
from tqaudit.cli import app
from tqaudit.config import load_config
from tqaudit.errors import ConfigError
from tqaudit.suppress import ALL, directive

PO = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# tqaudit: ignore[TL001]
msgid "Алма-Ата — город"
msgstr "Alma-Ata & mdash; city"

msgid "Алма-Ата"
msgstr "Alma-Ata & mdash; again"
"""

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file source-language="ru" target-language="en" datatype="plaintext" original="feed">
<body>
<trans-unit id="a"><source>Алма-Ата</source><target>Alma-Ata &amp; mdash; x</target>
<note>Checked by the editor. tqaudit: ignore</note></trans-unit>
<trans-unit id="b"><source>Алма-Ата</source><target>Alma-Ata &amp; mdash; y</target></trans-unit>
</body></file></xliff>
"""


def test_directive_reads_codes_prefixes_and_the_bare_form() -> None:
    assert directive("tqaudit: ignore[TL001, mk]") == ("TL001", "MK")
    assert directive("note. TQAUDIT:ignore") == ALL
    assert directive("no directive here") == ()


def _rules(result: tqaudit.AuditResult) -> list[tuple[str, str]]:
    return sorted(zip(result.findings["segment_id"], result.findings["rule"], strict=True))


def test_po_translator_comment_silences_its_unit_only(tmp_path: Path) -> None:
    path = tmp_path / "feed.po"
    path.write_text(PO, "utf-8")
    result = tqaudit.audit(path, tqaudit.Config(select=("TL001", "MK001")), src_lang="ru")
    first, second = "Алма-Ата — город", "Алма-Ата"  # PO ids are the msgids
    assert _rules(result) == [(second, "MK001"), (second, "TL001"), (first, "MK001")]
    assert result.inline_suppressed == 1 and result.summary["totals"]["inline_suppressed"] == 1


def test_xliff_note_without_codes_silences_every_rule(tmp_path: Path) -> None:
    path = tmp_path / "feed.xlf"
    path.write_text(XLIFF, "utf-8")
    result = tqaudit.audit(path, tqaudit.Config(select=("TL001", "MK001")))
    assert _rules(result) == [("b", "MK001"), ("b", "TL001")]
    assert result.inline_suppressed == 2


def test_a_table_note_column_works_the_same(tmp_path: Path) -> None:
    path = tmp_path / "feed.tsv"
    path.write_text("id\ttarget\tnote\nx\tAlma-Ata & mdash; z\ttqaudit: ignore[MK]\n", "utf-8")
    result = tqaudit.audit(path, tqaudit.Config(select=("TL001", "MK001")), tgt_lang="en")
    assert _rules(result) == [("x", "TL001")]


def test_per_file_ignores_from_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for folder in ("legacy", "new"):
        Path(folder).mkdir()
        Path(folder, "feed.txt").write_text("In Alma-Ata & mdash; today.\n", "utf-8")
    Path("tqaudit.toml").write_text('[per-file-ignores]\n"legacy/*" = ["tl", "MK001"]\n', "utf-8")
    out = CliRunner().invoke(app, ["audit", "legacy", "new", "--tgt-lang", "en", "-q"])
    assert out.exit_code == 1
    by_rule = {
        folder: json.loads(Path("reports", folder, "feed.txt", "summary.json").read_text("utf-8"))["by_rule"]
        for folder in ("legacy", "new")
    }
    assert "TL001" not in by_rule["legacy"] and "MK001" not in by_rule["legacy"]
    assert by_rule["new"]["TL001"] == 1 and by_rule["new"]["MK001"] == 1


def test_per_file_ignores_must_map_patterns_to_code_lists(tmp_path: Path) -> None:
    bad = tmp_path / "tqaudit.toml"
    bad.write_text('[per-file-ignores]\n"legacy/*" = "TL001"\n', "utf-8")
    with pytest.raises(ConfigError, match="must be a list of strings"):
        load_config(bad)


STATES_PO = """msgid ""
msgstr ""
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#, fuzzy
msgid "Цена — 150 тенге."
msgstr "The price & mdash; 150 tenge."

msgid "Новая линия метро открыта."
msgstr ""

msgid "Да — конечно."
msgstr "Yes & mdash; of course."
"""


def _po_run(tmp_path: Path, *extra: str) -> dict[str, object]:
    path = tmp_path / "states.po"
    path.write_text(STATES_PO, "utf-8")
    out = tmp_path / "r"
    args = [
        "audit",
        str(path),
        "--select",
        "MK001,LG002",
        "--src-lang",
        "ru",
        "--out",
        str(out),
        "-q",
        *extra,
    ]
    assert CliRunner().invoke(app, args).exit_code == 1
    return json.loads((out / "summary.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_untranslated_entries_are_reported_only_when_asked(tmp_path: Path) -> None:
    default = _po_run(tmp_path)
    assert default["by_rule"] == {"MK001": 2} and default["totals"]["state_skipped"] == 1  # type: ignore[index]
    asked = _po_run(tmp_path, "--untranslated")
    assert asked["by_rule"] == {"MK001": 2, "LG002": 1} and asked["totals"]["state_skipped"] == 0  # type: ignore[index]


def test_fuzzy_entries_are_left_out_with_no_fuzzy(tmp_path: Path) -> None:
    summary = _po_run(tmp_path, "--no-fuzzy")
    assert summary["by_rule"] == {"MK001": 1} and summary["totals"]["state_skipped"] == 2  # type: ignore[index]


def test_state_options_from_the_config(tmp_path: Path) -> None:
    good = tmp_path / "tqaudit.toml"
    good.write_text("untranslated = true\nfuzzy = false\n", "utf-8")
    cfg = load_config(good)
    assert cfg.untranslated is True and cfg.fuzzy is False
    good.write_text('fuzzy = "no"\n', "utf-8")
    with pytest.raises(ConfigError, match="'fuzzy' must be true or false"):
        load_config(good)


XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru" trgLang="en">
<file id="f1">
<unit id="a"><notes><note>Legacy name kept on purpose. tqaudit: ignore[TL001]</note></notes>
<segment><source>Алма-Ата</source><target>Alma-Ata &amp; mdash; x</target></segment></unit>
<unit id="b"><segment><source>Алма-Ата</source><target>Alma-Ata &amp; mdash; y</target></segment></unit>
</file></xliff>
"""


def test_xliff2_unit_note_silences_its_unit_only(tmp_path: Path) -> None:
    path = tmp_path / "feed.xlf"
    path.write_text(XLIFF2, "utf-8")
    result = tqaudit.audit(path, tqaudit.Config(select=("TL001", "MK001")))
    assert _rules(result) == [("a", "MK001"), ("b", "MK001"), ("b", "TL001")]
    assert result.inline_suppressed == 1


def test_an_untranslated_entry_is_reported_once_by_default_rules(tmp_path: Path) -> None:
    """FD002 and LG002 both check an empty target; LG002 (pofilter's `untranslated`) owns it."""
    path = tmp_path / "states.po"
    path.write_text(STATES_PO, "utf-8")
    config = tqaudit.Config(untranslated=True, fail_on="never")
    findings = tqaudit.audit(path, config, src_lang="ru").findings
    empty = findings[findings["segment_id"] == "Новая линия метро открыта."]
    assert empty[["rule", "category"]].values.tolist() == [["LG002", "language"]]
    only_fd = tqaudit.audit(path, config.replace(select=("FD002",)), src_lang="ru").findings
    assert only_fd["rule"].tolist() == ["FD002"]  # still there when selected by its code
