"""What pandoc's DOCX reader drops, read from the document's own XML.

pandoc turns a Word document into text well, but some things it leaves out:
the numbers Word puts in front of numbered heading styles (numbering.xml),
comments, tracked changes (it accepts them), page headers and footers,
embedded objects and charts; text boxes and fields it flattens into the
text. This module reads just those from the package's XML parts with the
standard library, so the import can keep the numbers and say what was not
carried over.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree as ET

from ..i18n import LocalisedError, _

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NS = {"w": W, "mc": MC}
_W = "{%s}" % W
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)
# fields that only make the document's layout, or that pandoc carries as links
_LAYOUT_FIELDS = {"TOC", "PAGEREF", "HYPERLINK", "PAGE", "NUMPAGES", "SECTIONPAGES", "SEQ",
                  "TC", "XE", "INDEX", "NOTEREF", "FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN",
                  "SECTION", "STYLEREF", "ADVANCE", "SYMBOL", "EQ", "INCLUDEPICTURE"}
MAX_PART = 64 * 1024 * 1024  # no part of a document this tool reads is larger


@dataclass
class Heading:
    text: str  # as the heading's paragraph reads, without Word's number
    number: str | None  # the number Word shows in front of it, if the heading is numbered


@dataclass
class Extras:
    """What the XML says beyond pandoc's reading."""

    headings: list[Heading] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    insertions: int = 0
    deletions: int = 0
    format_changes: int = 0
    text_boxes: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)  # field type -> count
    header_footer_text: list[str] = field(default_factory=list)
    embedded_objects: int = 0
    charts: int = 0
    date: date | None = None  # when the document was last saved, from its properties
    toc_entries: int = 0  # lines of a table of contents the reader drops by itself


