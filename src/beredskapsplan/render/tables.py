"""Tables in the document tree: columns nobody fills, column widths, and table height.

- A column whose body cells are all empty is left out (the templates write every
  column a table can have; a plan whose levels have no description gets no
  empty "Beskrivelse" column).
- Column widths for the printed formats (PDF, DOCX): each column gets at least
  the width of its longest word, so a name, an e-mail address or a number is
  never broken or hyphenated; the rest follows the widths the template gives.
  Widths are estimated from character counts (no font is measured),
  generously.
- The estimated height of a table, for keeping a short table on one page.
- Which rows are kept together where a table breaks across pages (`keep_groups`):
  a short table stays whole; a longer one keeps its first rows with its heading
  and its last rows together, so no page holds a row or two of it alone.

Pandoc's JSON: a Table is `[attr, caption, colspecs, head, bodies, foot]`; a
row is `[attr, cells]`; a cell is `[attr, align, rowspan, colspan, blocks]`.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .sanitize import stringify
from .tree import map_block_lists

_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\u00a0 ]{4,}\d")


@dataclass(frozen=True)
class Measure:
    """How a format prints tables: widths in points."""

    text_width: float  # the width of a full-width table
    font_size: float
    char: float = 0.5  # average character advance, in font sizes
    bold_char: float = 0.56
    padding: float = 10.0  # left and right cell padding together
    line_height: float = 1.3  # in font sizes
    row_padding: float = 8.0  # top and bottom together
    # how far an e-mail address may be set smaller to fit its column (PDF: 0.8, as
    # `nobreak` in beredskap.typ does; DOCX: 1, Word cannot)
    address_shrink: float = 1.0

    def text(self, chars: float, bold: bool = False) -> float:
        return chars * self.font_size * (self.bold_char if bold else self.char)


def each_table(blocks: list, fn: Callable[[dict], list]) -> list:
    """Replace every Table (at any depth) by `fn(table)`: a list of blocks."""
    def each(bs: list) -> list:
        out = []
        for b in bs:
            out.extend(fn(b) if b.get("t") == "Table" else [b])
        return out

    return map_block_lists(blocks, each)


def _rows(table: dict) -> Iterator[list]:
    _, _, _, head, bodies, foot = table["c"]
    yield from head[1]
    for body in bodies:
        yield from body[2]
        yield from body[3]
    yield from foot[1]


def _body_rows(table: dict) -> Iterator[list]:
    for body in table["c"][4]:
        yield from body[2]
        yield from body[3]


def _empty(cell: list) -> bool:
    return all(b.get("t") in ("Plain", "Para") and not b["c"] for b in cell[4])


def drop_empty_columns(blocks: list) -> list:
    """Leave out the columns whose body cells are all empty (tables made by the
    templates; the widths of the others grow in proportion)."""

    def fn(table: dict) -> list:
        columns = len(table["c"][2])
        rows = list(_body_rows(table))
        if not rows or any(len(r[1]) != columns or any(c[3] != 1 for c in r[1]) for r in rows):
            return [table]
        keep = [k for k in range(columns) if not all(_empty(r[1][k]) for r in rows)]
        if len(keep) == columns or not keep:
            return [table]
        a, caption, colspecs, head, bodies, foot = table["c"]
        widths = [s[1].get("c") if s[1].get("t") == "ColWidth" else None for s in colspecs]
        kept_total = sum(widths[k] or 0 for k in keep)
        total = sum(w or 0 for w in widths)
        scale = total / kept_total if kept_total and None not in widths else 1

        def cut(rs):
            return [[r[0], [r[1][k] for k in keep]] for r in rs]

        specs = [[colspecs[k][0], {"t": "ColWidth", "c": widths[k] * scale}
                  if widths[k] is not None else colspecs[k][1]] for k in keep]
        return [{"t": "Table", "c": [a, caption, specs, [head[0], cut(head[1])],
                                     [[b[0], b[1], cut(b[2]), cut(b[3])] for b in bodies],
                                     [foot[0], cut(foot[1])]]}]

    return each_table(blocks, fn)


def _text(inlines: list) -> str:
    return stringify([{"t": "Str", "c": "\n"} if x.get("t") == "LineBreak" else x
                      for x in inlines])


def _cell_text(cell: list) -> str:
    """The text of a cell, a line per paragraph, line break and list item."""
    parts = []
    for b in cell[4]:
        if b.get("t") in ("Plain", "Para"):
            parts.append(_text(b["c"]))
        elif b.get("t") in ("BulletList", "OrderedList"):
            items = b["c"] if b["t"] == "BulletList" else b["c"][1]
            for item in items:
                parts.append(" ".join(_text(x["c"]) for x in item
                                      if x.get("t") in ("Plain", "Para")))
    return "\n".join(parts)


def longest_unit(text: str, address_shrink: float = 1.0) -> float:
    """The longest run of text that must stay on one line, in characters: a word, a whole
    phone number (its digit groups together), or an e-mail address (counted
    `address_shrink` as long, where the format may set it smaller). A zero-width space
    is a place the line may break (put into addresses by `break_addresses`)."""
    longest = 0.0
    for line in text.split("\n"):
        for number in _PHONE_IN_TEXT.findall(line):
            longest = max(longest, len(number))
        for word in line.replace("\u00a0", " ").split():
            for part in word.split(ZWSP):
                longest = max(longest, len(part) * (address_shrink if "@" in word else 1))
    return longest


ZWSP = "\u200b"


def break_addresses(table: dict) -> dict:
    """The table with its e-mail addresses allowed to break after the "@" (a zero-width
    space in the shown text of mailto links; the link target stays the address)."""

    def inlines(xs: list) -> list:
        out = []
        for x in xs:
            if x.get("t") == "Link" and x["c"][2][0].startswith("mailto:"):
                text = [{"t": "Str", "c": i["c"].replace("@", "@" + ZWSP, 1)}
                        if i.get("t") == "Str" and ZWSP not in i["c"] else i
                        for i in x["c"][1]]
                x = {"t": "Link", "c": [x["c"][0], text, x["c"][2]]}
            elif x.get("t") in ("Emph", "Strong", "Span", "Underline", "Strikeout"):
                key = 1 if x["t"] == "Span" else None
                x = ({"t": x["t"], "c": [x["c"][0], inlines(x["c"][1])]} if key
                     else {"t": x["t"], "c": inlines(x["c"])})
            out.append(x)
        return out

    def blocks(bs: list) -> list:
        out = []
        for b in bs:
            if b.get("t") in ("Plain", "Para"):
                b = {"t": b["t"], "c": inlines(b["c"])}
            elif b.get("t") == "BulletList":
                b = {"t": "BulletList", "c": [blocks(item) for item in b["c"]]}
            elif b.get("t") == "OrderedList":
                b = {"t": "OrderedList", "c": [b["c"][0], [blocks(item) for item in b["c"][1]]]}
            out.append(b)
        return out

    def rows(rs: list) -> list:
        return [[r[0], [[c[0], c[1], c[2], c[3], blocks(c[4])] for c in r[1]]] for r in rs]

    a, caption, colspecs, head, bodies, foot = table["c"]
    return {"t": "Table", "c": [a, caption, colspecs, [head[0], rows(head[1])],
                                [[b[0], b[1], rows(b[2]), rows(b[3])] for b in bodies],
                                [foot[0], rows(foot[1])]]}


def fit_columns(table: dict, measure: Measure) -> tuple[dict, bool]:
    """The table with widths that give every column room for its longest word, and
    whether they all fit (False: some column is narrower than its longest word)."""
    a, caption, colspecs, head, bodies, foot = table["c"]
    widths = [s[1].get("c") if s[1].get("t") == "ColWidth" else None for s in colspecs]
    if not widths or None in widths:
        return table, True
    columns = len(widths)
    need = [0.0] * columns
    for index, row in enumerate(_rows(table)):
        header = index < len(head[1])
        k = 0
        for cell in row[1]:
            if cell[3] == 1 and k < columns:
                chars = longest_unit(_cell_text(cell), measure.address_shrink)
                width = (measure.text(chars, bold=header) + measure.padding) / measure.text_width
                need[k] = max(need[k], width)
            k += cell[3]
    total = sum(widths)
    fits = sum(need) <= total
    if all(n <= w for n, w in zip(need, widths)):
        return table, True
    if not fits:
        new = [n * total / sum(need) for n in need]
    else:
        new = [max(w, n) for w, n in zip(widths, need)]
        excess = sum(new) - total
        slack = [max(0.0, w - n) for w, n in zip(new, need)]
        new = [w - excess * s / sum(slack) for w, s in zip(new, slack)]
    specs = [[spec[0], {"t": "ColWidth", "c": round(w, 6)}] for spec, w in zip(colspecs, new)]
    return {"t": "Table", "c": [a, caption, specs, head, bodies, foot]}, fits


def height(table: dict, measure: Measure) -> float:
    """The estimated height of a table, in points."""
    widths = [s[1].get("c") if s[1].get("t") == "ColWidth" else None for s in table["c"][2]]
    columns = len(widths)
    default = 1 / max(columns, 1)
    total = 0.0
    for row in _rows(table):
        lines = 1
        k = 0
        for cell in row[1]:
            span = sum((widths[j] or default) for j in range(k, min(k + cell[3], columns)))
            room = max(span * measure.text_width - measure.padding, measure.font_size)
            per_line = max(1, int(room / (measure.font_size * measure.char)))
            text = _cell_text(cell)
            cell_lines = sum(max(1, math.ceil(len(line) / per_line))
                             for line in text.split("\n")) if text else 1
            lines = max(lines, cell_lines)
            k += cell[3]
        total += lines * measure.font_size * measure.line_height + measure.row_padding
    return total


# A table breaking across pages keeps this many of its first body rows with its heading,
# and this many last rows together; a table no longer than both is kept whole.
KEEP_FIRST, KEEP_LAST = 3, 4


def keep_groups(rows: int, tall: bool = False) -> tuple[int, int]:
    """How many first and last body rows of a table stay together on a page (the table may
    break only between the two groups): all of them (first == rows) for a short table,
    else KEEP_FIRST and KEEP_LAST. A short table too tall to keep whole (`tall`) breaks
    once, leaving at least two rows at the foot of a page and up to KEEP_LAST at the top
    of the next (where the page may hold nothing else)."""
    if rows > KEEP_FIRST + KEEP_LAST:
        return KEEP_FIRST, KEEP_LAST
    if not tall or rows < 4:
        return rows, 0
    last = min(KEEP_LAST, rows - 2)
    return rows - last, last


def body_rows(table: dict) -> int | None:
    """The number of body rows of a table of one plain body, else None."""
    _, _, _, _, bodies, foot = table["c"]
    if len(bodies) != 1 or bodies[0][2] or foot[1]:
        return None
    return len(bodies[0][3])


def _cell(rowspan: int = 1) -> list:
    return [["", [], []], {"t": "AlignDefault"}, rowspan, 1, []]


def group_rows(table: dict, first: int, last: int) -> dict:
    """The table with a last column of no width whose empty cells span the first `first`
    and the last `last` body rows: Typst keeps the rows an unbreakable cell spans on one
    page (beredskap.typ makes every cell unbreakable), which is how a group of rows is
    kept together there. Tables that are not one plain body are returned unchanged."""
    n = body_rows(table)
    if n is None or n < 2 or first + last > n:
        return table
    a, caption, colspecs, head, bodies, foot = table["c"]
    specs = colspecs + [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": 0}]]
    head_rows = [[r[0], r[1] + [_cell()]] for r in head[1]]
    out = []
    for i, (attr, cells) in enumerate(bodies[0][3]):
        if i == 0 and first > 1:
            cells = cells + [_cell(first)]
        elif i == n - last and last > 1:
            cells = cells + [_cell(last)]
        elif not (0 < i < first or n - last < i):  # rows a cell above spans have none
            cells = cells + [_cell()]
        out.append([attr, cells])
    body = [bodies[0][0], bodies[0][1], [], out]
    return {"t": "Table", "c": [a, caption, specs, [head[0], head_rows], [body], foot]}
