"""Feeds of translated articles: RSS 2.0, Atom, JSON Lines of articles, HTML articles.

Each article becomes segments: its title (``ARTICLE title``) and its body's paragraphs
(``ARTICLE ¶1``, ``ARTICLE ¶2``, …), or with ``split="sentences"`` their sentences
(``ARTICLE ¶2.1``). Every segment keeps the article as ``doc_id``, the ``line`` of the
file where its text starts and ``body_offset``, its character offset in the article text
(the body's paragraphs joined by a blank line; -1 for a title), which the reports show
beside the line. Bodies are turned into text by :mod:`tqaudit.io.formats.bodies`, which
removes tags and keeps markup artifacts (``& mdash;``) as the page shows them.

Formats:

- ``rss``: RSS 2.0; an item's id is its ``guid``, else its ``link``; its body is
  ``content:encoded``, else ``description`` (HTML, as RSS readers render it). RSS 1.0
  (RDF: a ``<rdf:RDF>`` root, ``.rdf`` files) is read the same way: an item's id is its
  ``rdf:about``, else its ``link``; the language is the channel's ``dc:language``, else
  an ``xml:lang``.
- ``atom``: Atom 1.0; an entry's id is its ``id``, else its link; its body is ``content``,
  else ``summary``, per its ``type`` (``text``, ``html`` or ``xhtml``).
- ``articles``: JSON Lines, one article per line: ``id`` (else ``link``/``url``, else the
  line number), ``title``, ``body`` (HTML when it has tags, else text with blank lines between
  paragraphs), optional ``link``, ``lang``/``tgt_lang``, and the original as ``source_title``,
  ``source_body``, ``source_lang``. A ``.jsonl`` file whose first object has ``body`` and no
  ``target`` is read as articles; ``--input-format articles`` says so explicitly.
- ``html``: an HTML file is one article (id: the file name); ``--input-format html`` with a
  folder reads every ``.html``/``.htm`` file in it (ids: the paths below the folder).

XML is parsed by lxml with entities left unresolved, no network and no DTD loaded, and a
document whose DTD declares entities is refused before it is parsed, as defusedxml refuses
it: neither an external entity nor an expansion bomb is ever read.

Bilingual feeds: ``src`` names the feed of the original articles (same format). A translated
article is paired with the source article of the same id, else of the same link; titles
pair, paragraphs pair by position. When the counts differ (or, split into sentences, a
paragraph's sentence counts differ), or an article has no original, those segments are
not compared with any source and the ``alignment`` column says why; rule FD013 reports it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.errors import InputError
from tqaudit.io.formats import bodies
from tqaudit.io.formats.bodies import Paragraph
from tqaudit.io.formats.common import declares_entities, entities_refused, load, read_bytes, xml_root

LOG = logging.getLogger("tqaudit")

FEED_FORMATS = ("rss", "atom", "articles", "html")
SPLITS = ("paragraphs", "sentences")
HTML_SUFFIXES = (".html", ".htm")

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Article:
    """One article: id, link, title and body paragraphs (lines are the file's)."""

    id: str
    title: str = ""
    title_line: int = 1
    paragraphs: list[Paragraph] = field(default_factory=list)
    link: str = ""
    lang: str = ""
    source: Article | None = None  # the original, when the same record carries it (JSONL)


# --------------------------------------------------------------------------- XML


def _raw(path: Path) -> bytes:
    """The file's bytes; the same missing/folder/empty errors as every reader."""
    raw = read_bytes(path)
    if not raw.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise InputError(f"{path}: empty file")
    return raw


def parse_xml(path: Path) -> Any:
    """``path`` as an lxml tree, hardened; a refused or broken file is one line naming it."""
    from lxml import etree

    raw = _raw(path)
    refused = entities_refused(path)
    if declares_entities(raw):  # before parsing: an expansion bomb is never parsed
        raise refused
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else 1
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc).splitlines()[0])
        raise InputError(f"{path}:{line}: not well-formed XML ({message})") from None
    dtd = root.getroottree().docinfo.internalDTD  # defusedxml's own check, after a parse that
    if dtd is not None and any(True for _ in dtd.iterentities()):  # resolved nothing
        raise refused
    return root


