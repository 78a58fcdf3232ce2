"""Small helpers over pandoc's JSON document tree (API 1.23): text of a node, walking.

The tree is plain JSON: a block or inline is `{"t": type, "c": content}`.
"""
from __future__ import annotations

import re
from typing import Iterator

_SPACES = re.compile(r"\s+")
INLINE_CONTAINERS = {"Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                     "Underline"}


def inline_text(inlines: list) -> str:
    """The text of a list of inlines, spaces as one space (notes left out)."""
    parts: list[str] = []
    _collect(inlines, parts)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _collect(inlines: list, parts: list[str]) -> None:
    for node in inlines:
        t, c = node.get("t"), node.get("c")
        if t == "Str":
            parts.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t in INLINE_CONTAINERS:
            _collect(c, parts)
        elif t == "Quoted":
            quote = "'" if c[0].get("t") == "SingleQuote" else '"'
            parts.append(quote)
            _collect(c[1], parts)
            parts.append(quote)
        elif t in ("Cite",):
            _collect(c[1], parts)
        elif t in ("Code", "Math"):
            parts.append(c[1])
        elif t in ("Link", "Image"):
            _collect(c[1], parts)
        elif t == "Span":
            _collect(c[1], parts)
        # Note and RawInline: not part of the running text


def block_text(blocks: list, separator: str = " ") -> str:
    """The text of blocks, one after the other."""
    texts = [t for t in (_block_text(b) for b in blocks) if t]
    if separator == " ":
        return _SPACES.sub(" ", " ".join(texts)).strip()
    return separator.join(texts)


def _block_text(block: dict) -> str:
    t, c = block.get("t"), block.get("c")
    if t in ("Plain", "Para"):
        return inline_text(c)
    if t == "LineBlock":
        return " ".join(inline_text(line) for line in c)
    if t == "Header":
        return inline_text(c[2])
    if t == "CodeBlock":
        return c[1]
    if t in ("BlockQuote",):
        return block_text(c)
    if t == "Div":
        return block_text(c[1])
    if t == "BulletList":
        return " ".join(block_text(item) for item in c)
    if t == "OrderedList":
        return " ".join(block_text(item) for item in c[1])
    if t == "DefinitionList":
        return " ".join(inline_text(term) + " " + " ".join(block_text(d) for d in defs)
                        for term, defs in c)
    if t == "Figure":
        return block_text(c[2])
    return ""


def custom_style(block: dict) -> str | None:
    """The Word style name pandoc's `+styles` puts on a Div or Span."""
    if block.get("t") not in ("Div", "Span"):
        return None
    for key, value in block["c"][0][2]:
        if key == "custom-style":
            return value
    return None


def walk_inlines(blocks: list) -> Iterator[dict]:
    """Every inline under these blocks, in order, containers before their contents."""
    for block in blocks:
        yield from _inlines_of_block(block)


def _inlines_of_block(block: dict) -> Iterator[dict]:
    t, c = block.get("t"), block.get("c")
    if t in ("Plain", "Para"):
        yield from _walk(c)
    elif t == "LineBlock":
        for line in c:
            yield from _walk(line)
    elif t == "Header":
        yield from _walk(c[2])
    elif t == "BlockQuote":
        yield from walk_inlines(c)
    elif t == "Div":
        yield from walk_inlines(c[1])
    elif t == "BulletList":
        for item in c:
            yield from walk_inlines(item)
    elif t == "OrderedList":
        for item in c[1]:
            yield from walk_inlines(item)
    elif t == "DefinitionList":
        for term, defs in c:
            yield from _walk(term)
            for d in defs:
                yield from walk_inlines(d)
    elif t == "Table":
        for cell in table_cells(block):
            yield from walk_inlines(cell[4])
        yield from walk_inlines(c[1][1])
    elif t == "Figure":
        yield from walk_inlines(c[1][1])
        yield from walk_inlines(c[2])


def _walk(inlines: list) -> Iterator[dict]:
    for node in inlines:
        yield node
        t, c = node.get("t"), node.get("c")
        if t in INLINE_CONTAINERS:
            yield from _walk(c)
        elif t == "Quoted" or t == "Cite":
            yield from _walk(c[1])
        elif t in ("Link", "Image", "Span"):
            yield from _walk(c[1])
        elif t == "Note":
            yield from walk_inlines(c)


def table_rows(table: dict) -> tuple[list[list], list[list]]:
    """(head rows, body rows) of a Table; a row is its list of cells."""
    _attr, _caption, _specs, head, bodies, foot = table["c"]
    head_rows = [row[1] for row in head[1]]
    body_rows: list[list] = []
    for body in bodies:
        body_rows.extend(row[1] for row in body[2])  # intermediate head rows
        body_rows.extend(row[1] for row in body[3])
    body_rows.extend(row[1] for row in foot[1])
    return head_rows, body_rows


def table_cells(table: dict) -> Iterator[list]:
    head, body = table_rows(table)
    for row in head + body:
        yield from row


def grid(rows: list[list]) -> list[list[str]]:
    """Rows of cells as rows of text, merged cells spread over the columns they cover
    (the text in the first, the rest empty)."""
    out: list[list[str]] = []
    carry: dict[int, int] = {}  # column -> rows still covered by a cell above
    for row in rows:
        line: list[str] = []
        cells = list(row)
        column = 0
        while cells or carry.get(column, 0) > 0:
            if carry.get(column, 0) > 0:
                carry[column] -= 1
                line.append("")
                column += 1
                continue
            cell = cells.pop(0)
            rowspan, colspan = cell[2], cell[3]
            line.append(block_text(cell[4], "\n"))
            for extra in range(colspan):
                if rowspan > 1:
                    carry[column + extra] = rowspan - 1
                if extra:
                    line.append("")
            column += colspan
        out.append(line)
    width = max((len(r) for r in out), default=0)
    return [r + [""] * (width - len(r)) for r in out]
