"""Small tools for pandoc's document tree (its JSON AST): making blocks and inlines,
and walking every list of blocks, every list of inlines, every div and every table."""
from __future__ import annotations

from typing import Callable


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
                out.append({"t": item["t"], "c": map_inline_lists(item["c"], inl)})
            else:
                out.append(item)
        return tidy(out) if tidy else out

    def again(node: list) -> list:
        return map_inline_lists(node, inl)

    return map_inline_lists(blocks, inl)


def map_inline_lists(node, inl):
    """Walk any JSON node, replacing every list of inlines by `inl(list)` (outermost
    lists only: `inl` decides what happens inside)."""
    if isinstance(node, list):
        if node and all(isinstance(x, dict) and "t" in x for x in node) and _inline_list(node):
            return inl(node)
        return [map_inline_lists(x, inl) for x in node]
    if isinstance(node, dict) and "t" in node:
        if "c" in node:
            return {"t": node["t"], "c": map_inline_lists(node["c"], inl)}
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