def sniff(path: Path) -> str | None:
    """``rss`` or ``atom`` by the root element of an XML file, else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    name = xml_root(head).lower()
    return {"rss": "rss", "rdf": "rss", "feed": "atom"}.get(name.split(":")[-1])


def _text(element: Any) -> str:
    return str(element.text or "") if element is not None else ""


def _markup(element: Any) -> str:
    """The content of ``element`` as HTML: its text, or its child elements serialised."""
    from lxml import etree

    if element is None:
        return ""
    if not len(element):
        return str(element.text or "")
    inner = [str(element.text or "")]
    inner += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(inner)


def _body(element: Any, kind: str = "html") -> list[Paragraph]:
    """Paragraphs of a body element; lines are moved to the file's (the element's line on)."""
    if element is None:
        return []
    if kind == "xhtml":
        div = element.find(f"{_XHTML}div")
        found = bodies.paragraphs(_markup(div if div is not None else element), html=True)
    elif kind == "text":
        found = bodies.paragraphs(_text(element), html=False)
    else:
        found = bodies.paragraphs(_markup(element), html=True)
    base = int(element.sourceline or 1) - 1
    return [Paragraph(p.text, base + p.line, p.offset) for p in found]


def _title(element: Any, kind: str = "text") -> tuple[str, int]:
    if element is None:
        return "", 1
    line = int(element.sourceline or 1)
    if kind in ("html", "xhtml"):
        return " ".join(p.text for p in _body(element, kind)), line
    return bodies.plain(_text(element)), line


def _language(code: str) -> str:
    """``en-US`` -> ``en``: the rules key languages by ISO 639-1."""
    return re.split(r"[-_]", code.strip())[0].lower()


def _rss_item(item: Any, ns: str, item_id: str, lang: str, number: int) -> Article:
    """An RSS item (``ns``: "" for RSS 2.0, the RSS 1.0 namespace for RDF); ``item_id`` is
    its ``guid`` or ``rdf:about``, else its link, else its position."""
    link = _text(item.find(f"{ns}link")).strip()
    body = item.find(_CONTENT)
    title, title_line = _title(item.find(f"{ns}title"))
    return Article(
        id=item_id or link or f"item-{number}",
        title=title,
        title_line=title_line,
        paragraphs=_body(body if body is not None else item.find(f"{ns}description")),
        link=link,
        lang=lang,
    )


def _read_rdf(root: Any) -> list[Article]:
    """RSS 1.0: the items are the root's children, beside the channel, in the RSS 1.0 namespace."""
    channel = root.find(f"{_RSS1}channel")
    lang = _text(channel.find(_DC_LANGUAGE)) if channel is not None else ""
    lang = _language(lang or str(root.get(_XML_LANG) or ""))
    items = root.findall(f"{_RSS1}item")
    return [
        _rss_item(item, _RSS1, str(item.get(f"{_RDF}about") or "").strip(), lang, n)
        for n, item in enumerate(items, start=1)
    ]


def read_rss(path: Path) -> list[Article]:
    root = parse_xml(path)
    if root.tag == f"{_RDF}RDF":
        return _read_rdf(root)
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise InputError(
            f"{path}: not an RSS feed (root <{root.tag}>, expected <rss><channel> or RSS 1.0's <rdf:RDF>)"
        )
    lang = _language(_text(channel.find("language")))
    return [
        _rss_item(item, "", _text(item.find("guid")).strip(), lang, n)
        for n, item in enumerate(channel.findall("item"), start=1)
    ]


_ATOM_TYPES = {"text/html": "html", "application/xhtml+xml": "xhtml", "html": "html", "xhtml": "xhtml"}


def _atom_type(element: Any) -> str:
    """An Atom text construct's type: ``text`` (also by default and for other media types),
    ``html`` or ``xhtml`` (RFC 4287 §3.1.1; ``text/html`` and the XHTML media type count too)."""
    kind = str(element.get("type") or "text").strip().lower() if element is not None else "text"
    return _ATOM_TYPES.get(kind, "text")


