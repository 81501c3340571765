"""Feeds of translated articles: RSS, Atom, JSON Lines of articles, HTML articles.

Each reader on small feeds written here; bodies keep markup artifacts as the page shows
them; sentence splitting; bilingual pairing and its mismatches (FD013); hostile and broken
XML; where findings point (file line, article, paragraph, offset) in every report; and
``fix``, which refuses to write into a feed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tqaudit
from tests.test_report_schemas import junit_problems, sarif_problems
from tqaudit.cli import app
from tqaudit.config import Config
from tqaudit.errors import InputError
from tqaudit.io.formats.bodies import SENTENCE_WINDOW, Paragraph, _segmenter, paragraphs, sentences
from tqaudit.io.readers import detect_format, read_segments
from tqaudit.report import write_reports

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample-feed.rss"
SAMPLE_SOURCE = ROOT / "data" / "sample-feed.ru.rss"


def _rss(items: str, language: str = "en") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n<title>T</title>\n'
        f"<language>{language}</language>\n{items}</channel>\n</rss>\n"
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _targets(frame: object) -> dict[str, str]:
    return dict(zip(frame["segment_id"], frame["target"], strict=True))  # type: ignore[index]


def _audit(path: Path, *codes: str, **options: object) -> object:
    return tqaudit.audit(path, Config(select=codes, fail_on="never"), **options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- RSS


def test_rss_items_become_title_and_paragraph_segments() -> None:
    seg = read_segments(SAMPLE)
    assert list(seg["segment_id"][:5]) == [
        "metro-line title",
        "metro-line ¶1",
        "metro-line ¶2",
        "metro-line ¶3",
        "metro-line ¶4",
    ]
    assert set(seg["doc_id"]) == {"metro-line", "metro-fare"}
    assert set(seg["tgt_lang"]) == {"en"}  # the channel's <language>
    row = seg.set_index("segment_id").loc["metro-line ¶2"]
    assert row["target"] == (
        "The new line connected three districts of the city & mdash; from the railway station to the airport."
    )
    # line 13 of the file holds that paragraph; its offset is in the article text
    assert row["line"] == 13
    assert (
        row["body_offset"] == len("The mayor of Alma-Ata opened the third line of the metro on Monday.") + 2
    )
    # the CDATA body: the <script> is dropped, the comment block's heading is a paragraph
    fare = _targets(seg[seg["doc_id"] == "metro-fare"])
    assert fare["metro-fare ¶3"] == "Leave a Reply"
    assert not any("trackPageView" in t for t in fare.values())


def test_mk001_fires_on_a_broken_entity_in_a_feed_body(tmp_path: Path) -> None:
    feed = _write(
        tmp_path,
        "feed.rss",
        _rss(
            "<item><guid>a1</guid><title>Title</title>\n"
            "<description>&lt;p&gt;First paragraph.&lt;/p&gt;&lt;p&gt;Three districts &amp; mdash; "
            "from the station.&lt;/p&gt;</description></item>\n"
        ),
    )
    found = _audit(feed, "MK001").findings  # type: ignore[attr-defined]
    assert list(found["segment_id"]) == ["a1 ¶2"]
    assert found.iloc[0]["excerpt"].count("& mdash;") == 1
    assert (found.iloc[0]["start"], found.iloc[0]["end"], found.iloc[0]["suggestion"]) == (16, 24, "—")


def test_markup_reaches_the_rules_as_the_page_shows_it(tmp_path: Path) -> None:
    # A double-escaped entity shows on the page as '&mdash;' and reaches the rules so (MK002),
    # a real entity is decoded, tags are removed, <style> content is dropped.
    feed = _write(
        tmp_path,
        "feed.rss",
        _rss(
            "<item><guid>a1</guid>\n<description><![CDATA[<p>Prices rose &amp;mdash; again.</p>"
            "<p>Real &mdash; dash and <b>bold</b> text.<style>p { color: red }</style></p>]]>"
            "</description></item>\n"
        ),
    )
    seg = read_segments(feed)
    assert list(seg["target"]) == ["Prices rose &mdash; again.", "Real — dash and bold text."]
    found = _audit(feed, "MK001", "MK002").findings  # type: ignore[attr-defined]
    assert list(zip(found["segment_id"], found["rule"], strict=True)) == [("a1 ¶1", "MK002")]


def test_paragraphs_split_at_blocks_double_breaks_and_blank_lines() -> None:
    html = "<div>One<br>line  two</div>\n<p>Three<br/>\n<br>Four</p><ul><li>Five</li></ul>"
    assert [p.text for p in paragraphs(html)] == ["One line  two", "Three", "Four", "Five"]
    text = "First para\nwraps here.\n\n  Second para.\n\n\nThird."
    found = paragraphs(text)
    assert [(p.text, p.line, p.offset) for p in found] == [
        ("First para wraps here.", 1, 0),
        ("Second para.", 4, 24),
        ("Third.", 7, 38),
    ]


def test_xml_extension_is_sniffed_by_its_root(tmp_path: Path) -> None:
    feed = _write(tmp_path, "feed.xml", _rss("<item><guid>a</guid><title>Hello</title></item>\n"))
    assert detect_format(feed) == "rss"
    other = _write(tmp_path, "other.xml", "<?xml version='1.0'?><config><x/></config>")
    with pytest.raises(InputError, match=r"other\.xml: not an RSS or Atom feed"):
        detect_format(other)


RSS1 = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="https://news.example.kz/rss">
  <title>City news</title>
  <link>https://news.example.kz/</link>
  <dc:language>en-GB</dc:language>
  <items><rdf:Seq><rdf:li resource="https://news.example.kz/metro"/></rdf:Seq></items>
</channel>
<item rdf:about="https://news.example.kz/metro">
  <title>Metro opens in Alma-Ata</title>
  <link>https://news.example.kz/metro?utm=rss</link>
  <content:encoded><![CDATA[<p>The mayor opened the line.</p>
<p>Trains run every six minutes & mdash; from 6 am.</p>]]></content:encoded>
</item>
<item>
  <title>Fares</title>
  <link>https://news.example.kz/fares</link>
  <description>The fare is &lt;b&gt;150 tenge&lt;/b&gt;.</description>
</item>
</rdf:RDF>
"""


