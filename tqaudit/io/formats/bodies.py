"""Article bodies (HTML or plain text) as paragraphs, and paragraphs as sentences.

The text a rule sees is the text a reader of the page sees, character for character: HTML
tags are removed, ``<script>``/``<style>``/``<noscript>``/``<template>`` content dropped,
character references decoded as a browser decodes them (HTML5 rules, Python's
``html.parser``), and nothing else is "repaired". ``& mdash;`` (an entity broken by a space)
is not a reference, so it reaches the rules as ``& mdash;``; a double-escaped
``&amp;mdash;`` shows on the page as ``&mdash;`` and reaches them as that.

A paragraph ends at a block element (``<p>``, ``<div>``, ``<li>``, headings, …), at two
``<br>`` in a row, or (plain text) at a blank line. Line breaks inside a paragraph are source
formatting, not text: a run of whitespace holding one becomes a single space. Runs of spaces
without a line break are kept, so the whitespace rules still see a doubled space.

Each paragraph keeps the 1-based line of the body where its text starts, so a reader can
point a finding at the line of the file, and its offset in the article text (the paragraphs
joined by a blank line), the offset every report shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
PARAGRAPH_SEPARATOR = "\n\n"  # between paragraphs in the article text that offsets index

_TAG = re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9-]*\s*>")
_BROKEN_LINE = re.compile(r"[ \t\f\r\n]*[\r\n][ \t\f\r\n]*")
_EDGE = " \t\f\r\n"
_BLANK_LINE = re.compile(r"\n[ \t\f\r]*\n[ \t\f\r\n]*")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or sentence): its text, the body line it starts on, its article offset."""

    text: str
    line: int = 1
    offset: int = 0


def is_html(body: str) -> bool:
    """Whether ``body`` holds HTML tags (else it is plain text, taken as it is)."""
    return bool(_TAG.search(body))


def _tidy(text: str) -> str:
    return _BROKEN_LINE.sub(" ", text).strip(_EDGE)


class _Extractor(HTMLParser):
    """Collects paragraphs (text, line) and the ``<title>`` of an HTML document or fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []
        self.title: list[str] = []
        self._parts: list[str] = []
        self._line = 0
        self._skip = 0
        self._in_title = False
        self._breaks = 0

    def _flush(self) -> None:
        text = _tidy("".join(self._parts))
        if text:
            self.found.append((text, self._line))
        self._parts, self._line, self._breaks = [], 0, 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1
        elif tag == "title":
            self._flush()
            self._in_title = True
        elif tag == "br":
            self._breaks += 1
            if self._breaks >= 2:
                self._flush()
            else:
                self._parts.append("\n")
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag not in SKIPPED_TAGS:  # <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title.append(data)
            return
        stripped = data.lstrip(_EDGE)
        if not stripped:
            self._parts.append(data)
            return
        self._breaks = 0
        if not self._line:
            self._line = self.getpos()[0] + data[: len(data) - len(stripped)].count("\n")
        self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(body: str) -> tuple[str, list[tuple[str, int]]]:
    """``(title, [(paragraph, line), …])`` of an HTML document or fragment."""
    parser = _Extractor()
    parser.feed(body)
    parser.close()
    return _tidy("".join(parser.title)), parser.found


def text_paragraphs(body: str) -> list[tuple[str, int]]:
    """The paragraphs of a plain-text body: blank lines separate them."""
    out, start = [], 0
    for match in [*_BLANK_LINE.finditer(body), None]:
        end = match.start() if match else len(body)
        chunk = body[start:end]
        text = _tidy(chunk)
        if text:
            lead = len(chunk) - len(chunk.lstrip(_EDGE))
            out.append((text, body[: start + lead].count("\n") + 1))
        if match:
            start = match.end()
    return out


def paragraphs(body: str, html: bool | None = None) -> list[Paragraph]:
    """``body`` as paragraphs with their lines and offsets; ``html`` None: decide by its tags."""
    found = html_paragraphs(body)[1] if (is_html(body) if html is None else html) else text_paragraphs(body)
    out, offset = [], 0
    for text, line in found:
        out.append(Paragraph(text, line, offset))
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    return out


def plain(text: str) -> str:
    """A one-line text (a title): line breaks in it are formatting."""
    return _tidy(text)


# pysbd's languages (pysbd 0.3.4, ``pysbd.languages.LANGUAGE_CODES``); any other language is
# split with its English rules, which know the Latin sentence marks and abbreviations.
SENTENCE_LANGUAGES = frozenset(
    [
        "am",
        "ar",
        "bg",
        "da",
        "de",
        "el",
        "en",
        "es",
        "fa",
        "fr",
        "hi",
        "hy",
        "it",
        "ja",
        "kk",
        "mr",
        "my",
        "nl",
        "pl",
        "ru",
        "sk",
        "ur",
        "zh",
    ]
)


@lru_cache(maxsize=32)
def _segmenter(language: str) -> Any:
    import pysbd  # imported when sentences are asked for: a rule-based splitter, no downloads

    code = language if language in SENTENCE_LANGUAGES else "en"
    return pysbd.Segmenter(language=code, clean=False)


# pysbd's time grows with the square of its input (a paragraph of 100,000 characters took
# 76 s, one of 1,000 takes about 0.02 s), so a long paragraph is split window by window:
# the last sentence of each window is split again at the start of the next, and only a
# sentence longer than a whole window is cut at its edge.
SENTENCE_WINDOW = 1000


def _split(text: str, segmenter: Any) -> list[str]:
    """pysbd's pieces of ``text``, in windows of ``SENTENCE_WINDOW`` characters: linear time."""
    out: list[str] = []
    pos = 0
    while len(text) - pos > SENTENCE_WINDOW:
        window = text[pos : pos + SENTENCE_WINDOW]
        pieces = segmenter.segment(window)
        if len(pieces) < 2 or "".join(pieces) != window:
            out.append(window)  # no boundary in a whole window (or pysbd changed the text)
            pos += len(window)
            continue
        out += pieces[:-1]
        pos += len(window) - len(pieces[-1])
    return out + list(segmenter.segment(text[pos:]))


def sentences(paragraph: Paragraph, language: str) -> list[Paragraph]:
    """``paragraph`` split into sentences (pysbd for ``language``), each with its own offset.

    pysbd with ``clean=False`` returns pieces that join to the paragraph; each is located by
    searching forward from the previous one, so offsets are exact even if it did not.
    """
    pieces = _split(paragraph.text, _segmenter((language or "en").lower()[:2]))
    out, pos = [], 0
    for piece in pieces:
        text = piece.strip(_EDGE)
        if not text:
            continue
        at = paragraph.text.find(text, pos)
        if at < 0:  # pysbd changed the text: keep the paragraph whole rather than guess
            return [paragraph]
        out.append(Paragraph(text, paragraph.line, paragraph.offset + at))
        pos = at + len(text)
    return out or [paragraph]
