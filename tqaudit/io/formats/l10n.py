"""XLIFF 1.2, TMX and PO through translate-toolkit, with fixes spliced into the original bytes.

translate-toolkit parses (its lxml parser resolves no entities, so an external entity is
never read) and decides which units there are and what their texts are. Serializing its
store would re-indent XML, reorder attributes and re-wrap PO strings, so the writer only
uses it to know *which* element or ``msgstr`` holds each changed target, then replaces
exactly those bytes with the new text escaped for the format. The result is re-read with
translate-toolkit and must show the same ids and sources and the expected targets.

XML: the n-th element of lxml's tree is the n-th start tag seen by expat, which gives byte
offsets; a target with inline markup (``<g>``, ``<ph/>``…) is refused rather than
flattened. PO: a line scanner finds each entry's ``msgstr`` (or ``msgstr[0]``) lines and
is checked against translate-toolkit's units before anything is written.
"""

from __future__ import annotations

import pyexpat
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tqaudit.errors import InputError, OutputError
from tqaudit.io.formats.common import check_positions, codec_of, declares_entities, entities_refused, load

# XLIFF 2.x announces itself in the root element: version="2.x" or the 2.0 namespace.
_XLIFF2 = re.compile(rb"<xliff\b[^>]*(?:version\s*=\s*[\"']2\.|urn:oasis:names:tc:xliff:document:2\.)")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_START_TAG = re.compile(rb"<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>")


def _store_class(path: Path, fmt: str) -> Any:
    try:
        from translate.storage import po, tmx, xliff
    except ImportError:
        raise InputError(
            f"{path}: reading XLIFF, TMX and PO needs translate-toolkit (pip install 'tqaudit[l10n]')"
        ) from None
    return {"xliff": xliff.xlifffile, "tmx": tmx.tmxfile, "po": po.pofile}[fmt]


def parse_store(path: Path, fmt: str, raw: bytes) -> Any:
    """``raw`` as a translate-toolkit store; a parse error is one line naming the file.

    An XLIFF or TMX file whose DTD declares entities is refused before it is parsed, as
    defusedxml refuses it: translate-toolkit's parser would expand internal entities (an
    expansion bomb) and its readers see whatever an entity stands for.
    """
    cls = _store_class(path, fmt)
    if fmt != "po" and declares_entities(raw):
        raise entities_refused(path)
    if fmt == "xliff" and _XLIFF2.search(raw[:2048]):
        from translate.storage import xliff2

        cls = xliff2.Xliff2File
    try:
        store = cls.parsestring(raw)
    except Exception as exc:  # translate-toolkit raises parser-specific types
        kind = (path.suffix[1:] or fmt).upper()
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]  # some say nothing
        if fmt == "xliff" and isinstance(exc, StopIteration):  # translate-toolkit's next(<file>)
            detail = "no <file> element"
        raise InputError(f"{path}: not a valid {kind} file ({detail})") from None
    store.filename = str(path)
    store._tqaudit_raw = raw  # the PO reader finds each msgstr's line in it
    return store


def _audited(unit: Any) -> bool:
    """A unit that is a segment: not the PO header, not an obsolete (``#~``) PO entry."""
    return not unit.isheader() and not unit.isobsolete()


def units(store: Any) -> list[Any]:
    """The store's translation units in file order (see ``_audited``).

    XLIFF text is read as written: translate-toolkit collapses whitespace in XLIFF unless
    ``xml:space="preserve"``, which would hide from the whitespace rules exactly what they
    look for (a double space, a trailing space). An explicit ``xml:space`` still applies.
    """
    out = [u for u in store.units if _audited(u)]
    for unit in out:
        if getattr(unit, "_default_xml_space", "preserve") != "preserve":
            unit._default_xml_space = "preserve"
    return out


def segments_of(store: Any) -> list[tuple[Any, int | None]]:
    """``(unit, plural form)`` per segment: a PO entry with ``msgid_plural`` gives one segment
    per ``msgstr[n]`` (form n), every other unit one segment (form None)."""
    out: list[tuple[Any, int | None]] = []
    for unit in units(store):
        if getattr(unit, "hasplural", lambda: False)():
            out += [(unit, form) for form in range(max(1, len(unit.target.strings)))]
        else:
            out.append((unit, None))
    return out


