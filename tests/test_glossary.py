"""Glossaries: the readers (TSV/CSV, multilingual tables, TBX), the matcher, TM001/TM002 end to end."""

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
from tqaudit.io.glossary import Term, load_glossaries, read_glossary
from tqaudit.segments import normalize
from tqaudit.termmatch import Matcher, TermBase, compile_term, stemmer_for

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">Largest city of Kazakhstan</descrip>
      <langSet xml:lang="ru"><tig><term>Алма-Ата</term></tig></langSet>
      <langSet xml:lang="en-US">
        <tig><term>Almaty</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <tig><term>Alma-Ata</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <ntig><termGrp><term>Alma Ata city</term></termGrp>
          <termNote type="normativeAuthorization">supersededTerm</termNote></ntig>
      </langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="ru"><tig><term>ОДКБ</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>CSTO</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:basic="http://www.tbxinfo.net/ns/basic"
     type="TBX-Basic" style="dct" xml:lang="en">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="de">
        <termSec><term>Vertrag</term></termSec>
        <termSec><term>Kontrakt</term>
          <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus></termSec>
      </langSec>
      <langSec xml:lang="en"><termSec><term>treaty</term>
        <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def texts(terms: tuple[Term, ...]) -> list[str]:
    return [t.text for t in terms]


def audit(rows: list[dict[str, str]], *glossaries: Path, select: str = "TM") -> list[dict[str, object]]:
    config = Config(select=(select,), glossary=tuple(glossaries), fail_on="never")
    findings = tqaudit.audit(normalize(pd.DataFrame(rows)), config).findings
    return findings[["segment_id", "rule", "message", "start", "end", "suggestion", "fix"]].to_dict("records")


# --------------------------------------------------------------------------- readers


def test_bilingual_table_merges_rows_and_splits_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.tsv",
        "source\ttarget\tnote\tcase_sensitive\tforbidden\n"
        "Алма-Ата\tAlmaty\trenamed\t\t\n"
        "Алма-Ата\tAlma-Ata\t\t\tyes\n"
        "Мир\tMir|Mir station\t\tyes\tno\n"
        "\tKiev\t\t\tyes\n",
    )
    entries = load_glossaries([path]).pair("ru", "en")
    assert len(entries) == 3
    city, station, kiev = entries
    assert texts(city.sources) == ["Алма-Ата"] and texts(city.approved) == ["Almaty"]
    assert texts(city.forbidden) == ["Alma-Ata"] and city.note == "renamed"
    assert texts(station.approved) == ["Mir", "Mir station"] and station.approved[0].case_sensitive is True
    assert kiev.sources == () and kiev.approved == () and texts(kiev.forbidden) == ["Kiev"]
    assert city.origin == f"{path}:2"


def test_multilingual_csv_picks_the_pair_and_its_forbidden_language(tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "en,de,ru,forbidden\ntreaty,Vertrag,договор,\ntreaty,Kontrakt,,de\n")
    glossary = load_glossaries([path])
    assert glossary.languages == ("de", "en", "ru")
    (en_de,) = glossary.pair("en", "de")
    assert texts(en_de.approved) == ["Vertrag"] and texts(en_de.forbidden) == ["Kontrakt"]
    de_en = glossary.pair("de", "en")  # `Kontrakt` is forbidden in German, not as a source
    assert [texts(e.sources) for e in de_en] == [["Vertrag"], ["Kontrakt"]]
    assert all(texts(e.approved) == ["treaty"] and not e.forbidden for e in de_en)
    (ru_en,) = glossary.pair("ru", "en")
    assert texts(ru_en.sources) == ["договор"]
    assert glossary.pair("", "de") == ()  # three languages: an unknown source is not guessed


def test_unknown_language_for_a_multilingual_glossary_is_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path, "g.csv", "en,de,ru\ntreaty,Vertrag,договор\n")
    with caplog.at_level("WARNING", logger="tqaudit"):
        assert not TermBase(load_glossaries([path])).pair("en", "").targets
    assert "glossary columns de, en, ru: segments of unknown target language" in caplog.text