def test_rss_1_rdf_items_are_read_like_rss_2(tmp_path: Path) -> None:
    feed = _write(tmp_path, "news.rdf", RSS1)
    assert detect_format(feed) == "rss"
    assert detect_format(_write(tmp_path, "news.xml", RSS1)) == "rss"  # by its <rdf:RDF> root
    seg = read_segments(feed)
    assert _targets(seg) == {
        "https://news.example.kz/metro title": "Metro opens in Alma-Ata",
        "https://news.example.kz/metro ¶1": "The mayor opened the line.",
        "https://news.example.kz/metro ¶2": "Trains run every six minutes & mdash; from 6 am.",
        "https://news.example.kz/fares title": "Fares",  # no rdf:about: its link
        "https://news.example.kz/fares ¶1": "The fare is 150 tenge.",  # description, tags removed
    }
    assert set(seg["tgt_lang"]) == {"en"}  # dc:language en-GB
    assert seg["line"].tolist() == [11, 13, 14, 17, 19]
    findings = _audit(feed, "MK001").findings  # type: ignore[attr-defined]
    assert findings["segment_id"].tolist() == ["https://news.example.kz/metro ¶2"]


def test_rss_1_with_an_entity_declaration_is_refused(tmp_path: Path) -> None:
    bomb = RSS1.replace(
        "<rdf:RDF", '<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rdf:RDF', 1
    )
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        read_segments(_write(tmp_path, "bomb.rdf", bomb))


# --------------------------------------------------------------------------- Atom

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
  <title>City news</title>
  <entry>
    <id>urn:news:1</id>
    <title type="html">Metro &amp;amp; trams</title>
    <link rel="alternate" href="https://example.kz/en/1"/>
    <content type="text/html">&lt;p&gt;One &amp; mdash; two.&lt;/p&gt;&lt;p&gt;Three.&lt;/p&gt;</content>
  </entry>
  <entry xml:lang="de">
    <id>urn:news:2</id>
    <title>Plain title</title>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Erster Absatz.</p>
      <p>Zweiter <em>Absatz</em>.</p></div></content>
  </entry>
  <entry>
    <id>urn:news:3</id>
    <summary>Text summary &amp;mdash; as it is.