def _form_target(unit: Any, form: int | None) -> str:
    if form is None:
        return _target(unit)
    forms = unit.target.strings
    return str(forms[form]) if form < len(forms) else ""


def _form_source(unit: Any, form: int | None) -> str:
    if form is None:
        return str(unit.source or "")
    sources = unit.source.strings  # msgid, msgid_plural
    return str(sources[min(form, len(sources) - 1)])


def _target(unit: Any) -> str:
    return str(unit.target or "")


def _xml_line(unit: Any, fmt: str) -> int | None:
    """The line of the unit's target text (its ``<target>`` or ``<seg>``), else of the unit."""
    try:
        target = _target_element(unit, fmt)
    except (AttributeError, TypeError):
        target = None
    for element in (target, getattr(unit, "xmlelement", None)):
        line = getattr(element, "sourceline", None)
        if line:
            return int(line)
    return None


def _po_lines(store: Any) -> list[int | None]:
    """The 1-based line of each segment's ``msgstr`` (``msgstr[0]``) in the PO file, or None."""
    wanted = segments_of(store)
    raw = getattr(store, "_tqaudit_raw", None)
    try:
        text = raw.decode("utf-8", errors="replace") if raw is not None else ""
        entries = _po_entries(re.findall(r"[^\n]*\n|[^\n]+\Z", text))
    except ValueError:
        entries = []
    if len(entries) != len(store.units):
        return [None] * len(wanted)
    entry_of = {id(u): e for e, u in zip(entries, store.units, strict=True)}
    out: list[int | None] = []
    for unit, form in wanted:
        entry = entry_of[id(unit)]
        keyword = f"msgstr[{form}]" if form is not None else "msgstr"
        where = entry.lines.get(keyword) or entry.lines.get("msgstr[0]") or entry.lines.get("msgid")
        out.append(where[0] + 1 if where else None)
    return out


def _unit_keys(found: list[Any], fmt: str) -> dict[int, str]:
    """The ids a format gives its units (by ``id(unit)``); none when they are not all distinct.

    XLIFF: the ``trans-unit`` id. PO: ``msgctxt|msgid``, the key msgfmt keeps unique, so an id
    survives entries moved, added or removed around it (ordinals would shift).
    """
    if fmt == "xliff":
        keys = {id(u): str(u.getid() or "").split("\x04")[-1] for u in found}
        return {k: v for k, v in keys.items() if v}
    if fmt != "po":
        return {}
    keys = {id(u): " ".join(str(u.getid() or "").replace("\x04", "|").split()) for u in found}
    values = list(keys.values())
    return keys if all(values) and len(set(values)) == len(values) else {}


def _notes(unit: Any) -> str:
    """A unit's notes: PO comments, XLIFF 1.2 ``<note>``s, and XLIFF 2's ``<unit><notes>``.

    translate-toolkit's XLIFF 2 unit is the ``<segment>``; its ``getnotes()`` does not see the
    notes of the enclosing ``<unit>``, where XLIFF 2 keeps them.
    """
    notes = [str(unit.getnotes() or "")]
    element = getattr(unit, "xmlelement", None)
    parent = element.getparent() if element is not None and hasattr(element, "getparent") else None
    if parent is not None and str(parent.tag).endswith("}unit"):
        notes += [str(n.text or "") for n in parent.iterfind("{*}notes/{*}note")]
    return "\n".join(n for n in notes if n)


