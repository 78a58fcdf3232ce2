"""Putting the document tree together and laying it out per output format.

The templates' Markdown (the skeleton) and the user's Markdown fields are
parsed separately. Each field is cleaned (`sanitize.py`) and put where its
token stands in the skeleton. The result is checked once more, and then each
output format gets its own small changes: page breaks before annexes and
action cards, the table of contents, the title page and the styles of notes.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

from . import links, tables
from .convert import table_mark
from .markdown import LINE, SPAN, Md
from .sanitize import check_document, clean_blocks, stringify
from .tree import (classes, div, map_block_lists, map_divs, map_inlines, map_table_cells, para,
                   raw, set_pairs, words)

CLASSES = frozenset({
    "title-page", "organisation", "doc-title", "doc-subtitle", "draft-note", "edition",
    "status-line", "title-details", "toc", "exempt", "annex", "template-body", "card",
    "card-meta", "step", "step-meta", "card-review", "unnumbered", "unlisted", "logo", "orgchart",
    "keep-together", "staff-group",
})
KEYS = frozenset({"custom-style"})
TOC_DEPTH = 2


class AssemblyError(Exception):
    pass


# -- splitting the parsed user fields ------------------------------------------------------

def split_fragments(blocks: list, separator: Callable[[int], str], indices: list[int]) \
        -> list[list] | None:
    """Split a parse of several fields joined by separator paragraphs; None if they merged."""
    parts: list[list] = [[]]
    expected = iter(indices[1:])
    want = next(expected, None)
    for block in blocks:
        if (want is not None and block.get("t") == "Para" and len(block["c"]) == 1
                and block["c"][0].get("t") == "Str" and block["c"][0]["c"] == separator(want)):
            parts.append([])
            want = next(expected, None)
            continue
        parts[-1].append(block)
    return parts if want is None and len(parts) == len(indices) else None


# -- merging -------------------------------------------------------------------------------

def merge(skeleton: list, fields: dict[str, list], token_pattern: re.Pattern) -> list:
    """Replace each field token in the skeleton by the field's cleaned blocks."""

    def replace(blocks: list) -> list:
        out = []
        for block in blocks:
            t = block.get("t")
            inlines = block.get("c") if t in ("Para", "Plain") else None
            last = inlines[-1] if inlines else None
            if not (last and last.get("t") == "Str" and last["c"] in fields):
                out.append(block)
                continue
            content = copy.deepcopy(fields[last["c"]])
            prefix = inlines[:-1]
            while prefix and prefix[-1].get("t") in ("Space", "SoftBreak"):
                prefix.pop()
            if t == "Plain" and len(content) == 1 and content[0].get("t") == "Para":
                content[0] = {"t": "Plain", "c": content[0]["c"]}
            if prefix:
                if content and content[0].get("t") in ("Para", "Plain"):
                    content[0] = {"t": content[0]["t"],
                                  "c": prefix + [{"t": "Space"}] + content[0]["c"]}
                else:
                    content.insert(0, {"t": t, "c": prefix})
            out.extend(content)
        return out

    merged = map_block_lists(skeleton, replace)
    if token_pattern.search(_dump(merged)):
        raise AssemblyError("a template prints a Markdown field (such as a body or a step "
                            "text) inside a line; print it at the end of a line or "
                            "on a line of its own")
    return merged


def _dump(blocks: list) -> str:
    import json
    return json.dumps(blocks, ensure_ascii=False)


def clean_fields(items: list[Md], parsed: list[list]) -> dict[str, list]:
    return {md.token: clean_blocks(blocks, md.level) for md, blocks in zip(items, parsed)}