def _atom_link(entry: Any) -> str:
    for link in entry.findall(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return str(link.get("href") or "").strip()
    return ""


def read_atom(path: Path) -> list[Article]:
    root = parse_xml(path)
    if root.tag != f"{_ATOM}feed":
        raise InputError(f"{path}: not an Atom feed (root <{root.tag}>, expected <feed> of Atom 1.0)")
    feed_lang = _language(str(root.get(_XML_LANG) or ""))
    out: list[Article] = []
    for entry in root.findall(f"{_ATOM}entry"):
        body = entry.find(f"{_ATOM}content")
        if body is None or body.get("src"):
            body = entry.find(f"{_ATOM}summary")
        title_element = entry.find(f"{_ATOM}title")
        kind = _atom_type(title_element)
        title, title_line = _title(title_element, kind)
        link = _atom_link(entry)
        out.append(
            Article(
                id=_text(entry.find(f"{_ATOM}id")).strip() or link or f"entry-{len(out) + 1}",
                title=title,
                title_line=title_line,
                paragraphs=_body(body, _atom_type(body)),
                link=link,
                lang=_language(str(entry.get(_XML_LANG) or "")) or feed_lang,
            )
        )
    return out


# --------------------------------------------------------------------------- JSON Lines


def looks_like_articles(path: Path) -> bool:
    """A JSON Lines file of articles: its first object has ``body`` and no ``target``."""
    try:
        with path.open("rb") as fh:
            for raw in fh:
                if raw.strip():
                    first = json.loads(raw.decode("utf-8-sig", errors="replace"))
                    return isinstance(first, dict) and "body" in first and "target" not in first
    except (OSError, ValueError):
        return False
    return False


def _field(record: dict[str, Any], *names: str) -> str:
    for name in names:
        value = record.get(name)
        if value is not None and not isinstance(value, (dict, list)):
            return str(value)
    return ""


def _record_article(record: dict[str, Any], line: int, prefix: str = "") -> Article:
    body = bodies.paragraphs(_field(record, f"{prefix}body"))
    return Article(
        id=_field(record, "id", "link", "url") or str(line),
        title=bodies.plain(_field(record, f"{prefix}title")),
        title_line=line,
        paragraphs=[Paragraph(p.text, line, p.offset) for p in body],
        link=_field(record, "link", "url"),
        lang=_language(_field(record, "source_lang") if prefix else _field(record, "tgt_lang", "lang")),
    )


def read_articles(path: Path) -> list[Article]:
    from tqaudit.io.formats.jsonl import _object, rows

    _, text = load(path)
    out = []
    for row in rows(text):
        record = _object(text[row.start : row.end], path, row.number)
        for key, value in record.items():
            if isinstance(value, str) and _SURROGATE.search(value):
                raise InputError(
                    f"{path}:{row.number}: {key!r} holds a lone surrogate (an invalid \\u escape)"
                )
        if "body" not in record and "title" not in record:
            raise InputError(
                f"{path}:{row.number}: an article needs 'body' or 'title' (found: {', '.join(record)})"
            )
        article = _record_article(record, row.number)
        if "source_body" in record or "source_title" in record:
            article.source = _record_article(record, row.number, "source_")
        out.append(article)
    return out


# --------------------------------------------------------------------------- HTML


def _html_article(path: Path, article_id: str) -> Article:
    _, text = load(path)
    title, found = bodies.html_paragraphs(text)
    paragraphs, offset = [], 0
    for body_text, line in found:
        paragraphs.append(Paragraph(body_text, line, offset))
        offset += len(body_text) + len(bodies.PARAGRAPH_SEPARATOR)
    match = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]+)", text[:4096], re.I)
    title_line = text[: text.lower().find("<title")].count("\n") + 1 if "<title" in text.lower() else 1
    return Article(article_id, title, title_line, paragraphs, lang=_language(match.group(1)) if match else "")


def html_files(folder: Path) -> list[Path]:
    """The HTML articles of a folder, recursively, hidden ones skipped, in a stable order."""
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in HTML_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def read_html(path: Path) -> list[Article]:
    if not path.is_dir():
        return [_html_article(path, path.name)]
    files = html_files(path)
    if not files:
        raise InputError(f"{path}: no .html or .htm file in this folder")
    return [_html_article(p, p.relative_to(path).as_posix()) for p in files]


_READERS = {"rss": read_rss, "atom": read_atom, "articles": read_articles, "html": read_html}


def read_articles_of(path: Path, fmt: str) -> list[Article]:
    """The articles of a feed; no article at all is an input error."""
    found = _READERS[fmt](path)
    if not found:
        raise InputError(f"{path}: no articles in this {fmt} feed")
    seen: dict[str, int] = {}
    for article in found:
        if article.id in seen:
            raise InputError(f"{path}: duplicate article id {article.id!r}")
        seen[article.id] = 1
    return found


# --------------------------------------------------------------------------- segments


@dataclass
class _Segment:
    suffix: str  # "title", "¶2" or "¶2.1"
    target: str
    line: int
    offset: int  # in the article text; -1 for the title
    source: str = ""
    alignment: str = ""  # why it is not paired with a source (first segment of the unpaired)


def _unpaired(article: Article, split: str, lang: str) -> list[_Segment]:
    """The body's paragraphs (or sentences) with no source."""
    out = []
    for n, paragraph in enumerate(article.paragraphs, start=1):
        if split == "sentences":
            found = bodies.sentences(paragraph, lang)
            out += [_Segment(f"¶{n}.{k}", s.text, s.line, s.offset) for k, s in enumerate(found, start=1)]
        else:
            out.append(_Segment(f"¶{n}", paragraph.text, paragraph.line, paragraph.offset))
    return out