def _rows(store: Any, fmt: str) -> list[dict[str, Any]]:
    """One row per segment; ``line`` is where its target text is (what reports point at).

    Ids: XLIFF keeps its ``trans-unit`` ids; a PO entry is known by its key, ``msgctxt|msgid``
    (``msgid`` without a context), whitespace collapsed; TMX units are numbered in file order
    (``tuid`` replaces the number later). The forms of a PO plural entry are ``id[0]``,
    ``id[1]``, … (msgid for form 0, msgid_plural for the others as their source).
    """
    rows = []
    po_lines = _po_lines(store) if fmt == "po" else []
    found = units(store)
    numbers = {id(u): n for n, u in enumerate(found, start=1)}
    keys = _unit_keys(found, fmt)
    for i, (unit, form) in enumerate(segments_of(store)):
        number = numbers[id(unit)]
        line = po_lines[i] if fmt == "po" else _xml_line(unit, fmt)
        segment_id = keys.get(id(unit)) or str(number)
        target = _form_target(unit, form)
        state = "untranslated" if not target.strip() else "fuzzy" if fmt == "po" and unit.isfuzzy() else ""
        rows.append(
            {
                "segment_id": segment_id if form is None else f"{segment_id}[{form}]",
                "source": _form_source(unit, form),
                "target": target,
                "state": state,  # untranslated / fuzzy entries: audited only as configured
                "note": _notes(unit),  # PO comments, XLIFF notes: inline directives
                "line": line or number,
            }
        )
    return rows


def read(path: Path, fmt: str) -> pd.DataFrame:
    """XLIFF keeps its ``trans-unit`` ids and source lines; PO and TMX units are numbered.

    The store's declared languages fill ``src_lang``/``tgt_lang``.
    """
    _store_class(path, fmt)  # the install hint before anything else
    load(path)  # the same missing/empty/encoding errors as every other reader
    store = parse_store(path, fmt, path.read_bytes())
    frame = pd.DataFrame(_rows(store, fmt))
    frame["src_lang"] = store.getsourcelanguage() or ""
    frame["tgt_lang"] = store.gettargetlanguage() or ""
    if fmt == "tmx":
        _tmx_ids_and_languages(frame, units(store))
    return frame


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _tmx_ids_and_languages(frame: pd.DataFrame, found: list[Any]) -> None:
    """TMX: a ``<tu>``'s ``tuid`` is its segment id (when every unit has a distinct one) and the
    ``xml:lang`` of the ``<tuv>`` holding the target is its target language."""
    tuids = [str(u.xmlelement.get("tuid") or "") for u in found]
    if all(tuids) and len(set(tuids)) == len(tuids):
        frame["segment_id"] = tuids
    langs = []
    for unit in found:
        seg = _target_element(unit, "tmx")
        tuv = seg.getparent() if seg is not None else None
        code = str(tuv.get(_XML_LANG) or tuv.get("lang") or "") if tuv is not None else ""
        langs.append(re.split(r"[-_]", code)[0].lower())  # `en-US` -> `en`, as the rules key languages
    if any(langs):
        frame["tgt_lang"] = [lang or old for lang, old in zip(langs, frame["tgt_lang"], strict=True)]


def write_targets(path: Path, targets: Mapping[int, str], fmt: str) -> bytes:
    """The file with the changed targets spliced in; every other byte unchanged."""
    load(path)
    raw = path.read_bytes()
    if codec_of(raw) != "utf-8":
        raise OutputError(f"{path}: fixing XLIFF, TMX and PO files is supported in UTF-8 only")
    store = parse_store(path, fmt, raw)
    found = segments_of(store)
    check_positions(path, targets, len(found))
    changed = {pos: value for pos, value in targets.items() if _form_target(*found[pos]) != value}
    if not changed:
        return raw
    if fmt == "po":
        new = _splice_po(path, raw, store, changed)
    else:
        new = _splice_xml(path, raw, store, changed, fmt)
    _verify(path, fmt, store, new, changed)
    return new


def _verify(path: Path, fmt: str, old: Any, new: bytes, changed: Mapping[int, str]) -> None:
    """Re-read ``new``: same ids and sources, the new targets, every other target as before."""
    before = _rows(old, fmt)
    for pos, value in changed.items():
        before[pos]["target"] = value
    try:
        after = _rows(parse_store(path, fmt, new), fmt)
    except InputError:
        raise OutputError(f"{path}: writing the fixed targets would break the file") from None
    keys = ("segment_id", "source", "target")
    if len(after) != len(before):
        raise OutputError(f"{path}: writing the fixed targets would change the number of units")
    for pos, (a, b) in enumerate(zip(after, before, strict=True)):
        if [a[k] for k in keys] == [b[k] for k in keys]:
            continue
        if pos in changed and [a[k] for k in keys[:2]] == [b[k] for k in keys[:2]]:
            raise OutputError(  # e.g. runs of spaces or line breaks collapsed by xml:space
                f"{path}: segment {pos + 1}: the fixed text would not read back as written"
            )
        raise OutputError(f"{path}: the fixed targets cannot be written without changing other units")


