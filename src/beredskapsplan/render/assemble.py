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
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

from .markdown import LINE, SPAN, Md
from .sanitize import check_document, clean_blocks, stringify

CLASSES = frozenset({
    "title-page", "organisation", "doc-title", "doc-subtitle", "draft-note", "edition",
    "status-line", "title-details", "toc", "exempt", "annex", "template-body", "card",
    "card-meta", "step", "step-meta", "card-review", "unnumbered", "unlisted",
})
KEYS = frozenset({"custom-style"})
TOC_DEPTH = 2


class AssemblyError(Exception):
    pass


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}


def words(text: str) -> list:
    """Plain text as pandoc inlines."""
    out: list = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def raw(fmt: str, text: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def div(classes: list[str], blocks: list, pairs: list | None = None, ident: str = "") -> dict:
    return {"t": "Div", "c": [[ident, classes, pairs or []], blocks]}


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

def map_block_lists(blocks: list, fn: Callable[[list], list]) -> list:
    """Apply fn to every list of blocks in the tree, innermost first."""
    return fn([_map_block(b, fn) for b in blocks])


def _map_block(block: dict, fn) -> dict:
    t, c = block.get("t"), block.get("c")
    if t in ("BlockQuote",):
        return {"t": t, "c": map_block_lists(c, fn)}
    if t == "Div":
        return {"t": t, "c": [c[0], map_block_lists(c[1], fn)]}
    if t == "BulletList":
        return {"t": t, "c": [map_block_lists(item, fn) for item in c]}
    if t == "OrderedList":
        return {"t": t, "c": [c[0], [map_block_lists(item, fn) for item in c[1]]]}
    if t == "DefinitionList":
        return {"t": t, "c": [[term, [map_block_lists(d, fn) for d in defs]] for term, defs in c]}
    if t == "Table":
        a, caption, colspecs, head, bodies, foot = c

        def rows(rs):
            return [[r[0], [[cell[0], cell[1], cell[2], cell[3], map_block_lists(cell[4], fn)]
                            for cell in r[1]]] for r in rs]

        return {"t": t, "c": [a, caption, colspecs, [head[0], rows(head[1])],
                              [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies],
                              [foot[0], rows(foot[1])]]}
    return block


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


def map_inlines(blocks: list, replace, tidy=None) -> list:
    """Every list of inlines in the tree, item by item: `replace(item, again)` gives the
    item's replacement (a list of inlines), or None to keep it with its own inlines
    mapped the same way; `again(inlines)` maps a nested list. `tidy` gets each
    finished list."""

    def inl(items: list) -> list:
        out = []
        for item in items:
            replacement = replace(item, again)
            if replacement is not None:
                out.extend(replacement)
            elif isinstance(item.get("c"), list):
                out.append({"t": item["t"], "c": _recurse(item["c"], inl)})
            else:
                out.append(item)
        return tidy(out) if tidy else out

    def again(node: list) -> list:
        return _recurse(node, inl)

    return _recurse(blocks, inl)


def _recurse(node, inl):
    """Walk any JSON node, applying inl to every list of inlines."""
    if isinstance(node, list):
        if node and all(isinstance(x, dict) and "t" in x for x in node) and _inline_list(node):
            return inl(node)
        return [_recurse(x, inl) for x in node]
    if isinstance(node, dict) and "t" in node:
        if "c" in node:
            return {"t": node["t"], "c": _recurse(node["c"], inl)}
        return node
    return node


_INLINE_TYPES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Emph", "Underline", "Strong",
                           "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite",
                           "Code", "Math", "RawInline", "Link", "Image", "Note", "Span"})


def _inline_list(node: list) -> bool:
    return node[0]["t"] in _INLINE_TYPES


def map_divs(blocks: list, fn: Callable[[dict], list]) -> list:
    """Apply fn to every Div and Header (innermost first); fn returns replacement blocks."""

    def each(bs: list) -> list:
        out = []
        for b in bs:
            if b.get("t") in ("Div", "Header"):
                out.extend(fn(b))
            else:
                out.append(b)
        return out

    return map_block_lists(blocks, each)


def classes(block: dict) -> list[str]:
    if block.get("t") == "Div":
        return block["c"][0][1]
    if block.get("t") == "Header":
        return block["c"][1][1]
    return []


def set_pairs(block: dict, pairs: list) -> dict:
    attr = block["c"][0]
    return {"t": "Div", "c": [[attr[0], attr[1], attr[2] + pairs], block["c"][1]]}


# docx ----------------------------------------------------------------------------------------