Second paragraph.</summary>
  </entry>
</feed>
"""


def test_atom_entries_by_content_type(tmp_path: Path) -> None:
    feed = _write(tmp_path, "feed.atom", ATOM)
    seg = read_segments(feed)
    assert _targets(seg) == {
        "urn:news:1 title": "Metro & trams",
        "urn:news:1 ¶1": "One & mdash; two.",
        "urn:news:1 ¶2": "Three.",
        "urn:news:2 title": "Plain title",
        "urn:news:2 ¶1": "Erster Absatz.",
        "urn:news:2 ¶2": "Zweiter Absatz.",
        "urn:news:3 ¶1": "Text summary &mdash; as it is.",  # type="text": no HTML decoding
        "urn:news:3 ¶2": "Second paragraph.",
    }
    langs = dict(zip(seg["segment_id"], seg["tgt_lang"], strict=True))
    assert (langs["urn:news:1 ¶1"], langs["urn:news:2 ¶1"]) == ("en", "de")
    lines = dict(zip(seg["segment_id"], seg["line"], strict=True))
    assert (lines["urn:news:1 ¶1"], lines["urn:news:2 ¶2"], lines["urn:news:3 ¶2"]) == (8, 14, 20)
    found = _audit(feed, "MK001").findings  # type: ignore[attr-defined]
    assert list(found["segment_id"]) == ["urn:news:1 ¶1"]


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_of_articles_is_told_from_a_segment_table(tmp_path: Path) -> None:
    articles = _write(
        tmp_path,
        "articles.jsonl",
        json.dumps(
            {"id": "n1", "title": "Mayor of Alma-Ata", "body": "<p>One.</p><p>Two &amp; mdash; three.</p>"}
        )
        + "\n"
        + json.dumps({"id": "n2", "body": "Plain text.\n\nSecond paragraph.", "lang": "en"})
        + "\n",
    )
    segments = _write(
        tmp_path, "segments.jsonl", json.dumps({"id": "s1", "target": "A body field", "body": "x"})
    )
    assert detect_format(articles) == "articles"
    assert detect_format(segments) == "jsonl"
    seg = read_segments(articles)
    assert _targets(seg) == {
        "n1 title": "Mayor of Alma-Ata",
        "n1 ¶1": "One.",
        "n1 ¶2": "Two & mdash; three.",
        "n2 ¶1": "Plain text.",
        "n2 ¶2": "Second paragraph.",
    }
    assert list(seg["line"]) == [1, 1, 1, 2, 2]
    # named explicitly, a file with another extension is read as articles too
    renamed = _write(tmp_path, "feed.ndjson.txt", articles.read_text("utf-8"))
    assert len(read_segments(renamed, fmt="articles")) == 5


def test_jsonl_articles_pair_with_their_source_fields(tmp_path: Path) -> None:
    record = {
        "id": "n1",
        "title": "Metro opened",
        "body": "<p>The line opened.</p><p>Fare is 150 tenge.</p>",
        "source_title": "Метро открыто",
        "source_body": "<p>Линия открылась.</p><p>Проезд 150 тенге.</p>",
        "source_lang": "ru",
        "tgt_lang": "en",
    }
    short = {**record, "id": "n2", "source_body": "<p>Линия открылась.</p>"}
    feed = _write(
        tmp_path, "a.jsonl", json.dumps(record) + "\n" + json.dumps(short, ensure_ascii=False) + "\n"
    )
    seg = read_segments(feed).set_index("segment_id")
    assert seg.loc["n1 ¶2", "source"] == "Проезд 150 тенге."
    assert seg.loc["n1 title", "source"] == "Метро открыто"
    assert (seg.loc["n1 ¶1", "src_lang"], seg.loc["n1 ¶1", "tgt_lang"]) == ("ru", "en")
    assert seg.loc["n2 ¶1", "source"] == ""  # counts differ: nothing paired by position
    found = _audit(feed, "FD013").findings  # type: ignore[attr-defined]
    assert list(found["segment_id"]) == ["n2 title"]
    assert "the source has 1 paragraphs, the translation 2" in found.iloc[0]["message"]


# --------------------------------------------------------------------------- HTML


def test_html_article_and_folder_of_articles(tmp_path: Path, runner: CliRunner) -> None:
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>Mayor of Alma-Ata opens metro</title>\n'
        "<style>body { margin: 0 }</style></head>\n<body>\n<article>\n"
        "<p>The line opened &amp; mdash; at last.</p>\n<p>Second paragraph.</p>\n</article>\n"
        "<script>var chrome = 'Leave a Reply';</script>\n</body></html>\n"
    )
    one = _write(tmp_path, "site/news/metro.html", page)
    _write(tmp_path, "site/news/fare.htm", page.replace("metro", "fare"))
    seg = read_segments(one)
    assert _targets(seg) == {
        "metro.html title": "Mayor of Alma-Ata opens metro",
        "metro.html ¶1": "The line opened & mdash; at last.",
        "metro.html ¶2": "Second paragraph.",
    }
    assert list(seg["line"]) == [3, 7, 8]
    folder = read_segments(tmp_path / "site", fmt="html")
    assert sorted(set(folder["doc_id"])) == ["news/fare.htm", "news/metro.html"]
    out = tmp_path / "r"
    result = runner.invoke(
        app,
        ["audit", str(tmp_path / "site"), "--input-format", "html", "--select", "MK001", "--out", str(out)],
    )
    assert result.exit_code == 1, result.output
    # one input for the whole folder; each finding points at its own file and line
    assert "site/news/fare.htm:7:1: MK001" in result.stdout
    assert "site/news/metro.html:7:1: MK001" in result.stdout
    assert "[news/metro.html ¶1, char 16]" in result.stdout


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Dr. Smith came at 5 p.m. on Monday. He left.",
            ["Dr. Smith came at 5 p.m. on Monday.", "He left."],
        ),
        ("ru", "Мэр г. Алматы открыл метро. Он выступил.", ["Мэр г. Алматы открыл метро.", "Он выступил."]),
        (
            "de",
            "Er kam am 3. Mai an. Er blieb z. B. zwei Tage.",
            ["Er kam am 3. Mai an.", "Er blieb z. B. zwei Tage."],
        ),
        ("zh", "今天天气很好。我们去公园吧！", ["今天天气很好。", "我们去公园吧！"]),
        ("ja", "今日は晴れです。公園に行きましょう！", ["今日は晴れです。", "公園に行きましょう！"]),
    ],
)
def test_sentence_split_per_language(lang: str, text: str, expected: list[str]) -> None:
    found = sentences(Paragraph(text, 4, 100), lang)
    assert [s.text for s in found] == expected
    assert all(text[s.offset - 100 :].startswith(s.text) for s in found)
    assert {s.line for s in found} == {4}


def test_a_long_paragraph_is_split_window_by_window_as_a_whole() -> None:
    text = " ".join(f"Dr. Smith met Mr. Jones on Jan. {i % 28 + 1}. They talked." for i in range(80))
    assert len(text) > 3 * SENTENCE_WINDOW
    found = sentences(Paragraph(text), "en")
    assert [s.text for s in found] == [s.strip() for s in _segmenter("en").segment(text)]
    assert all(text[s.offset :].startswith(s.text) for s in found)
    # a "sentence" with no boundary in a whole window is cut at the window's edge
    run_on = sentences(Paragraph("word " * 500 + "end."), "en")
    assert [len(s.text) for s in run_on] == [SENTENCE_WINDOW - 1, SENTENCE_WINDOW - 1, 504]


def test_split_sentences_gives_sentence_segments_with_offsets(tmp_path: Path) -> None:
    feed = _write(
        tmp_path,
        "feed.rss",
        _rss(
            "<item><guid>a</guid><description>&lt;p&gt;One here. Two &amp; mdash; there.&lt;/p&gt;"
            "</description></item>\n"
        ),
    )
    seg = read_segments(feed, split="sentences")
    assert _targets(seg) == {"a ¶1.1": "One here.", "a ¶1.2": "Two & mdash; there."}
    assert list(seg["body_offset"]) == [0, 10]
    with pytest.raises(InputError, match="--split sentences applies to feeds"):
        read_segments(ROOT / "data" / "clean-feed.txt", split="sentences")


# --------------------------------------------------------------------------- bilingual


def _pair_feeds(tmp_path: Path) -> tuple[Path, Path]:
    target = _write(
        tmp_path,
        "en.rss",
        _rss(
            "<item><guid>n1</guid><title>Metro opened</title><description>"
            "&lt;p&gt;The line opened.&lt;/p&gt;&lt;p&gt;Fare is 150 tenge.&lt;/p&gt;</description></item>\n"
            "<item><link>https://example.kz/en/2</link><title>Trams</title><description>"
            "&lt;p&gt;Trams run.&lt;/p&gt;</description></item>\n"
            "<item><guid>n3</guid><title>Buses</title><description>"
            "&lt;p&gt;Buses run.&lt;/p&gt;&lt;p&gt;Subscribe to our newsletter&lt;/p&gt;"
            "</description></item>\n"
            "<item><guid>n4</guid><title>Orphan</title></item>\n"
        ),
    )
    source = _write(
        tmp_path,
        "ru.rss",
        _rss(
            "<item><guid>n1</guid><title>Метро открыто</title><description>"
            "&lt;p&gt;Линия открылась.&lt;/p&gt;&lt;p&gt;Проезд 150 тенге.&lt;/p&gt;</description></item>\n"
            "<item><guid>ru-2</guid><link>https://example.kz/en/2</link><title>Трамваи</title>"
            "<description>&lt;p&gt;Трамваи ходят.&lt;/p&gt;</description></item>\n"
            "<item><guid>n3</guid><title>Автобусы</title><description>"
            "&lt;p&gt;Автобусы ходят.&lt;/p&gt;</description></item>\n",
            language="ru",
        ),
    )
    return target, source


def test_bilingual_feed_pairs_by_id_then_link_and_reports_mismatches(tmp_path: Path) -> None:
    target, source = _pair_feeds(tmp_path)
    seg = read_segments(target, src=source).set_index("segment_id")
    assert seg.loc["n1 ¶2", "source"] == "Проезд 150 тенге."  # by id, by position
    assert seg.loc["https://example.kz/en/2 ¶1", "source"] == "Трамваи ходят."  # by link
    assert seg.loc["n3 title", "source"] == "Автобусы"
    assert seg.loc["n3 ¶1", "source"] == ""  # 1 paragraph against 2: not paired
    assert seg.loc["n1 ¶1", "src_lang"] == "ru"
    found = _audit(target, "FD013", src=source).findings  # type: ignore[attr-defined]
    assert list(zip(found["segment_id"], found["severity"], strict=True)) == [
        ("n3 title", "warning"),
        ("n4 title", "warning"),
    ]
    assert "the source has 1 paragraphs, the translation 2" in found.iloc[0]["message"]
    assert "no source article with this id or link" in found.iloc[1]["message"]


def test_bilingual_sentences_pair_within_paragraphs(tmp_path: Path) -> None:
    target = _write(
        tmp_path,
        "en.rss",
        _rss(
            "<item><guid>n1</guid><description>&lt;p&gt;One. Two.&lt;/p&gt;&lt;p&gt;Three and four.&lt;/p&gt;"
            "</description></item>\n"
        ),
    )
    source = _write(
        tmp_path,
        "ru.rss",
        _rss(
            "<item><guid>n1</guid><description>&lt;p&gt;Раз. Два.&lt;/p&gt;&lt;p&gt;Три. Четыре.&lt;/p&gt;"
            "</description></item>\n",
            language="ru",
        ),
    )
    seg = read_segments(target, src=source, split="sentences").set_index("segment_id")
    assert (seg.loc["n1 ¶1.1", "source"], seg.loc["n1 ¶1.2", "source"]) == ("Раз.", "Два.")
    assert seg.loc["n1 ¶2.1", "source"] == ""
    assert seg.loc["n1 ¶2.1", "alignment"] == "¶2: the source has 2 sentences, the translation 1"


def test_the_sample_feed_with_its_original(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(
        app, ["audit", str(SAMPLE), "--src", str(SAMPLE_SOURCE), "--select", "FD013,MK001", "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert (
        "FD013 Article 'metro-line' is not aligned with its source: the source has 3 paragraphs"
        in result.stdout
    )


# --------------------------------------------------------------------------- hostile and broken


HOSTILE = {
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<rss><channel><item><title>&xxe;</title></item></channel></rss>\n",
    "expansion bomb": '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
    "<rss><channel><item><title>&c;</title></item></channel></rss>\n",
    "entity after a notation": '<?xml version="1.0"?>\n<!DOCTYPE rss [<!NOTATION n SYSTEM "<z>">'
    '<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
    "<rss><channel><item><title>&xxe;</title></item></channel></rss>\n",
    "parameter entity": '<?xml version="1.0"?>\n'
    '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>\n'
    "<rss><channel><item><title>x</title></item></channel></rss>\n",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_dtd_declaring_entities_is_refused(kind: str, runner: CliRunner, tmp_path: Path) -> None:
    feed = _write(tmp_path, "feed.rss", HOSTILE[kind])
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(feed), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "feed.rss: refused: its DTD declares entities" in result.stderr
    assert not out.exists()


def test_feeds_in_their_declared_encoding_and_a_utf16_entity_refused(tmp_path: Path) -> None:
    cyrillic = _rss("<item><guid>a</guid><title>Мэр Алма-Аты</title></item>\n", language="ru")
    declared = cyrillic.replace('encoding="UTF-8"', 'encoding="windows-1251"')
    feed = tmp_path / "cp1251.rss"
    feed.write_bytes(declared.encode("cp1251"))
    assert list(read_segments(feed)["target"]) == ["Мэр Алма-Аты"]
    wide = tmp_path / "utf16.rss"
    wide.write_bytes(HOSTILE["external entity"].replace('<?xml version="1.0"?>', "").encode("utf-16"))
    with pytest.raises(InputError, match="refused: its DTD declares entities"):
        read_segments(wide)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "truncated.rss",
            _rss("<item><guid>a</guid><title>Cut")[:-20],
            "truncated.rss:6: not well-formed XML (Premature end of data in tag title line 6)",
        ),
        ("empty.rss", _rss(""), "empty.rss: no articles in this rss feed"),
        ("blank.rss", "  \n", "blank.rss: empty file"),
        (
            "wrong.rss",
            '<?xml version="1.0"?><html><body/></html>',
            "wrong.rss: not an RSS feed (root <html>",
        ),
        ("wrong.atom", _rss(""), "wrong.atom: not an Atom feed (root <rss>"),
        (
            "sur.jsonl",
            '{"id": "a", "body": "bad \\ud800 text"}\n',
            "sur.jsonl:1: 'body' holds a lone surrogate",
        ),
        (
            "bare.jsonl",
            '{"id": "a", "body": "x"}\n{"id": "b"}\n',
            "bare.jsonl:2: an article needs 'body' or 'title'",
        ),
    ],
)
def test_broken_feeds_exit_2_with_one_line(
    name: str, text: str, message: str, runner: CliRunner, tmp_path: Path
) -> None:
    feed = _write(tmp_path, name, text)
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", str(feed), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().count("\n") == 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_duplicate_article_ids_and_refs_are_input_errors(tmp_path: Path) -> None:
    feed = _write(
        tmp_path,
        "dup.rss",
        _rss("<item><guid>a</guid><title>x</title></item><item><guid>a</guid><title>y</title></item>"),
    )
    with pytest.raises(InputError, match="duplicate article id 'a'"):
        read_segments(feed)
    with pytest.raises(InputError, match="--ref is line-aligned"):
        read_segments(SAMPLE, refs=[ROOT / "data" / "clean-feed.txt"])


# --------------------------------------------------------------------------- where findings point


def test_reports_show_the_article_paragraph_and_line(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r"
    args = [
        "audit",
        str(SAMPLE),
        "--select",
        "MK001",
        "--out",
        str(out),
        "--format",
        "sarif,github,gitlab,rdjson",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert (
        "sample-feed.rss:13:1: MK001 Broken entity '& mdash;'; did you mean '—'? [metro-line ¶2, char 120]"
        in (result.stdout)
    )
    assert "::error file=" in result.stdout and "line=13," in result.stdout
    assert "[segment metro-line ¶2, char 120]" in result.stdout
    sarif = json.loads((out / "findings.sarif").read_text("utf-8"))
    found = sarif["runs"][0]["results"][0]
    assert found["locations"][0]["physicalLocation"]["region"] == {"startLine": 13}
    assert found["message"]["text"].endswith("[segment metro-line ¶2, char 120]")
    gitlab = json.loads((out / "gl-code-quality-report.json").read_text("utf-8"))[0]
    assert gitlab["description"].endswith("[segment metro-line ¶2, char 120]")
    assert gitlab["location"]["lines"] == {"begin": 13}
    rdjson = json.loads((out / "findings.rdjson").read_text("utf-8"))["diagnostics"][0]
    assert rdjson["message"].endswith("[segment metro-line ¶2, char 120]")
    as_json = runner.invoke(
        app, ["audit", str(SAMPLE), "--select", "MK001", "--out", str(out), "--output-format", "json"]
    )
    record = json.loads(as_json.stdout)[0]
    assert record["location"]["line"] == 13 and record["location"]["place"] == "metro-line ¶2, char 120"
    assert record["segment_id"] == "metro-line ¶2"


def test_sample_feed_audits_end_to_end(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "r"
    result = runner.invoke(app, ["audit", "data/sample-feed.rss", "--out", str(out)])
    assert result.exit_code == 1, result.output
    shown = [
        line
        for line in (ROOT / "README.md").read_text("utf-8").splitlines()
        if line.startswith("data/sample-feed.rss:")
    ]
    assert len(shown) == 2 and all(line in result.stdout.splitlines() for line in shown)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert {"MK001", "TL001", "PU001", "BP001"} <= set(summary["by_rule"])
    assert "[metro-line title]" in result.stdout  # Alma-Ata in the title
    assert "[metro-fare ¶3, char 154]" in result.stdout  # site chrome in the comment block


# --------------------------------------------------------------------------- fix


def test_fix_refuses_to_write_into_a_feed_and_shows_a_diff(runner: CliRunner, tmp_path: Path) -> None:
    feed = _write(tmp_path, "feed.rss", SAMPLE.read_text("utf-8"))
    before = feed.read_bytes()
    for args in (
        ["fix", str(feed)],
        ["fix", str(feed), "--in-place"],
        ["fix", str(feed), "-o", str(tmp_path / "o.rss")],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().count("\n") == 0
        assert "fixes are written back into text and localisation formats" in result.stderr
        assert "not into a feed (rss); --diff shows them" in result.stderr
    assert feed.read_bytes() == before and not (tmp_path / "o.rss").exists()
    # JSON Lines of articles are told from a segment table, so fix never writes a "target" into them
    articles = _write(
        tmp_path, "a.jsonl", json.dumps({"id": "n1", "body": "<p>One &amp; mdash; two.</p>"}) + "\n"
    )
    refused = runner.invoke(app, ["fix", str(articles), "--in-place"])
    assert refused.exit_code == 2 and "not into a feed (articles)" in refused.stderr
    diff = runner.invoke(app, ["fix", str(feed), "--diff", "--select", "MK001"])
    assert diff.exit_code == 0, diff.output
    assert "+The new line connected three districts of the city — from the railway station" in diff.stdout


def test_feed_reports_are_valid_sarif_and_junit(tmp_path: Path) -> None:
    result = tqaudit.audit(SAMPLE, src=SAMPLE_SOURCE)
    write_reports(result, tmp_path, ["sarif", "junit"])
    log = json.loads((tmp_path / "findings.sarif").read_text("utf-8"))
    assert sarif_problems(log) == [] and junit_problems(tmp_path / "junit.xml") == []
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert len(texts) == len(result.findings)
    assert any(t.endswith("[segment metro-line ¶2, char 120]") for t in texts)