# -- XML (XLIFF, TMX) ---------------------------------------------------------------------


@dataclass
class _Element:
    name: bytes
    start: int  # offset of "<"
    end: int = -1  # offset after the end tag (or after an empty-element tag)
    content: tuple[int, int] | None = None  # None for an empty-element tag


def _xml_elements(raw: bytes) -> list[_Element]:
    """Every element's byte spans, in document order (external entities are never fetched)."""
    parser = pyexpat.ParserCreate()
    parser.SetParamEntityParsing(pyexpat.XML_PARAM_ENTITY_PARSING_NEVER)
    elements: list[_Element] = []
    open_: list[_Element] = []

    def start(name: str, attrs: object) -> None:
        at = parser.CurrentByteIndex
        tag = _START_TAG.match(raw, at)
        if tag is None:
            raise ValueError("unreadable start tag")
        element = _Element(raw[at + 1 : at + 1 + len(name.encode("utf-8"))], at)
        if tag.group(1):
            element.end = tag.end()
        else:
            element.content = (tag.end(), -1)
        elements.append(element)
        open_.append(element)

    def end(name: str) -> None:
        element = open_.pop()
        if element.content is not None:
            at = parser.CurrentByteIndex
            element.content = (element.content[0], at)
            element.end = raw.index(b">", at) + 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(raw, True)
    return elements


def xml_escape(text: str) -> str:
    """``text`` as XML character data (a CR kept as ``&#13;``, which parsers would drop)."""
    if _INVALID_XML.search(text):
        raise ValueError("a character XML cannot hold")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _target_element(unit: Any, fmt: str) -> Any:
    dom = unit.get_target_dom()
    if dom is None or fmt == "xliff":
        return dom
    return next(dom.iterdescendants(unit.namespaced("seg")), None)


def _splice_xml(path: Path, raw: bytes, store: Any, changed: Mapping[int, str], fmt: str) -> bytes:
    from lxml import etree

    try:
        spans = _xml_elements(raw)
    except (ValueError, pyexpat.ExpatError) as exc:
        raise OutputError(f"{path}: cannot locate the targets in the file ({exc})") from None
    root = store.document.getroot()
    order = {el: i for i, el in enumerate(root.iter(etree.Element))}
    if len(order) != len(spans):
        raise OutputError(f"{path}: cannot locate the targets in the file")
    found = segments_of(store)
    edits: list[tuple[int, int, bytes]] = []
    for pos, value in changed.items():
        unit = found[pos][0]
        try:
            text = xml_escape(value).encode("utf-8")
        except ValueError:
            raise OutputError(
                f"{path}: segment {pos + 1}: the fixed text has a character XML cannot hold"
            ) from None
        element = _target_element(unit, fmt)
        if element is None:
            source = unit.get_source_dom() if fmt == "xliff" else None
            if source is None:
                raise OutputError(f"{path}: segment {pos + 1} has no target element to write to")
            span = spans[order[source]]
            qname = span.name.replace(b"source", b"target") if span.name.endswith(b"source") else b"target"
            edits.append((span.end, span.end, b"<" + qname + b">" + text + b"</" + qname + b">"))
            continue
        if any(isinstance(child.tag, str) for child in element):
            raise OutputError(
                f"{path}: segment {pos + 1}: the target has inline markup, which a fix would lose"
            )
        span = spans[order[element]]
        if span.content is None:  # <target/> becomes <target>text</target>
            tag = raw[span.start : span.end]
            opening = tag[: tag.rindex(b"/")].rstrip() + b">"
            edits.append((span.start, span.end, opening + text + b"</" + span.name + b">"))
        else:
            edits.append((span.content[0], span.content[1], text))
    out, last = [], 0
    for start, end, new in sorted(edits):
        out += [raw[last:start], new]
        last = end
    out.append(raw[last:])
    return b"".join(out)