def _paired_sentences(n: int, target: Paragraph, source: Paragraph, langs: tuple[str, str]) -> list[_Segment]:
    """Paragraph ``n``'s sentences with the source's by position, or unpaired when their counts differ."""
    tgt, src = bodies.sentences(target, langs[1]), bodies.sentences(source, langs[0])
    out = [_Segment(f"¶{n}.{k}", s.text, s.line, s.offset) for k, s in enumerate(tgt, start=1)]
    if len(tgt) == len(src):
        for seg, original in zip(out, src, strict=True):
            seg.source = original.text
    else:
        out[0].alignment = f"¶{n}: the source has {len(src)} sentences, the translation {len(tgt)}"
    return out


def _body_segments(
    article: Article, source: Article | None, split: str, langs: tuple[str, str]
) -> tuple[list[_Segment], str]:
    """The body's segments, paired with the source's paragraphs (and sentences) by position,
    and why the article could not be paired ("" when it was, or has no source)."""
    if source is None:
        return _unpaired(article, split, langs[1]), ""
    count, source_count = len(article.paragraphs), len(source.paragraphs)
    if count != source_count:
        why = f"the source has {source_count} paragraphs, the translation {count}"
        return _unpaired(article, split, langs[1]), why
    pairs = enumerate(zip(article.paragraphs, source.paragraphs, strict=True), start=1)
    if split == "sentences":
        return [seg for n, (tgt, src) in pairs for seg in _paired_sentences(n, tgt, src, langs)], ""
    return [_Segment(f"¶{n}", tgt.text, tgt.line, tgt.offset, src.text) for n, (tgt, src) in pairs], ""


def _segments(article: Article, source: Article | None, split: str, langs: tuple[str, str]) -> list[_Segment]:
    """The title, then the body, of one article; ``langs`` are the default (source, target).
    An article-level note goes on the article's first segment."""
    langs = ((source.lang if source else "") or langs[0], article.lang or langs[1])
    title = source.title if source else ""
    out = [_Segment("title", article.title, article.title_line, -1, title)] if article.title else []
    body, why = _body_segments(article, source, split, langs)
    out += body
    if why and out:
        out[0].alignment = why
    return out


def _pair(
    articles: list[Article], originals: list[Article] | None, path: Path
) -> Iterator[tuple[Article, Article | None, bool]]:
    """Each article with its original (same record, else same id, else same link)."""
    by_key: dict[str, Article] = {}
    for original in originals or []:
        by_key.setdefault(original.id, original)
        if original.link:
            by_key.setdefault(original.link, original)
    used: set[int] = set()
    for article in articles:
        if article.source is not None:
            yield article, article.source, True
            continue
        match = by_key.get(article.id) or (by_key.get(article.link) if article.link else None)
        if match is not None:
            used.add(id(match))
        yield article, match, originals is not None
    unused = [o.id for o in originals or [] if id(o) not in used]
    if unused:
        LOG.warning("%s: %d source article(s) have no translation, e.g. %r", path, len(unused), unused[0])


def read(
    path: Path,
    fmt: str,
    *,
    src: Path | None = None,
    split: str = "paragraphs",
    src_lang: str = "",
    tgt_lang: str = "",
) -> pd.DataFrame:
    """The segments of a feed (and its original ``src``): one row per title, paragraph or sentence."""
    if split not in SPLITS:
        raise InputError(f"unknown --split {split!r} (known: {', '.join(SPLITS)})")
    articles = read_articles_of(path, fmt)
    originals = read_articles_of(src, fmt) if src is not None else None
    rows: list[dict[str, Any]] = []
    for article, original, bilingual in _pair(articles, originals, path):
        segments = _segments(article, original, split, (src_lang, tgt_lang))
        if bilingual and original is None and segments:
            segments[0].alignment = "no source article with this id or link"
        for seg in segments:
            rows.append(
                {
                    "segment_id": f"{article.id} {seg.suffix}",
                    "doc_id": article.id,
                    "source": seg.source,
                    "target": seg.target,
                    "src_lang": (original.lang if original is not None else "") or "",
                    "tgt_lang": article.lang,
                    "line": seg.line,
                    "body_offset": seg.offset,
                    "alignment": seg.alignment,
                    "file": article.id if fmt == "html" and path.is_dir() else "",
                }
            )
    if not rows:
        raise InputError(f"{path}: its articles have no title and no text")
    return pd.DataFrame(rows)
