"""Word documents made the way a municipality makes its plan, for the import tests.

Built with python-docx, plus the parts it has no API for, written as Word
writes them: a table of contents field in its content control, heading
numbering in numbering.xml linked to the heading styles, tracked changes,
text boxes, fields, page headers.
"""
from __future__ import annotations

import base64
import struct
import zlib
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_SHAPES = ('xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:v="urn:schemas-microsoft-com:vml"')


def png(width: int = 4, height: int = 3, colour=(200, 30, 30)) -> bytes:
    """A small PNG picture."""
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Plan:
    """A Word document being written, with the helpers a plan needs."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.doc.core_properties.modified = datetime(2025, 10, 10, 12, 0)
        self.doc.core_properties.created = datetime(2025, 9, 1, 12, 0)
        self.bookmarks = 0
        styles = self.doc.styles
        for level in (1, 2, 3):
            if f"toc {level}" not in [s.name for s in styles]:
                style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
                style.element.set(qn("w:styleId"), f"TOC{level}")

    # -- text ------------------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")

    def subtitle(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Subtitle")

    def para(self, *runs, style: str | None = None):
        """runs: text, or ("bold"|"italic", text)."""
        p = self.doc.add_paragraph(style=style)
        for run in runs:
            if isinstance(run, tuple):
                kind, text = run
                r = p.add_run(text)
                r.bold = kind == "bold"
                r.italic = kind == "italic"
            else:
                p.add_run(run)
        return p

    def heading(self, text: str, level: int, numbered: bool | None = None):
        """A heading; numbered=False switches Word's heading numbering off for it."""
        p = self.doc.add_heading(text, level)
        self.bookmarks += 1
        p._p.insert(1, parse_xml(f'<w:bookmarkStart {W} w:id="{self.bookmarks}" '
                                 f'w:name="_Toc{self.bookmarks:04d}"/>'))
        p._p.append(parse_xml(f'<w:bookmarkEnd {W} w:id="{self.bookmarks}"/>'))
        if numbered is False:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
        return p

    def bullets(self, *items, style: str = "List Bullet") -> None:
        for item in items:
            if isinstance(item, tuple) and item[0] == "lead":
                self.para(("bold", item[1]), " " + item[2], style=style)
            else:
                self.para(item, style=style)

    def numbered(self, *items) -> None:
        self.bullets(*items, style="List Number")

    def quote(self, text: str) -> None:
        self.para(text, style="Quote")

    def link(self, before: str, text: str, url: str, after: str = "") -> None:
        p = self.para(before)
        part = self.doc.part
        rid = part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/"
                                  "relationships/hyperlink", is_external=True)
        p._p.append(parse_xml(f'<w:hyperlink {W} xmlns:r="http://schemas.openxmlformats.org/'
                              f'officeDocument/2006/relationships" r:id="{rid}"><w:r><w:t>'
                              f'{text}</w:t></w:r></w:hyperlink>'))
        if after:
            p.add_run(after)

    def table(self, rows: list[list[str]], header: bool = True):
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                lines = value.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        if not header:
            look = table._tbl.tblPr.find(qn("w:tblLook"))
            if look is not None:
                look.set(qn("w:firstRow"), "0")
                look.set(qn("w:val"), "0000")
        return table

    def picture(self, data: bytes, width_cm: float = 2.0) -> None:
        import io
        self.doc.add_picture(io.BytesIO(data), width=Cm(width_cm))

    # -- Word's own parts ------------------------------------------------------------------

    def toc(self, heading: str, entries: list[tuple[int, str, int]]) -> None:
        """A table of contents field as Word writes it: entries (level, text, page)."""
        rows = [f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>{heading}'
                f'</w:t></w:r></w:p>']
        for n, (level, text, page) in enumerate(entries, 1):
            begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                     'xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if n == 1 else ""
            rows.append(
                f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{begin}'
                f'<w:hyperlink w:anchor="_Toc{n:04d}" w:history="1"><w:r><w:t '
                f'xml:space="preserve">{text}</w:t></w:r><w:r><w:tab/></w:r>'
                f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                f'xml:space="preserve"> PAGEREF _Toc{n:04d} \\h </w:instrText></w:r><w:r>'
                f'<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{page}</w:t></w:r><w:r>'
                f'<w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>')
        rows.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
        sdt = parse_xml(f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery '
                        f'w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
                        f'</w:sdtPr><w:sdtContent>{"".join(rows)}</w:sdtContent></w:sdt>')
        body = self.doc.element.body
        body.insert(len(body) - 1, sdt)  # before the section properties

    def heading_numbering(self, formats=("%1.", "%1.%2", "%1.%2.%3"), start: int = 1) -> None:
        """Word's numbered heading styles: a multilevel list linked to Heading 1-3."""
        numbering = self.doc.part.numbering_part.element
        levels = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{start if i == 0 else 1}"/>'
            f'<w:numFmt w:val="decimal"/><w:pStyle w:val="Heading{i + 1}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
            for i, text in enumerate(formats))
        abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="90"><w:multiLevelType '
                             f'w:val="multilevel"/>{levels}</w:abstractNum>')
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/>'
                                   f'</w:num>'))
        for i in range(len(formats)):
            ppr = self.doc.styles[f"Heading {i + 1}"].element.get_or_add_pPr()
            ppr.insert(0, parse_xml(f'<w:numPr {W}><w:ilvl w:val="{i}"/><w:numId w:val="90"/>'
                                    f'</w:numPr>'))

    def tracked(self, before: str, inserted: str, deleted: str) -> None:
        p = self.para(before)
        p._p.append(parse_xml(f'<w:ins {W} w:id="801" w:author="Kari" '
                              f'w:date="2025-09-01T10:00:00Z"><w:r><w:t xml:space="preserve">'
                              f'{inserted}</w:t></w:r></w:ins>'))
        p._p.append(parse_xml(f'<w:del {W} w:id="802" w:author="Kari" '
                              f'w:date="2025-09-01T10:00:00Z"><w:r><w:delText>{deleted}'
                              f'</w:delText></w:r></w:del>'))

    def text_box(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p._p.append(parse_xml(
            f'<w:r {W} {_SHAPES}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
            f'</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph">'
            f'<wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="914400" '
            f'cy="914400"/><wp:wrapNone/><wp:docPr id="50" name="Tekstboks 1"/><a:graphic>'
            f'<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}'
            f'</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>'
            f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>'
            f'<w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r>'
            f'</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            f'</mc:AlternateContent></w:r>'))

    def field(self, before: str, instruction: str, shown: str) -> None:
        p = self.para(before)
        for xml in ('<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                    f'<w:r {{W}}><w:instrText xml:space="preserve"> {instruction} '
                    f'</w:instrText></w:r>',
                    '<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                    f'<w:r {{W}}><w:t>{shown}</w:t></w:r>',
                    '<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
            p._p.append(parse_xml(xml.replace("{W}", W)))

    def comment(self, paragraph, text: str, author: str = "Per") -> None:
        self.doc.add_comment(paragraph.runs, text=text, author=author, initials=author[:2])

    def header_text(self, text: str) -> None:
        self.doc.sections[0].header.paragraphs[0].text = text

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path


def data_uri_png() -> str:
    return "data:image/png;base64," + base64.b64encode(png()).decode("ascii")