def checked(blocks: list) -> list:
    """The second check of the whole tree, and internal links that lead nowhere unlinked."""
    blocks = check_document(blocks, CLASSES, KEYS)
    ids: set[str] = set()

    def collect(node):
        if isinstance(node, dict):
            if node.get("t") in ("Header", "Div", "Span") and node.get("c"):
                attr = node["c"][1] if node["t"] == "Header" else node["c"][0]
                if attr[0]:
                    ids.add(attr[0])
            collect(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(blocks)

    def unlink(item: dict, again) -> list | None:
        if item.get("t") == "Link" and item["c"][2][0].startswith("#") \
                and item["c"][2][0][1:] not in ids:
            return again(item["c"][1])  # the link's text, no longer a link
        return None

    return map_inlines(blocks, unlink)


# -- layout per format ---------------------------------------------------------------------

@dataclass
class Heading:
    level: int
    ident: str
    text: str


def headings(blocks: list) -> list[Heading]:
    found: list[Heading] = []

    def visit(bs):
        for b in bs:
            if b.get("t") == "Header":
                level, attr, inlines = b["c"]
                if attr[0] and "unlisted" not in attr[1] and level <= TOC_DEPTH:
                    found.append(Heading(level, attr[0], stringify(inlines)))
            elif b.get("t") == "Div":
                visit(b["c"][1])
    visit(blocks)
    return found


def split_lines(blocks: list) -> list:
    """The cell line marker becomes a line break."""

    def split(item: dict, _again) -> list | None:
        if item.get("t") != "Str" or LINE not in item["c"]:
            return None
        out = []
        for i, piece in enumerate(item["c"].split(LINE)):
            if i:
                out.append({"t": "LineBreak"})
            if piece:
                out.append({"t": "Str", "c": piece})
        return out

    def tidy(out: list) -> list:
        # a space next to a line break is noise
        cleaned = []
        for item in out:
            if item.get("t") == "Space" and cleaned and cleaned[-1].get("t") == "LineBreak":
                continue
            if item.get("t") == "LineBreak" and cleaned and cleaned[-1].get("t") == "Space":
                cleaned.pop()
            cleaned.append(item)
        return cleaned

    return map_inlines(blocks, split, tidy)


def span_rows(blocks: list, merge: bool = True) -> list:
    """A table cell that ends with the span mark spans the rest of its row
    (merge=False: the mark is only removed, for formats without spanning cells)."""

    def unmark(cell_blocks: list) -> tuple[list, bool]:
        if not cell_blocks or cell_blocks[-1].get("t") not in ("Plain", "Para"):
            return cell_blocks, False
        inlines = cell_blocks[-1]["c"]
        if not inlines or inlines[-1].get("t") != "Str" or not inlines[-1]["c"].endswith(SPAN):
            return cell_blocks, False
        text = inlines[-1]["c"][:-len(SPAN)]
        last = inlines[:-1] + ([{"t": "Str", "c": text}] if text else [])
        return cell_blocks[:-1] + [{"t": cell_blocks[-1]["t"], "c": last}], True

    def row(r: list) -> list:
        cells = r[1]
        for k, cell in enumerate(cells):
            content, marked = unmark(cell[4])
            if marked:
                span = sum(c[3] for c in cells[k:]) if merge else cell[3]
                rest = [] if merge else cells[k + 1:]
                return [r[0], cells[:k] + [[cell[0], cell[1], cell[2], span, content]] + rest]
        return r

    def fn(bs: list) -> list:
        out = []
        for b in bs:
            if b.get("t") == "Table":
                a, caption, colspecs, thead, bodies, foot = b["c"]
                b = {"t": "Table", "c": [a, caption, colspecs, thead,
                                         [[x[0], x[1], x[2], [row(r) for r in x[3]]]
                                          for x in bodies], foot]}
            out.append(b)
        return out

    return map_block_lists(blocks, fn)


@dataclass
class Extras:
    """What the layout of one format needs besides the document tree."""

    toc_title: str
    nav: list[tuple[str, str]] = field(default_factory=list)  # (label, anchor): HTML quick links
    nav_label: str = ""
    chart: str | None = None  # HTML: the SVG; PDF: its file name; DOCX: a PNG data URI
    chart_size: tuple[float, float] = (0, 0)  # width and height, for the aspect ratio
    chart_title: str = ""
    logo: str | None = None  # HTML and DOCX: a data URI; PDF: the file name
    numbering: str = "auto"


def _image(uri: str, attrs: list) -> dict:
    return {"t": "Image", "c": [["", [], attrs], [], [uri, ""]]}


def _placeholders(blocks: list, make: Callable[[str], list]) -> list:
    """The logo and chart places the templates mark (`::: logo`, `::: orgchart`),
    filled by `make(kind)`."""

    def fn(b: dict) -> list:
        cls = classes(b)
        for kind in ("logo", "orgchart"):
            if b["t"] == "Div" and kind in cls:
                return make(kind)
        return [b]

    return map_divs(blocks, fn)


# docx ----------------------------------------------------------------------------------------

DOCX_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
DOCX_STYLES = {
    "organisation": "Organisation", "doc-title": "Title", "doc-subtitle": "Subtitle",
    "status-line": "Status Line", "draft-note": "Status Line", "edition": "Subtitle",
    "exempt": "Exempt Note", "template-body": "Template Body", "card": "Action Card",
    "step-meta": "Action Card Detail", "card-review": "Action Card Detail",
}
# wide enough for LibreOffice's fallback font too (DejaVu Sans, where Calibri or Aptos is missing)
DOCX_TABLES = tables.Measure(text_width=482, font_size=9, char=0.58, bold_char=0.7, padding=11)
DOCX_CARD_TABLES = tables.Measure(text_width=482, font_size=10.5, char=0.58, bold_char=0.7,
                                  padding=11)
# a short table (tables.keep_groups) up to this high (estimated, in points; the page's
# text area is about 700) is kept on one page; a taller one may break in its middle
SHORT_TABLE = 450
# the reference document's table text is 9 pt; a table whose columns cannot all hold their
# longest word at that size is set smaller, then with its e-mail addresses allowed to break
# after the "@", in this order: Word and LibreOffice would break words at any letter instead
DOCX_TABLE_SIZE = 9
DOCX_SMALLER = ((8, False), (8, True), (7.5, True))


def _docx_table(table: dict, measure: tables.Measure, fits: bool) -> list:
    """The table after a mark saying which rows stay together (as in the PDF) and, when
    its columns cannot hold their longest words at the usual size, a smaller size."""
    size = None
    if not fits:
        for size, breaks in DOCX_SMALLER:
            smaller = replace(measure, font_size=measure.font_size * size / DOCX_TABLE_SIZE)
            table, fits = tables.fit_columns(tables.break_addresses(table) if breaks else table,
                                             smaller)
            if fits:
                break
    rows = tables.body_rows(table)
    keep = tables.keep_groups(rows, tables.height(table, measure) > SHORT_TABLE) if rows \
        else None
    return [raw("openxml", table_mark(keep, size)), table] if keep or size else [table]


def docx_toc(title: str, entries: list[Heading]) -> str:
    """The table of contents: a line per heading, linked to it, with its page number as a
    PAGEREF field to the heading's bookmark. Word fills the numbers in when it opens the
    file (the settings ask it to update fields) and LibreOffice computes them as it lays
    the pages out. (A TOC field would be rebuilt by Word, but LibreOffice shows it without
    page numbers until someone updates it.)"""
    paras = [f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>'
             f'<w:r><w:t xml:space="preserve">{xml_escape(title)}</w:t></w:r></w:p>']
    for h in entries:
        anchor = xml_escape(h.ident)
        page = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> PAGEREF {anchor} \\h </w:instrText>'
                '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{h.level}"/></w:pPr>'
                     f'<w:hyperlink w:anchor="{anchor}" w:history="1">'
                     f'<w:r><w:t xml:space="preserve">{xml_escape(h.text)}</w:t></w:r>'
                     f'<w:r><w:tab/></w:r>{page}</w:hyperlink></w:p>')
    return "".join(paras)