DOCX_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
DOCX_STYLES = {
    "organisation": "Organisation", "doc-title": "Title", "doc-subtitle": "Subtitle",
    "status-line": "Status Line", "draft-note": "Status Line", "edition": "Subtitle",
    "exempt": "Exempt Note", "template-body": "Template Body", "card": "Action Card",
    "step-meta": "Action Card Detail", "card-review": "Action Card Detail",
}


def docx_toc(title: str, entries: list[Heading]) -> str:
    paras = [f'<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>'
             f'<w:r><w:t xml:space="preserve">{xml_escape(title)}</w:t></w:r></w:p>']
    begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{TOC_DEPTH}" \\h \\z \\u '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    for i, h in enumerate(entries):
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{h.level}"/></w:pPr>'
                     f'{begin if i == 0 else ""}<w:r><w:t xml:space="preserve">'
                     f'{xml_escape(h.text)}</w:t></w:r></w:p>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if entries:
        paras.append(f'<w:p>{end}</w:p>')
    else:
        paras.append(f'<w:p>{begin}{end}</w:p>')
    return ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
            '<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>'
            + "".join(paras) + '</w:sdtContent></w:sdt>')


def layout_docx(blocks: list, toc_title: str) -> list:
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
            return [raw("openxml", docx_toc(toc_title, entries)), raw("openxml", DOCX_PAGE_BREAK)]
        if "title-page" in cls:
            return [b, raw("openxml", DOCX_PAGE_BREAK)]
        style = next((DOCX_STYLES[k] for k in cls if k in DOCX_STYLES), None)
        out = [raw("openxml", DOCX_PAGE_BREAK)] if "card" in cls else []
        out.append(set_pairs(b, [["custom-style", style]]) if style else b)
        return out

    return map_divs(span_rows(split_lines(blocks)), fn)


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
    "step-meta": [["typst:text:size", "10pt"], ["typst:inset", "(left: 1.6em)"]],
    "card-meta": [["typst:text:size", "11pt"]],
    "card-review": [["typst:text:size", "9pt"], ["typst:text:fill", "luma(35%)"],
                    ["typst:above", "1.5em"]],
}
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
    """Long words may break in narrow table columns: an e-mail address after its @
    (never hyphenated), a long path or URL after a slash. The break is a zero-width
    space, so the fewer the better: it is copied along with the text."""

    def breakable(item: dict, _again) -> list | None:
        text = item.get("c") if item.get("t") == "Str" else None
        if text and "@" in text.strip("@") and len(text) > 16:
            address = {"t": "Str", "c": text.replace("@", "@\u200b", 1)}
            return [{"t": "Span", "c": [["", [], [["typst:text:hyphenate", "false"]]],
                                        [address]]}]
        if text and len(text) > 24:
            return _short_strs(_BREAK_AFTER.sub("\\1\u200b", text))
        if item.get("t") == "Link":
            return [item]  # keep link text intact; its target stays as written
        return None

    return map_inlines(blocks, breakable)


def map_table_cells(blocks: list, cell_fn, default_widths: bool = False) -> list:
    """Every table with `cell_fn` applied to the blocks of each cell (pandoc's JSON AST:
    Table attr caption colspecs head bodies foot; a cell's blocks are its fifth item)."""

    def rows(rs):
        return [[r[0], [[c[0], c[1], c[2], c[3], cell_fn(c[4])] for c in r[1]]] for r in rs]

    def fn(bs: list) -> list:
        out = []
        for b in bs:
            if b.get("t") == "Table":
                a, caption, colspecs, head, bodies, foot = b["c"]
                if default_widths:
                    colspecs = [[spec[0], {"t": "ColWidthDefault"}] for spec in colspecs]
                b = {"t": "Table", "c": [a, caption, colspecs, [head[0], rows(head[1])],
                                         [[x[0], x[1], rows(x[2]), rows(x[3])] for x in bodies],
                                         [foot[0], rows(foot[1])]]}
            out.append(b)
        return out

    return map_block_lists(blocks, fn)


def _guard_cells(blocks: list) -> list:
    """Typst reads "1. x", "- x", "= x" at the start of a table cell as markup (pandoc
    escapes them only at the start of a line): a zero-width space keeps them text."""

    def guard(cell_blocks: list) -> list:
        if cell_blocks and cell_blocks[0].get("t") in ("Plain", "Para"):
            inlines = cell_blocks[0]["c"]
            if inlines and inlines[0].get("t") == "Str" and inlines[0]["c"][:1] in _TYPST_MARKUP:
                first = {"t": "Str", "c": "\u200b" + inlines[0]["c"]}
                return [{"t": cell_blocks[0]["t"], "c": [first] + inlines[1:]}] + cell_blocks[1:]
        return cell_blocks

    return map_table_cells(blocks, guard)