def test_two_language_table_resolves_an_unknown_side(tmp_path: Path) -> None:
    glossary = load_glossaries([write(tmp_path, "g.tsv", "ru\ten-GB\nОДКБ\tCSTO\n")])
    assert glossary.resolve("", "en") == ("ru", "en")
    assert texts(glossary.pair("", "en")[0].approved) == ["CSTO"]


def test_tbx_v2_statuses(tmp_path: Path) -> None:
    entries = load_glossaries([write(tmp_path, "g.tbx", TBX_V2)]).pair("ru", "en")
    city, acronym = entries
    assert texts(city.approved) == ["Almaty"]
    assert texts(city.forbidden) == ["Alma-Ata", "Alma Ata city"]
    assert city.note == "Largest city of Kazakhstan"
    assert texts(acronym.approved) == ["CSTO"]


def test_tbx_v3_dct_status(tmp_path: Path) -> None:
    (entry,) = load_glossaries([write(tmp_path, "g.tbx", TBX_V3)]).pair("en", "de")
    assert texts(entry.sources) == ["treaty"]
    assert texts(entry.approved) == ["Vertrag"] and texts(entry.forbidden) == ["Kontrakt"]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("g.tsv", "term\ttranslation\nx\ty\n", "g.tsv:1: a glossary needs 'source' and 'target' columns"),
        ("g.tsv", "source\ttarget\nКНБ\t\n", "g.tsv:2: empty target term"),
        ("g.tsv", "source\ttarget\n\tKNB\n", "g.tsv:2: empty source term"),
        (
            "g.tsv",
            "source\ttarget\tforbidden\nа\tb\tmaybe\n",
            "g.tsv:2: forbidden must be yes or no, got 'maybe'",
        ),
        ("g.csv", "en,de,forbidden\na,b,fr\n", "g.csv:2: forbidden must list language columns of the table"),
        ("g.tsv", "source\ttarget\n", "g.tsv: a glossary with a header and no terms"),
        (
            "g.tbx",
            '<?xml version="1.0"?>\n<!DOCTYPE martif [\n<!ENTITY a "aaaa">\n]>\n<martif>&a;</martif>\n',
            "g.tbx:3: the DTD declares entities; refused",
        ),
        (
            "g.tbx",
            '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<martif>&x;</martif>\n',
            "g.tbx:1: the DTD declares entities; refused",
        ),
        ("g.tbx", "<martif>\n<text>\n<body>\n</martif>\n", "g.tbx:4: not well-formed XML"),
        ("g.tbx", "<glossary/>\n", "g.tbx:1: not TBX (root <glossary>"),
        ("g.tbx", "<martif><text><body/></text></martif>\n", "no <termEntry> or <conceptEntry>"),
        ("g.tbx", "<martif>\n<termEntry>\n<langSet><tig><term>a</term></tig></langSet>", "not well-formed"),
        (
            "g.tbx",
            "<martif><text><body><termEntry>\n<langSet><tig><term>a</term></tig></langSet>"
            "</termEntry></body></text></martif>",
            "g.tbx:2: <langSet> without xml:lang",
        ),
        (
            "g.tbx",
            '<martif><text><body><termEntry>\n<langSet xml:lang="en">\n<tig><note>x</note></tig>'
            "</langSet></termEntry></body></text></martif>",
            "g.tbx:3: <tig> without a <term>",
        ),
    ],
)
def test_a_bad_glossary_is_one_line_naming_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(ConfigError) as caught:
        read_glossary(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_tbx_dtd_without_entities_is_read_offline(tmp_path: Path) -> None:
    """A DOCTYPE naming an external DTD is neither loaded nor fetched (TBX_V2 names one)."""
    assert len(read_glossary(write(tmp_path, "g.tbx", TBX_V2))) == 2


# --------------------------------------------------------------------------- matching


def found(term: str, text: str, lang: str, case_sensitive: bool | None = None) -> list[str]:
    stem = stemmer_for(lang)
    pattern = compile_term(Term(term, case_sensitive=case_sensitive), 0, stem)
    assert pattern is not None
    matcher = Matcher([pattern], stem)
    return [text[m.start : m.end] for m in matcher.find(text, matcher.tokens(text))]


@pytest.mark.parametrize(
    ("term", "text", "lang", "expected"),
    [
        (
            "Алма-Ата",
            "Алма-Ата, Алма-Аты, в Алма-Ате, в Алма-Ату",
            "ru",
            ["Алма-Ата", "Алма-Аты", "Алма-Ате", "Алма-Ату"],
        ),
        (
            "Астана",
            "в Астане и Астаной",
            "ru",
            ["Астане", "Астаной"],
        ),  # Snowball's nominative stem is shorter
        ("Токаев", "Токаева встретил токарь", "ru", ["Токаева"]),  # `токарь` is another word
        ("Казахстан", "казахстанский газ", "ru", []),  # a derived adjective is not the term
        (
            "Vertrag",
            "des Vertrages, die Verträge, den Verträgen",
            "de",
            ["Vertrages", "Verträge", "Verträgen"],
        ),
        ("Vertrag", "der Vertragsentwurf", "de", []),  # compounds are not split
        ("treaty", "two treaties", "en", ["treaties"]),
        (
            "Alma-Ata",
            "Alma‑Ata, Alma Ata, Alma–Ata, Alma-Ata's",
            "en",
            ["Alma‑Ata", "Alma Ata", "Alma–Ata", "Alma-Ata"],
        ),
        ("Alma-Ata", "Alma. Ata", "en", []),  # a sentence boundary is not a separator of the term
        (
            "Collective Security Treaty",
            "the collective security treaties",
            "en",
            ["collective security treaties"],
        ),
        ("ODKB", "ODKB, Odkb, odkb-csto.org", "en", ["ODKB"]),  # acronyms keep their case
        ("ОДКБ", "саммит ОДКБ", "ru", ["ОДКБ"]),
        ("МИД", "МИДа и мида", "ru", ["МИДа"]),
        ("Mir", "Mir and mir", "en", ["Mir", "mir"]),
        ("Київ*", "у Києві та Київщині", "uk", ["Київщині"]),  # no Snowball stemmer: `*` accepts endings
        ("北京", "他在北京市工作", "zh", ["北京"]),  # CJK characters match in a row
    ],
)
def test_matching_across_inflection_and_variants(
    term: str, text: str, lang: str, expected: list[str]
) -> None:
    assert found(term, text, lang) == expected


def test_case_sensitivity_per_entry() -> None:
    assert found("Mir", "Mir and mir", "en", case_sensitive=True) == ["Mir"]
    assert found("ODKB", "ODKB and Odkb", "en", case_sensitive=False) == ["ODKB", "Odkb"]


def test_the_longest_term_wins_where_terms_overlap() -> None:
    stem = stemmer_for("en")
    patterns = [compile_term(Term(t), t, stem) for t in ("Kiev", "Chicken Kiev")]
    matcher = Matcher([p for p in patterns if p], stem)
    text = "Chicken Kiev in Kiev"
    spans = [(text[m.start : m.end], m.pattern.payload) for m in matcher.find(text, matcher.tokens(text))]
    assert spans == [("Chicken Kiev", "Chicken Kiev"), ("Kiev", "Kiev")]
    every = matcher.find(text, matcher.tokens(text), longest=False)
    assert len(every) == 3


# --------------------------------------------------------------------------- the rules


ISSUE_FEED = [
    {
        "segment_id": "1",
        "source": "Президент прибыл в Алма-Ату.",
        "target": "The president arrived in Alma-Ata.",
    },
    {
        "segment_id": "2",
        "source": "Страны ОДКБ провели учения.",
        "target": "The ODKB countries held exercises.",
    },
    {"segment_id": "3", "source": "Токаев заявил о реформах.", "target": "Tokayev announced reforms."},
    {"segment_id": "4", "source": "Токаев встретился с послом.", "target": "Tokaev met the ambassador."},
    {"segment_id": "5", "source": "Токаев заявил о реформах.", "target": "Tokayev spoke about reforms."},
]


def test_issue_example_reports_both_misses(tmp_path: Path) -> None:
    """The issue's glossary and feed, no languages declared: `Алма-Ату` (accusative) was missed."""
    glossary = write(tmp_path, "g.tsv", "source\ttarget\nАлма-Ата\tAlmaty\nОДКБ\tCSTO\n")
    got = audit(ISSUE_FEED, glossary)
    assert [(f["segment_id"], f["rule"], f["message"]) for f in got] == [
        ("1", "TM001", "Source term 'Алма-Ату' (at 19) should be translated as 'Almaty'"),
        ("2", "TM001", "Source term 'ОДКБ' (at 7) should be translated as 'CSTO'"),
    ]


def test_short_segment_is_stemmed_in_the_chunks_language(tmp_path: Path) -> None:
    """`В Алма-Ате тепло.` is too short to identify; the chunk's Russian stands in."""
    glossary = write(tmp_path, "g.tsv", "source\ttarget\nАлма-Ата\tAlmaty\n")
    rows = [
        *ISSUE_FEED,
        {"segment_id": "6", "source": "В Алма-Ате тепло.", "target": "It is warm in Alma-Ata."},
    ]
    assert [f["segment_id"] for f in audit(rows, glossary)] == ["1", "6"]


def test_tbx_glossary_forbidden_and_missing_terms(tmp_path: Path) -> None:
    glossary = write(tmp_path, "g.tbx", TBX_V2)
    got = audit(ISSUE_FEED[:2], glossary)
    assert [(f["segment_id"], f["rule"], f["start"], f["end"], f["suggestion"], f["fix"]) for f in got] == [
        ("1", "TM002", 25, 33, "Almaty", "unsafe"),
        ("2", "TM001", -1, -1, "CSTO", "none"),
    ]
    assert got[0]["message"] == "Forbidden term 'Alma-Ata'; use 'Almaty' (Largest city of Kazakhstan)"


def test_multilingual_columns_follow_the_declared_languages(tmp_path: Path) -> None:
    glossary = write(tmp_path, "g.csv", "en,de,ru,forbidden\ntreaty,Vertrag,договор,\ntreaty,Kontrakt,,de\n")
    row = {"source": "Die Parteien des Kontraktes trafen sich.", "target": "The parties to the deal met."}
    assert [f["rule"] for f in audit([{**row, "src_lang": "de", "tgt_lang": "en"}], glossary)] == ["TM001"]
    row = {"source": "The treaty was signed.", "target": "Der Kontrakt wurde unterzeichnet."}
    got = audit([{**row, "src_lang": "en", "tgt_lang": "de"}], glossary)
    assert [(f["rule"], f["start"], f["end"], f["suggestion"]) for f in got] == [("TM002", 4, 12, "Vertrag")]


def test_glossaries_from_config_are_relative_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "terms").mkdir(parents=True)
    write(folder / "terms", "a.tsv", "source\ttarget\nАлма-Ата\tAlmaty\n")
    write(folder / "terms", "b.tbx", TBX_V3)
    write(folder, "tqaudit.toml", 'glossary = ["terms/a.tsv", "terms/b.tbx"]\n')
    config = load_config(folder / "tqaudit.toml")
    assert config.glossary == (folder / "terms" / "a.tsv", folder / "terms" / "b.tbx")
    write(folder, "single.toml", 'glossary = "terms/a.tsv"\n')
    assert load_config(folder / "single.toml").glossary == (folder / "terms" / "a.tsv",)
    write(folder, "bad.toml", "glossary = 3\n")
    with pytest.raises(ConfigError, match="'glossary' must be a list of strings"):
        load_config(folder / "bad.toml")