def _fit_tables(blocks: list, measure: tables.Measure, card: tables.Measure,
                wrap: Callable[[dict, tables.Measure, bool], list],
                lead_in: Callable[[dict], dict] | None = None) -> list:
    """Column widths for print, each table then passed to `wrap(table, measure, fits)`;
    tables in an action card are set larger. `lead_in` wraps the paragraph right
    before a table (its introduction), to keep the two on one page."""

    def walk(bs: list, m: tables.Measure) -> list:
        out = []
        for b in bs:
            if b.get("t") == "Table":
                if lead_in and out and out[-1].get("t") in ("Para", "Plain"):
                    out[-1] = lead_in(out[-1])
                fitted, fits = tables.fit_columns(b, m)
                out.extend(wrap(fitted, m, fits))
            elif b.get("t") == "Div":
                inner = card if "card" in classes(b) else m
                out.append({"t": "Div", "c": [b["c"][0], walk(b["c"][1], inner)]})
            else:
                out.append(b)
        return out

    return walk(blocks, measure)


def layout_docx(blocks: list, extras: Extras) -> list:
    entries = headings(blocks)

    def fn(b: dict) -> list:
        cls = classes(b)
        if b["t"] == "Header":
            level, attr, inlines = b["c"]
            out = [raw("openxml", DOCX_PAGE_BREAK)] if "annex" in cls else []
            if "unlisted" in cls and level <= TOC_DEPTH:
                # a heading that looks like one but stays out of the table of contents
                style = [["custom-style", f"Unlisted Heading {level}"]]
                out.append(div([], [para(inlines)], style))
            else:
                out.append(b)
            return out
        if "toc" in cls:
            return [raw("openxml", docx_toc(extras.toc_title, entries)),
                    raw("openxml", DOCX_PAGE_BREAK)]
        if "title-page" in cls:
            return [b, raw("openxml", DOCX_PAGE_BREAK)]
        style = next((DOCX_STYLES[k] for k in cls if k in DOCX_STYLES), None)
        out = [raw("openxml", DOCX_PAGE_BREAK)] if "card" in cls else []
        out.append(set_pairs(b, [["custom-style", style]]) if style else b)
        return out

    def image(kind: str) -> list:
        if kind == "logo" and extras.logo:
            return [para([_image(extras.logo, [["height", "2.2cm"]])])]
        if kind == "orgchart" and extras.chart:
            width = _fit_width(extras.chart_size, 17, 22)
            return [para([_image(extras.chart, [["width", f"{width}cm"]])])]
        return []

    def link(kind: str, target: str, text: list) -> list:
        # Word breaks no line at a no-break space: a number stays on one line
        text = [{"t": "Str", "c": "\u00a0".join(x["c"] for x in text if x.get("t") == "Str")}] \
            if kind == "tel" else text
        return [{"t": "Link", "c": [["", [], []], text, [target, ""]]}]

    blocks = links.contact_links(span_rows(split_lines(blocks)), link)
    blocks = _fit_tables(blocks, DOCX_TABLES, DOCX_CARD_TABLES, _docx_table)
    return map_divs(_placeholders(blocks, image), fn)


