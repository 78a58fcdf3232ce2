"""What pandoc's ODT reader drops, read from the OpenDocument XML.

The same things as for Word (see `wordxml`): the heading numbers of the
outline numbering, comments (annotations), tracked changes, text frames,
fields, embedded objects, page headers and footers, and the date the
document was saved.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

from ..i18n import _
from .wordxml import MAX_PART, Extras, Heading, XmlError, format_number

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
_T, _S, _O, _D = (f"{{{ns}}}" for ns in (TEXT, STYLE, OFFICE, DRAW))
_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
            "I": "upperRoman", "": "none"}
_LAYOUT_FIELDS = {"page-number", "page-count", "page-continuation", "chapter",
                  "table-of-content", "bookmark-ref", "reference-ref", "sequence-ref",
                  "note-ref", "sequence", "word-count", "paragraph-count"}
_FIELDS = {"date", "time", "author-name", "author-initials", "file-name", "title", "subject",
           "user-defined", "variable-get", "variable-set", "user-field-get", "expression",
           "text-input", "database-display", "creation-date", "modification-date",
           "print-date", "editing-duration", "sender-firstname", "sender-lastname",
           "initial-creator", "creator", "description", "keywords", "template-name",
           "conditional-text", "hidden-text", "placeholder"}


def _parse(archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise XmlError(_("{part} is larger than {size} MB", part=name, size=MAX_PART // 1048576))
    data = archive.read(info)
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise XmlError(_("{part} declares a document type (DTD), which is not read",
                         part=name))
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        raise XmlError(_("{part} is damaged: it is not well-formed XML ({error})", part=name,
                         error=str(err))) from None


class _Outline:
    def __init__(self, styles_root: ET.Element | None):
        self.levels: dict[int, dict] = {}
        self.counters: dict[int, int] = {}
        if styles_root is None:
            return
        outline = styles_root.find(f".//{_T}outline-style")
        if outline is None:
            return
        for lvl in outline.findall(f"{_T}outline-level-style"):
            level = int(lvl.get(_T + "level") or 1)
            start = lvl.get(_T + "start-value") or "1"
            self.levels[level] = {
                "fmt": _FORMATS.get(lvl.get(_S + "num-format") or "", "decimal"),
                "prefix": lvl.get(_S + "num-prefix") or "",
                "suffix": lvl.get(_S + "num-suffix") or "",
                "display": int(lvl.get(_T + "display-levels") or 1),
                "start": int(start) if start.isdigit() else 1,
                "list_format": lvl.get(f"{{{LOEXT}}}num-list-format"),
            }

    def advance(self, level: int, start_value: int | None) -> str | None:
        spec = self.levels.get(level)
        if spec is None:
            return None
        if start_value is not None:
            self.counters[level] = start_value
        else:
            self.counters[level] = self.counters.get(level, spec["start"] - 1) + 1
        for deeper in [i for i in self.counters if i > level]:
            del self.counters[deeper]
        if spec["fmt"] == "none":
            return None

        def value(i: int) -> str:
            other = self.levels.get(i, {"fmt": "decimal", "start": 1})
            return format_number(self.counters.get(i, other["start"]), other["fmt"])

        if spec["list_format"]:
            shown = re.sub(r"%([1-9])%", lambda m: value(int(m.group(1))), spec["list_format"])
        else:
            first = max(1, level - spec["display"] + 1)
            shown = spec["prefix"] + ".".join(value(i) for i in range(first, level + 1)) \
                + spec["suffix"]
        return shown.strip() or None


def _style_lists(*roots: ET.Element | None) -> dict[str, tuple[str | None, str | None]]:
    """Paragraph style name -> (parent, list-style-name if the style sets one)."""
    found = {}
    for root in roots:
        if root is None:
            continue
        for st in root.iter(_S + "style"):
            if st.get(_S + "family") != "paragraph":
                continue
            found[st.get(_S + "name") or ""] = (st.get(_S + "parent-style-name"),
                                                st.get(_S + "list-style-name"))
    return found


def _numbered_by_outline(styles, name: str | None) -> bool:
    seen = set()
    while name and name in styles and name not in seen:
        seen.add(name)
        parent, list_style = styles[name]
        if list_style is not None:
            return list_style != ""  # an empty list style switches the numbering off
        name = parent
    return True


def _text(node: ET.Element) -> str:
    parts: list[str] = []

    def collect(element: ET.Element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            if child.tag in (_O + "annotation", _T + "number", _T + "note", _D + "frame",
                             _T + "tracked-changes"):
                pass
            elif child.tag in (_T + "s", _T + "tab", _T + "line-break"):
                parts.append(" ")
            else:
                collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(node)
    return " ".join("".join(parts).split())


def read(data: bytes) -> Extras:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise XmlError(_("it is not a zip package, as a .odt file is")) from None
    extras = Extras()
    with archive:
        content = _parse(archive, "content.xml")
        if content is None:
            raise XmlError(_("{part} is missing", part="content.xml"))
        styles_root = _parse(archive, "styles.xml")
        outline = _Outline(styles_root)
        styles = _style_lists(styles_root, content)
        fields: dict[str, int] = {}
        for node in content.iter():
            tag = node.tag
            if tag == _T + "h":
                level = int(node.get(_T + "outline-level") or 1)
                cached = node.find(_T + "number")
                number = None
                header = node.get(_T + "is-list-header") == "true"
                if not header and _numbered_by_outline(styles, node.get(_T + "style-name")):
                    restart = node.get(_T + "restart-numbering") == "true"
                    start = node.get(_T + "start-value")
                    number = outline.advance(
                        level, int(start) if restart and start and start.isdigit() else None)
                if cached is not None and (cached.text or "").strip():
                    number = cached.text.strip()
                extras.headings.append(Heading(_text(node), number))
            elif tag == _O + "annotation":
                author = node.find(f"{{{DC}}}creator")
                text = " ".join(" ".join(_text(p) for p in node.iter(_T + "p")).split())
                extras.comments.append(((author.text or "") if author is not None else "",
                                        text))
            elif tag == _T + "insertion":
                extras.insertions += 1
            elif tag == _T + "deletion":
                extras.deletions += 1
            elif tag == _T + "format-change":
                extras.format_changes += 1
            elif tag == _D + "text-box":
                text = " ".join(_text(p) for p in node.iter(_T + "p")).strip()
                if text:
                    extras.text_boxes.append(text)
            elif tag == _T + "table-of-content":
                body = node.find(_T + "index-body")
                if body is not None:
                    extras.toc_entries += sum(1 for p in body.iter(_T + "p") if _text(p))
            elif tag == _D + "object" or tag == _D + "object-ole":
                extras.embedded_objects += 1
            elif tag.startswith(_T):
                local = tag[len(_T):]
                if local in _FIELDS and local not in _LAYOUT_FIELDS:
                    fields[local] = fields.get(local, 0) + 1
        extras.fields = dict(sorted(fields.items()))
        if styles_root is not None:
            for part in (_S + "header", _S + "footer"):
                for node in styles_root.iter(part):
                    text = " ".join(_text(p) for p in node.iter(_T + "p")).strip()
                    if text and not text.isdigit():
                        extras.header_footer_text.append(text)
        meta = _parse(archive, "meta.xml")
        if meta is not None:
            for tag in (f"{{{DC}}}date", f"{{{META}}}creation-date"):
                node = meta.find(f".//{tag}")
                if node is not None and node.text:
                    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", node.text.strip())
                    if match:
                        try:
                            extras.date = date(*map(int, match.groups()))
                            break
                        except ValueError:
                            pass
    return extras