def test_cli_takes_several_glossaries(tmp_path: Path) -> None:
    feed = write(tmp_path, "feed.tsv", "id\tsource\ttarget\n1\tСтраны ОДКБ.\tThe ODKB countries.\n")
    feed_de = "id\tsource\ttarget\n2\tThe treaty.\tDer Kontrakt.\n"
    tsv = write(tmp_path, "a.tsv", "source\ttarget\nОДКБ\tCSTO\n")
    tbx = write(tmp_path, "b.tbx", TBX_V3)
    runner = CliRunner()
    out = tmp_path / "r"
    args = ["audit", str(feed), "--glossary", str(tsv), "--glossary", str(tbx), "--out", str(out), "-q"]
    assert runner.invoke(app, [*args, "--select", "TM"]).exit_code == 0
    assert json.loads((out / "summary.json").read_text("utf-8"))["by_rule"] == {"TM001": 1}
    feed2 = write(tmp_path, "feed2.tsv", feed_de)
    args = ["audit", str(feed2), "--glossary", str(tsv), "--glossary", str(tbx), "--out", str(out), "-q"]
    assert (
        runner.invoke(app, [*args, "--select", "TM", "--src-lang", "en", "--tgt-lang", "de"]).exit_code == 0
    )
    assert json.loads((out / "summary.json").read_text("utf-8"))["by_rule"] == {"TM002": 1}