def _fit_width(size: tuple[float, float], width: float, height: float) -> float:
    """The width at which a picture of `size` is at most `width` wide and `height` high."""
    w, h = size
    if w and h and h / w * width > height:
        return round(height * w / h, 2)
    return width


# typst -----------------------------------------------------------------------------------------

TYPST_ATTRS = {
    "organisation": [["typst:text:size", "14pt"], ["typst:text:fill", "luma(35%)"]],
    "doc-title": [["typst:text:size", "28pt"], ["typst:text:weight", "\"bold\""]],
    "doc-subtitle": [["typst:text:size", "15pt"]],
    "edition": [["typst:text:size", "14pt"], ["typst:text:weight", "\"bold\""]],
    "status-line": [["typst:text:size", "14pt"], ["typst:text:weight", "\"bold\""],
                    ["typst:text:fill", "rgb(\"#9c2a00\")"]],
    "draft-note": [["typst:text:size", "13pt"], ["typst:text:weight", "\"bold\""],
                   ["typst:text:fill", "rgb(\"#c00000\")"]],
    "title-details": [["typst:inset", "(top: 1.2em)"]],
    "exempt": [["typst:fill", "luma(94%)"], ["typst:inset", "8pt"], ["typst:width", "100%"],
               ["typst:stroke", "(left: 2pt + luma(50%))"]],
    "template-body": [["typst:inset", "(left: 10pt, y: 4pt)"], ["typst:width", "100%"],
                      ["typst:stroke", "(left: 1.5pt + rgb(\"#4f81bd\"))"]],
    "step": [["typst:breakable", "false"], ["typst:above", "0.9em"], ["typst:width", "100%"]],
    "keep-together": [["typst:breakable", "false"], ["typst:width", "100%"]],
    "step-meta": [["typst:text:size", "10pt"], ["typst:inset", "(left: 1.6em)"]],
    "card-meta": [["typst:text:size", "11pt"]],
    "card-review": [["typst:text:size", "9pt"], ["typst:text:fill", "luma(35%)"],
                    ["typst:above", "1.5em"]],
}
TYPST_TABLES = tables.Measure(text_width=470, font_size=9, address_shrink=0.8)
TYPST_CARD_TABLES = tables.Measure(text_width=470, font_size=10.5, address_shrink=0.8)
_BREAK_AFTER = re.compile(r"([/])(?=.)")