class XmlError(LocalisedError):
    """The document's XML cannot be read; the message says which part and why."""


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise XmlError(_("{part} is larger than {size} MB", part=name, size=MAX_PART // 1048576))
    data = archive.read(info)
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        # no document type declarations: they are not used by Word and open the door
        # to entity expansion attacks
        raise XmlError(_("{part} declares a document type (DTD), which is not read",
                         part=name))
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise XmlError(_("{part} is damaged: it is not well-formed XML ({error})", part=name,
                         error=str(err))) from None


def _val(element: ET.Element | None, tag: str) -> str | None:
    if element is None:
        return None
    child = element.find(f"w:{tag}", NS)
    return None if child is None else child.get(_W + "val")


# -- numbering -------------------------------------------------------------------------------

@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False
    style: str | None = None


@dataclass
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None


def _styles(root: ET.Element | None) -> tuple[dict[str, _Style], str | None]:
    styles: dict[str, _Style] = {}
    default = None
    if root is None:
        return styles, default
    for st in root.findall("w:style", NS):
        if st.get(_W + "type") != "paragraph":
            continue
        sid = st.get(_W + "styleId") or ""
        name = _val(st, "name") or sid
        numpr = st.find("w:pPr/w:numPr", NS)
        num_id = _val(numpr, "numId")
        ilvl = _val(numpr, "ilvl")
        styles[sid] = _Style(name, _val(st, "basedOn"), num_id,
                             int(ilvl) if ilvl and ilvl.isdigit() else None)
        if st.get(_W + "default") in ("1", "true"):
            default = sid
    return styles, default


def _chain(styles: dict[str, _Style], sid: str | None):
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield sid, styles[sid]
        sid = styles[sid].based_on


def _heading_level(styles: dict[str, _Style], sid: str | None) -> int | None:
    for style_id, style in _chain(styles, sid):
        match = _HEADING_NAME.match(style.name) or _HEADING_NAME.match(style_id)
        if match:
            return int(match.group(1))
    return None


class _Numbering:
    def __init__(self, root: ET.Element | None, styles: dict[str, _Style]):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}  # abstract id -> numbering style it follows
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.styles = styles
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for absn in root.findall("w:abstractNum", NS):
            aid = absn.get(_W + "abstractNumId") or ""
            levels = {}
            for lvl in absn.findall("w:lvl", NS):
                ilvl = int(lvl.get(_W + "ilvl") or 0)
                start = _val(lvl, "start")
                levels[ilvl] = _Level(
                    start=int(start) if start and start.lstrip("-").isdigit() else 1,
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    legal=lvl.find("w:isLgl", NS) is not None,
                    style=_val(lvl, "pStyle"))
            self.abstract[aid] = levels
            link = _val(absn, "numStyleLink")
            if link:
                self.style_link[aid] = link
        for num in root.findall("w:num", NS):
            nid = num.get(_W + "numId") or ""
            overrides = {}
            for override in num.findall("w:lvlOverride", NS):
                start = _val(override, "startOverride")
                if start and start.isdigit():
                    overrides[int(override.get(_W + "ilvl") or 0)] = int(start)
            self.nums[nid] = (_val(num, "abstractNumId") or "", overrides)

    def levels(self, num_id: str) -> dict[int, _Level]:
        aid = self.nums.get(num_id, ("", {}))[0]
        link = self.style_link.get(aid)
        if link and not self.abstract.get(aid):
            style = self.styles.get(link)
            if style and style.num_id and style.num_id != num_id:
                aid = self.nums.get(style.num_id, ("", {}))[0]
        return self.abstract.get(aid, {})

    def level_for_style(self, num_id: str, sid: str) -> int:
        for ilvl, level in self.levels(num_id).items():
            if level.style == sid:
                return ilvl
        return 0

    def advance(self, num_id: str, ilvl: int) -> str | None:
        """Count one more paragraph at this level; the number it shows."""
        levels = self.levels(num_id)
        if ilvl not in levels:
            return None
        overrides = self.nums.get(num_id, ("", {}))[1]
        counters = self.counters.setdefault(num_id, {})

        def start(i: int) -> int:
            return overrides.get(i, levels[i].start if i in levels else 1)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [i for i in counters if i > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt in ("bullet", "none") and "%" not in level.text:
            return None

        def number(match: re.Match) -> str:
            i = int(match.group(1)) - 1
            value = counters.get(i, start(i))
            fmt = "decimal" if level.legal else (levels[i].fmt if i in levels else "decimal")
            return format_number(value, fmt)

        shown = re.sub(r"%([1-9])", number, level.text).strip()
        return shown or None


def format_number(value: int, fmt: str) -> str:
    if fmt in ("upperLetter", "lowerLetter"):
        letters = ""
        n = max(value, 1)
        # Word repeats the letter past Z: AA, BB, ...
        letters = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    if value <= 0:
        return str(value)
    out = ""
    for amount, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while value >= amount:
            out += digits
            value -= amount
    return out


# -- reading ---------------------------------------------------------------------------------

def _paragraph_text(p: ET.Element) -> str:
    """The text of a paragraph, without text boxes anchored in it and deleted text."""
    parts: list[str] = []

    def collect(node: ET.Element) -> None:
        for child in node:
            if child.tag in (_W + "txbxContent", _W + "del", _W + "moveFrom",
                             f"{{{MC}}}Fallback"):
                continue
            if child.tag == _W + "t":
                parts.append(child.text or "")
            elif child.tag in (_W + "tab", _W + "br"):
                parts.append(" ")
            collect(child)

    collect(p)
    return " ".join("".join(parts).split())


def _body_paragraphs(body: ET.Element):
    """Top-level paragraphs (and those in content controls), in order; not tables, boxes."""
    for child in body:
        if child.tag == _W + "p":
            yield child
        elif child.tag == _W + "sdt":
            content = child.find("w:sdtContent", NS)
            if content is not None:
                yield from _body_paragraphs(content)
        elif child.tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _body_paragraphs(child)


def _core_date(archive: zipfile.ZipFile) -> date | None:
    root = _parse(archive, "docProps/core.xml")
    if root is None:
        return None
    for tag in ("{http://purl.org/dc/terms/}modified", "{http://purl.org/dc/terms/}created"):
        node = root.find(tag)
        if node is not None and node.text:
            match = re.match(r"(\d{4})-(\d{2})-(\d{2})", node.text.strip())
            if match:
                try:
                    found = date(*map(int, match.groups()))
                except ValueError:
                    continue
                if found.year > 1990:
                    return found
    return None


def read(data: bytes) -> Extras:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise XmlError(_("it is not a zip package, as a .docx file is")) from None
    extras = Extras()
    with archive:
        document = _parse(archive, "word/document.xml")
        if document is None:
            raise XmlError(_("{part} is missing", part="word/document.xml"))
        styles, default_style = _styles(_parse(archive, "word/styles.xml"))
        numbering = _Numbering(_parse(archive, "word/numbering.xml"), styles)
        body = document.find("w:body", NS)
        if body is not None:
            for p in _body_paragraphs(body):
                ppr = p.find("w:pPr", NS)
                sid = _val(ppr, "pStyle") or default_style
                level = _heading_level(styles, sid)
                if level is None:
                    continue
                name = (styles[sid].name if sid in styles else sid or "").lower()
                if "toc" in name.replace(" ", ""):  # "TOC Heading" is based on Heading 1
                    continue
                extras.headings.append(Heading(_paragraph_text(p),
                                               _heading_number(p, ppr, sid, styles, numbering)))
        _changes(document, extras)
        comments = _parse(archive, "word/comments.xml")
        if comments is not None:
            for comment in comments.findall("w:comment", NS):
                text = " ".join(" ".join((t.text or "") for t in comment.iter(_W + "t")).split())
                extras.comments.append((comment.get(_W + "author") or "", text))
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
                part = _parse(archive, name)
                text = " ".join(" ".join(t.text or "" for t in part.iter(_W + "t")).split())
                # page numbers and the like are fields; only real text counts
                if text and not text.isdigit():
                    extras.header_footer_text.append(text)
        extras.date = _core_date(archive)
    return extras


def _heading_number(p, ppr, sid, styles, numbering: _Numbering) -> str | None:
    numpr = ppr.find("w:numPr", NS) if ppr is not None else None
    num_id = _val(numpr, "numId")
    ilvl_text = _val(numpr, "ilvl")
    ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
    if num_id is None:
        for style_id, style in _chain(styles, sid):
            if style.num_id is not None:
                num_id = style.num_id
                if ilvl is None:
                    ilvl = style.ilvl if style.ilvl is not None else \
                        numbering.level_for_style(num_id, style_id)
                break
    if num_id is None or num_id == "0":
        return None
    if ilvl is None:
        ilvl = numbering.level_for_style(num_id, sid or "")
    return numbering.advance(num_id, ilvl)


def _changes(document: ET.Element, extras: Extras) -> None:
    fields: dict[str, int] = {}
    in_fallback = set()
    for fallback in document.iter(f"{{{MC}}}Fallback"):
        in_fallback.update(id(n) for n in fallback.iter())
    for node in document.iter():
        tag = node.tag
        if tag in (_W + "ins", _W + "moveTo"):
            if any(child.tag == _W + "r" for child in node):
                extras.insertions += 1
        elif tag in (_W + "del", _W + "moveFrom"):
            if any(child.tag == _W + "r" for child in node):
                extras.deletions += 1
        elif tag in (_W + "rPrChange", _W + "pPrChange", _W + "tblPrChange",
                     _W + "sectPrChange"):
            extras.format_changes += 1
        elif tag == _W + "txbxContent" and id(node) not in in_fallback:
            text = " ".join(" ".join(t.text or "" for t in node.iter(_W + "t")).split())
            if text:
                extras.text_boxes.append(text)
        elif tag == _W + "instrText":
            _count_field(node.text or "", fields)
        elif tag == _W + "fldSimple":
            _count_field(node.get(_W + "instr") or "", fields)
        elif tag == _W + "object" and id(node) not in in_fallback:
            extras.embedded_objects += 1
        elif tag.endswith("}chart") and tag.startswith("{http://schemas.openxmlformats.org/"
                                                        "drawingml/2006/chart"):
            extras.charts += 1
    extras.fields = dict(sorted(fields.items()))


def _count_field(instruction: str, fields: dict[str, int]) -> None:
    words = instruction.split()
    if not words:
        return
    kind = words[0].upper()
    if kind not in _LAYOUT_FIELDS and kind.isalpha():
        fields[kind] = fields.get(kind, 0) + 1