def test_cli_bad_tbx_is_exit_2_without_a_report(tmp_path: Path) -> None:
    feed = write(tmp_path, "feed.txt", "Alma-Ata\n")
    bad = write(tmp_path, "bad.tbx", '<!DOCTYPE m [<!ENTITY a "b">]>\n<martif>&a;</martif>\n')
    result = CliRunner().invoke(
        app, ["audit", str(feed), "--glossary", str(bad), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"Error: {bad}:1: the DTD declares entities; refused (a TBX file needs none)"
    ]
    assert not (tmp_path / "r").exists()


def test_a_rendering_is_found_in_its_derivations(tmp_path: Path) -> None:
    """Genitive `России`/`Украины` is often rendered `Russian`/`Ukrainian` (WMT22 ru-en
    references): TM001 accepts a word that starts with the rendering's stem, from 4 letters."""
    glossary = write(tmp_path, "g.tsv", "source\ttarget\nРоссия\tRussia\nУкраина\tUkraine\nЕС\tEU\n")
    rows = [
        {"source": "Замглавы МИД России.", "target": "Russian Deputy Foreign Minister."},
        {"source": "Посол Украины.", "target": "The Ukrainian Ambassador."},
        {"source": "Страны ЕС.", "target": "European countries."},  # `eu` is too short to extend
    ]
    got = audit([{**r, "src_lang": "ru", "tgt_lang": "en"} for r in rows], glossary)
    assert [(f["segment_id"], f["message"]) for f in got] == [
        ("3", "Source term 'ЕС' (at 7) should be translated as 'EU'")
    ]


def test_library_config_takes_one_path_or_several() -> None:
    assert Config(glossary=Path("a.tsv")).glossary == (Path("a.tsv"),)  # type: ignore[arg-type]
    assert Config(glossary=["a.tsv", "b.tbx"]).glossary == (Path("a.tsv"), Path("b.tbx"))  # type: ignore[arg-type]
    assert Config(glossary=None).glossary == ()  # type: ignore[arg-type]


def test_tm002_does_not_depend_on_tm001_being_selected(tmp_path: Path) -> None:
    """TM002 reads declared languages only, even when TM001 brings identified ones along."""
    glossary = write(
        tmp_path, "g.tsv", "source\ttarget\tforbidden\ntreaty\tVertrag\t\ntreaty\tKontrakt\tyes\n"
    )
    row = {
        "source": "The parties to the treaty met in Geneva on Monday morning.",
        "target": "Die Parteien des Kontraktes trafen sich am Montagmorgen in Genf.",
    }
    alone = [f for f in audit([row], glossary, select="TM002")]
    both = [f for f in audit([row], glossary) if f["rule"] == "TM002"]
    assert alone == both == []  # undeclared German: the inflected form is not stemmed
    declared = audit([{**row, "tgt_lang": "de"}], glossary, select="TM002")
    assert [(f["start"], f["end"], f["suggestion"]) for f in declared] == [(17, 27, "")]