_LONGEST_STR = 200


def _short_strs(text: str) -> list:
    """One Str, or several that print as the same word: pandoc's Typst writer takes
    time quadratic in the length of one Str (a 1 MB word: ten minutes)."""
    if len(text) <= _LONGEST_STR:
        return [{"t": "Str", "c": text}]
    step = _LONGEST_STR // 2
    return [{"t": "Str", "c": text[i:i + step]} for i in range(0, len(text), step)]


def _breakable(blocks: list) -> list:
    """A long path or URL written as text may break after a slash (a zero-width space,
    which is copied along with the text, so only in words over 24 characters).
    E-mail addresses and phone numbers are links by now and are never broken."""

    def breakable(item: dict, _again) -> list | None:
        text = item.get("c") if item.get("t") == "Str" else None
        if text and len(text) > 24:
            return _short_strs(_BREAK_AFTER.sub("\\1\u200b", text) if "/" in text else text)
        if item.get("t") in ("Link", "RawInline"):
            return [item]  # keep link text intact; its target stays as written
        return None

    return map_inlines(blocks, breakable)


def _guard_cells(blocks: list) -> list:
    """Typst reads "1. x", "- x", "= x" at the start of a table cell as markup (pandoc
    escapes them only at the start of a line): an empty string before them keeps them
    text, and adds nothing to the text a reader copies."""

    def guard(cell_blocks: list) -> list:
        if cell_blocks and cell_blocks[0].get("t") in ("Plain", "Para"):
            inlines = cell_blocks[0]["c"]
            if inlines and inlines[0].get("t") == "Str" and inlines[0]["c"][:1] in _TYPST_MARKUP:
                first = {"t": "RawInline", "c": ["typst", '#""']}
                return [{"t": cell_blocks[0]["t"], "c": [first] + inlines}] + cell_blocks[1:]
        return cell_blocks

    return map_table_cells(blocks, guard)


_TYPST_MARKUP = frozenset("0123456789-+=/")


def _typst_table(table: dict, measure: tables.Measure, fits: bool) -> list:
    """A short table is kept on one page; a longer one keeps its first rows with its
    heading and its last rows together (`tables.keep_groups`). A table whose columns
    cannot all hold their longest word may hyphenate (tables do not, otherwise)."""
    rows = tables.body_rows(table)
    tall = tables.height(table, measure) > SHORT_TABLE
    first, last = tables.keep_groups(rows, tall) if rows else (0, 0)
    short = rows is not None and first == rows
    if not short and rows:
        table = tables.group_rows(table, first, last)
    if fits and not short:
        return [table]
    opening = "#block(breakable: false)[" if short else "#block["
    if not fits:
        opening += "\n#show table: set text(hyphenate: true)"
    return [raw("typst", opening), table, raw("typst", "]")]


def _starts_with_chart(block: dict) -> bool:
    if block.get("t") != "Div":
        return False
    inner = block["c"][1]
    return "orgchart" in classes(block) or bool(inner) and _starts_with_chart(inner[0])


def _chart_lead_in(blocks: list) -> list:
    """The paragraph right before the organisation chart goes to the chart's page with it
    (the chart is never broken, and a page ending in its introduction reads badly)."""

    def fn(bs: list) -> list:
        out = list(bs)
        for i in range(1, len(out)):
            if _starts_with_chart(out[i]) and out[i - 1].get("t") in ("Para", "Plain"):
                out[i - 1] = div([], [out[i - 1]], [["typst:sticky", "true"]])
        return out

    return map_block_lists(blocks, fn)