_TYPST_MARKUP = frozenset("0123456789-+=/")


def layout_typst(blocks: list, toc_title: str) -> list:
    def fn(b: dict) -> list:
        cls = classes(b)
        if b["t"] == "Header":
            return ([raw("typst", "#pagebreak(weak: true)")] if "annex" in cls else []) + [b]
        if "toc" in cls:
            return [{"t": "Header", "c": [1, ["", ["unnumbered", "unlisted"], []],
                                          words(toc_title)]},
                    raw("typst", "#outline(title: none, depth: %d, indent: auto)" % TOC_DEPTH),
                    raw("typst", "#pagebreak(weak: true)")]
        if "title-page" in cls:
            return [raw("typst", "#v(2.5cm)"), b, raw("typst", "#pagebreak(weak: true)")]
        if "card" in cls:
            # raw wrapper: a Div with text attributes would put the card's heading on the
            # line of its `#set text(...)`, where Typst no longer reads it as a heading
            return [raw("typst", "#pagebreak(weak: true)"),
                    raw("typst", "#block(width: 100%)[\n#set text(size: 12.5pt)\n"
                                 "#show table: set text(size: 10.5pt)"),
                    *b["c"][1], raw("typst", "]")]
        pairs = [p for k in cls for p in TYPST_ATTRS.get(k, [])]
        return [set_pairs(b, pairs) if pairs else b]

    return map_divs(_guard_cells(_breakable(span_rows(split_lines(blocks)))), fn)


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


_PHONE = re.compile(r"\+?\d[\d\u00a0]{4,}\d\Z")  # numbers from the annexes keep no-break spaces
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+\Z")


def _tap_to_call(blocks: list) -> list:
    """On a phone, a tap on a number calls it and a tap on an address writes to it."""

    def linked(item: dict, _again) -> list | None:
        text = item.get("c") if item.get("t") == "Str" else None
        if text and "\u00a0" in text and _PHONE.match(text):
            target = "tel:" + re.sub(r"[^\d+]", "", text)
        elif text and _EMAIL.match(text):
            target = "mailto:" + text
        else:
            return [item] if item.get("t") == "Link" else None  # never a link in a link
        return [{"t": "Link", "c": [["", [], []], [item], [target, ""]]}]

    return map_inlines(blocks, linked)


def layout_html(blocks: list, toc_title: str) -> list:
    entries = headings(blocks)

    def fn(b: dict) -> list:
        if b["t"] == "Div" and "toc" in classes(b):
            return [div(["toc"], [para([{"t": "Strong", "c": words(toc_title)}]),
                                  toc_list(entries)], ident="contents")]
        return [b]

    return map_divs(_tap_to_call(span_rows(split_lines(blocks))), fn)


# markdown -----------------------------------------------------------------------------------------

def _simple_tables(blocks: list) -> list:
    """Tables as pipe tables: default widths, and the lines of a cell joined by "; "."""

    def cell(cbs: list) -> list:
        inl: list = []
        rest = []
        for b in cbs:
            if b.get("t") in ("Plain", "Para"):
                if inl:
                    inl.append({"t": "Space"})
                for x in b["c"]:
                    if x.get("t") in ("LineBreak", "SoftBreak"):
                        inl += [{"t": "Str", "c": ";"}, {"t": "Space"}]
                    else:
                        inl.append(x)
            else:
                rest.append(b)
        return ([{"t": "Plain", "c": inl}] if inl else []) + rest

    return map_table_cells(blocks, cell, default_widths=True)


def layout_markdown(blocks: list, toc_title: str) -> list:
    entries = headings(blocks)

    def fn(b: dict) -> list:
        cls = classes(b)
        if b["t"] == "Header":
            level, attr, inlines = b["c"]
            return [{"t": "Header", "c": [level, [attr[0], [], []], inlines]}]
        if "toc" in cls:
            return [para([{"t": "Strong", "c": words(toc_title)}]), toc_list(entries)]
        if "card" in cls:
            return [{"t": "HorizontalRule"}] + b["c"][1]
        if "exempt" in cls or "template-body" in cls:
            return [{"t": "BlockQuote", "c": b["c"][1]}]
        return b["c"][1]

    return map_divs(_simple_tables(span_rows(split_lines(blocks), merge=False)), fn)


LAYOUTS = {"docx": layout_docx, "pdf": layout_typst, "html": layout_html, "md": layout_markdown}