# -- PO -----------------------------------------------------------------------------------

_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(".*)$')


@dataclass
class _Entry:
    obsolete: bool = False
    parts: dict[str, list[str]] = field(default_factory=dict)  # keyword -> quoted strings
    lines: dict[str, list[int]] = field(default_factory=dict)  # keyword -> [first, last] line

    def text(self, keyword: str) -> str:
        from translate.storage.pypo import unescape

        return "".join(unescape(s.strip()[1:-1]) for s in self.parts.get(keyword, []))


def _po_entries(lines: list[str]) -> list[_Entry]:
    """The entries of a PO file with the lines of each keyword's strings."""
    entries: list[_Entry] = []
    entry: _Entry | None = None
    keyword = ""
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        obsolete = body.startswith("#~") and not body.startswith("#~|")
        if body.startswith("#") and not obsolete:
            keyword = ""
            continue
        content = body[2:].strip() if obsolete else body.strip()
        if not content:
            keyword = ""
            continue
        match = _KEYWORD.match(content)
        if match:
            keyword = match.group(1)
            starts_entry = entry is None or any(k.startswith("msgstr") for k in entry.parts)
            if keyword in ("msgctxt", "msgid") and (starts_entry or keyword in entry.parts):  # type: ignore[union-attr]
                entry = _Entry(obsolete)
                entries.append(entry)
            if entry is None:
                raise ValueError(f"line {number + 1}: {keyword} before msgid")
            entry.parts[keyword] = [match.group(2)]
            entry.lines[keyword] = [number, number]
        elif content.startswith('"') and keyword and entry is not None:
            entry.parts[keyword].append(content)
            entry.lines[keyword][1] = number
        else:
            raise ValueError(f"line {number + 1}: unexpected text")
    return entries


def _po_edit_order(edit: tuple[tuple[_Entry, int | None], str, int]) -> int:
    """Edits are applied bottom-up, so each one's line numbers are still right when it is made."""
    (entry, form), _, _ = edit
    keyword = f"msgstr[{form}]" if form is not None else "msgstr" if "msgstr" in entry.parts else "msgstr[0]"
    return entry.lines.get(keyword, [0])[0]


def _splice_po(path: Path, raw: bytes, store: Any, changed: Mapping[int, str]) -> bytes:
    from translate.storage.pypo import quoteforpo

    text = raw.decode("utf-8")
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)  # "\n" only: a raw U+2028 is text
    try:
        entries = _po_entries(lines)
    except ValueError as exc:
        raise OutputError(f"{path}: cannot locate the targets in the file ({exc})") from None
    all_units = list(store.units)
    if len(entries) != len(all_units) or any(
        e.text("msgid") != str(u.source or "") for e, u in zip(entries, all_units, strict=True)
    ):
        raise OutputError(f"{path}: cannot locate the targets in the file (entries do not match)")
    entry_of = {id(u): e for e, u in zip(entries, all_units, strict=True)}
    by_position = [(entry_of[id(u)], form) for u, form in segments_of(store)]
    edits = sorted(((by_position[pos], value, pos) for pos, value in changed.items()), key=_po_edit_order)
    for (entry, form), value, pos in reversed(edits):
        keyword = (
            f"msgstr[{form}]" if form is not None else "msgstr" if "msgstr" in entry.parts else "msgstr[0]"
        )
        if keyword not in entry.parts:
            raise OutputError(f"{path}: segment {pos + 1} has no msgstr to write to")
        first, last = entry.lines[keyword]
        eol = lines[first][len(lines[first].rstrip("\r\n")) :] or "\n"
        last_end = lines[last][len(lines[last].rstrip("\r\n")) :]  # "" at the end of the file
        prefix = "#~ " if entry.obsolete else ""
        quoted = quoteforpo(value)
        block = [f"{prefix}{keyword} {quoted[0]}"] + [prefix + q for q in quoted[1:]]
        lines[first : last + 1] = [b + eol for b in block[:-1]] + [block[-1] + last_end]
    return "".join(lines).encode("utf-8")