def layout_typst(blocks: list, extras: Extras) -> list:
    def fn(b: dict) -> list:
        cls = classes(b)
        if b["t"] == "Header":
            return ([raw("typst", "#pagebreak(weak: true)")] if "annex" in cls else []) + [b]
        if "toc" in cls:
            return [{"t": "Header", "c": [1, ["", ["unnumbered", "unlisted"], []],
                                          words(extras.toc_title)]},
                    raw("typst", "#outline(title: none, depth: %d, indent: auto)" % TOC_DEPTH),
                    raw("typst", "#pagebreak(weak: true)")]
        if "title-page" in cls:
            return [raw("typst", "#v(2.5cm)" if not extras.logo else "#v(1cm)"), b,
                    raw("typst", "#pagebreak(weak: true)")]
        if "card" in cls:
            # raw wrapper: a Div with text attributes would put the card's heading on the
            # line of its `#set text(...)`, where Typst no longer reads it as a heading
            return [raw("typst", "#pagebreak(weak: true)"),
                    raw("typst", "#block(width: 100%)[\n#set text(size: 12.5pt)\n"
                                 "#show table: set text(size: 10.5pt)"),
                    *b["c"][1], raw("typst", "]")]
        pairs = [p for k in cls for p in TYPST_ATTRS.get(k, [])]
        return [set_pairs(b, pairs) if pairs else b]

    def image(kind: str) -> list:
        if kind == "logo" and extras.logo:
            return [raw("typst", f'#block(below: 1.2em)[#image("{extras.logo}", height: 2.4cm)]')]
        if kind == "orgchart" and extras.chart:
            width = _fit_width(extras.chart_size, 470, 620)
            return [raw("typst", f'#block(width: 100%, breakable: false, above: 1em, below: 1.2em)'
                                 f'[#align(center, image("{extras.chart}", width: {width}pt))]')]
        return []

    def link(kind: str, target: str, text: list) -> list:
        # never hyphenated or broken across lines; set smaller in a column too narrow
        return [{"t": "RawInline", "c": ["typst", "#nobreak["]},
                {"t": "Link", "c": [["", [], []], text, [target, ""]]},
                {"t": "RawInline", "c": ["typst", "]"]}]

    blocks = links.contact_links(span_rows(split_lines(blocks)), link)
    blocks = _fit_tables(blocks, TYPST_TABLES, TYPST_CARD_TABLES, _typst_table,
                         lambda b: div([], [b], [["typst:sticky", "true"]]))
    blocks = _chart_lead_in(blocks)
    return map_divs(_placeholders(_guard_cells(_breakable(blocks)), image), fn)


# html ---------------------------------------------------------------------------------------------

def toc_list(entries: list[Heading]) -> dict:
    items: list = []
    for h in entries:
        link = {"t": "Link", "c": [["", [], []], words(h.text), ["#" + h.ident, ""]]}
        entry = [{"t": "Plain", "c": [link]}]
        if h.level > 1 and items:
            parent = items[-1]
            if parent[-1].get("t") != "BulletList":
                parent.append({"t": "BulletList", "c": []})
            parent[-1]["c"].append(entry)
        else:
            items.append(entry)
    return {"t": "BulletList", "c": items}


def _labelled_cells(blocks: list) -> list:
    """Each body cell carries its column's heading (`data-label`): on a narrow screen a
    table row is shown as a card, each value under its heading."""

    def fn(table: dict) -> list:
        a, caption, colspecs, head, bodies, foot = table["c"]
        if not head[1]:
            return [table]
        labels: list[str] = []
        for cell in head[1][-1][1]:
            text = " ".join(stringify(b["c"]) for b in cell[4] if b.get("t") in ("Plain", "Para"))
            labels.extend([text.strip()] * cell[3])

        def rows(rs):
            out = []
            for r in rs:
                cells, k = [], 0
                for cell in r[1]:
                    label = labels[k] if k < len(labels) and cell[3] == 1 else ""
                    attr = [cell[0][0], cell[0][1], cell[0][2] + [["label", label]]] \
                        if label else cell[0]
                    cells.append([attr, *cell[1:]])
                    k += cell[3]
                out.append([r[0], cells])
            return out

        # widths from the content (the browser's own table layout), and the class that
        # makes rows cards on a phone when there are three or more columns
        specs = [[spec[0], {"t": "ColWidthDefault"}] for spec in colspecs]
        attr = [a[0], a[1] + (["cards"] if len(colspecs) >= 3 else []), a[2]]
        table = {"t": "Table", "c": [attr, caption, specs, head,
                                     [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies],
                                     foot]}
        return [div(["table-wrap"], [table])]

    return tables.each_table(blocks, fn)


def html_nav(extras: Extras) -> dict:
    """The bar of quick links at the top of the HTML page (its template places it)."""
    links_html = "".join(f'<a href="#{xml_escape(anchor)}">{xml_escape(label)}</a>'
                         for label, anchor in extras.nav)
    return raw("html", f'<nav class="quicklinks" aria-label="{xml_escape(extras.nav_label)}">'
                       f'{links_html}</nav>')


def layout_html(blocks: list, extras: Extras) -> list:
    entries = headings(blocks)

    def fn(b: dict) -> list:
        if b["t"] == "Div" and "toc" in classes(b):
            return [div(["toc"], [para([{"t": "Strong", "c": words(extras.toc_title)}]),
                                  toc_list(entries)], ident="contents")]
        return [b]

    def image(kind: str) -> list:
        if kind == "logo" and extras.logo:
            return [raw("html", f'<img class="logo" src="{xml_escape(extras.logo)}" alt="">')]
        if kind == "orgchart" and extras.chart:
            return [raw("html", f'<figure class="orgchart">{extras.chart}</figure>')]
        return []

    def link(kind: str, target: str, text: list) -> list:
        return [{"t": "Link", "c": [["", ["nowrap"], []], text, [target, ""]]}]

    blocks = links.contact_links(span_rows(split_lines(blocks)), link)
    return map_divs(_placeholders(_labelled_cells(blocks), image), fn)


# markdown -----------------------------------------------------------------------------------------

def _simple_tables(blocks: list) -> list:
    """Tables as pipe tables: default widths, the lines of a cell joined by "; ", and a
    list in a cell as its items in a line (a pipe table holds one line per cell)."""

    def add(inl: list, inlines: list) -> None:
        if inl:
            inl.append({"t": "Space"})
        for x in inlines:
            if x.get("t") in ("LineBreak", "SoftBreak"):
                inl += [{"t": "Str", "c": ";"}, {"t": "Space"}]
            else:
                inl.append(x)

    def flat(bs: list, inl: list) -> None:
        for b in bs:
            if b.get("t") in ("Plain", "Para"):
                add(inl, b["c"])
            elif b.get("t") in ("BulletList", "OrderedList"):
                items = b["c"] if b["t"] == "BulletList" else b["c"][1]
                for item in items:
                    add(inl, [{"t": "Str", "c": "•"}])
                    flat(item, inl)
            elif b.get("t") in ("BlockQuote", "Div"):
                flat(b["c"] if b["t"] == "BlockQuote" else b["c"][1], inl)
            elif b.get("t") == "LineBlock":
                for line in b["c"]:
                    add(inl, line)

    def cell(cbs: list) -> list:
        inl: list = []
        flat(cbs, inl)
        return [{"t": "Plain", "c": inl}] if inl else []

    return map_table_cells(blocks, cell, default_widths=True)


def layout_markdown(blocks: list, extras: Extras) -> list:
    entries = headings(blocks)

    def fn(b: dict) -> list:
        cls = classes(b)
        if b["t"] == "Header":
            level, attr, inlines = b["c"]
            return [{"t": "Header", "c": [level, [attr[0], [], []], inlines]}]
        if "toc" in cls:
            return [para([{"t": "Strong", "c": words(extras.toc_title)}]), toc_list(entries)]
        if "logo" in cls or "orgchart" in cls:
            return []
        if "card" in cls:
            return [{"t": "HorizontalRule"}] + b["c"][1]
        if "exempt" in cls or "template-body" in cls:
            return [{"t": "BlockQuote", "c": b["c"][1]}]
        return b["c"][1]

    return map_divs(_simple_tables(span_rows(split_lines(blocks), merge=False)), fn)


LAYOUTS = {"docx": layout_docx, "pdf": layout_typst, "html": layout_html, "md": layout_markdown}
