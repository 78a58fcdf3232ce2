"""Cleaning user Markdown in pandoc's document tree (the JSON AST).

User fields are Markdown, but a plan is not a web page: nothing in a field may
reach the output as markup. The fields are read with raw HTML, raw TeX and
raw attributes switched off (see `convert.USER_MARKDOWN`), and the tree is
then cleaned here:

- every attribute (id, classes, key=value) on every element is removed, so
  `::: {onclick=alert(1)}`, `[x](y){onmouseover=...}` and `# T {#id}` keep
  only their text;
- links keep only http, https, mailto, tel and relative targets; any other
  scheme (`javascript:`, `vbscript:`, `data:`, `file:` ...) leaves just the
  link text, and so does a link to a network share (`\\\\host\\share`,
  `//host/share`): Word on Windows opens those with the reader's login, which
  sends it to that host;
- images become links to the image (the documents load nothing from outside);
- raw blocks and inlines are dropped; math is printed as text;
- headings are moved below the heading of the part the text belongs to and
  are kept out of the table of contents.

`check_document` is the second line of defence for the whole document: only
the attributes the templates use survive it.
"""
from __future__ import annotations

import re
from typing import Any, Callable
from urllib.parse import unquote

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_MARKERS = re.compile(r"[\ue000-\uf8ff]")
# two slashes or backslashes in any mix (also fullwidth or other look-alike forms)
_NETWORK_PATH = re.compile(r"[\\/\uff0f\uff3c\u2215\u2044\u29f5\u29f8\u29f9]{2}")
NO_ATTR: list = ["", [], []]


def safe_url(url: str) -> bool:
    """True for http(s), mailto, tel and relative URLs that do not name another host.

    Browsers ignore control characters and white space inside a scheme
    ("java\\tscript:"), so those are removed before the scheme is read. A
    relative URL starting with two slashes or backslashes in any mix (also
    percent-encoded) names a host: on Windows a network share.
    """
    squeezed = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    decoded = squeezed
    for _ in range(3):  # %5C%5C, and %255C%255C decoded twice by some readers
        decoded = unquote(decoded)
    if _NETWORK_PATH.match(squeezed) or _NETWORK_PATH.match(decoded):
        return False
    match = _SCHEME.match(squeezed) or _SCHEME.match(decoded)
    if match is None:
        return True
    return match.group(1).lower() in SAFE_SCHEMES


def _attr() -> list:
    return ["", [], []]


# -- user fragments ------------------------------------------------------------------------

def clean_blocks(blocks: list, level: int) -> list:
    out: list = []
    for block in blocks:
        out.extend(_clean_block(block, level))
    return out


def _clean_block(block: dict, level: int) -> list:
    t, c = block.get("t"), block.get("c")
    if t in ("Plain", "Para"):
        return [{"t": t, "c": clean_inlines(c)}]
    if t == "LineBlock":
        return [{"t": t, "c": [clean_inlines(line) for line in c]}]
    if t == "CodeBlock":
        return [{"t": t, "c": [_attr(), _text(c[1])]}]
    if t == "BlockQuote":
        return [{"t": t, "c": clean_blocks(c, level)}]
    if t == "OrderedList":
        start, style, delim = c[0]
        return [{"t": t, "c": [[start if isinstance(start, int) else 1, style, delim],
                               [clean_blocks(item, level) for item in c[1]]]}]
    if t == "BulletList":
        return [{"t": t, "c": [clean_blocks(item, level) for item in c]}]
    if t == "DefinitionList":
        return [{"t": t, "c": [[clean_inlines(term), [clean_blocks(d, level) for d in defs]]
                               for term, defs in c]}]
    if t == "Header":
        new_level = min(6, level + c[0])
        return [{"t": t, "c": [new_level, ["", ["unnumbered", "unlisted"], []],
                               clean_inlines(c[2])]}]
    if t == "HorizontalRule":
        return [{"t": t}]
    if t == "Table":
        return [_clean_table(c, level)]
    if t in ("Figure", "Div"):  # keep the content, lose the wrapper and its attributes
        caption = clean_blocks(c[1][1], level) if t == "Figure" else []
        return clean_blocks(c[-1], level) + caption
    return []  # RawBlock, and anything a newer pandoc may add


def _clean_table(c: list, level: int) -> dict:
    _, caption, colspecs, head, bodies, foot = c

    def rows(rs):
        return [[_attr(), [[_attr(), cell[1], cell[2], cell[3], clean_blocks(cell[4], level)]
                           for cell in row[1]]] for row in rs]

    short = caption[0]
    return {"t": "Table", "c": [
        _attr(),
        [clean_inlines(short) if short else None, clean_blocks(caption[1], level)],
        colspecs,
        [_attr(), rows(head[1])],
        [[_attr(), body[1], rows(body[2]), rows(body[3])] for body in bodies],
        [_attr(), rows(foot[1])],
    ]}


def clean_inlines(inlines: list) -> list:
    out: list = []
    for inline in inlines:
        out.extend(_clean_inline(inline))
    return out


_WRAPPERS = ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps")


def _clean_inline(inline: dict) -> list:
    t, c = inline.get("t"), inline.get("c")
    if t == "Str":
        text = _text(c)
        return [{"t": "Str", "c": text}] if text else []
    if t in ("Space", "SoftBreak", "LineBreak"):
        return [{"t": t}]
    if t in _WRAPPERS:
        return [{"t": t, "c": clean_inlines(c)}]
    if t == "Quoted":
        return [{"t": t, "c": [c[0], clean_inlines(c[1])]}]
    if t == "Cite":
        return clean_inlines(c[1])
    if t == "Code":
        return [{"t": t, "c": [_attr(), _text(c[1])]}]
    if t == "Math":
        return [{"t": "Str", "c": _text(c[1])}]
    if t == "Link":
        url, title = c[2]
        content = clean_inlines(c[1])
        if not safe_url(url):
            return content
        return [{"t": "Link", "c": [_attr(), content, [url, _text(title)]]}]
    if t == "Image":
        url, title = c[2]
        content = clean_inlines(c[1]) or ([{"t": "Str", "c": _text(url)}] if safe_url(url) else [])
        if not safe_url(url) or not url:
            return content
        return [{"t": "Link", "c": [_attr(), content, [url, _text(title)]]}]
    if t == "Note":
        return [{"t": t, "c": clean_blocks(c, 6)}]
    if t == "Span":
        return clean_inlines(c[1])
    return []  # RawInline, and anything a newer pandoc may add


def _text(value: Any) -> str:
    return _MARKERS.sub("", value) if isinstance(value, str) else ""


# -- the whole document --------------------------------------------------------------------

def check_document(blocks: list, allowed_classes: frozenset[str],
                   allowed_keys: frozenset[str]) -> list:
    """Keep only the attributes the templates use; drop raw content and unsafe links."""
    id_ok = re.compile(r"[a-z][a-z0-9-]{0,60}\Z").match

    def attr(a: list) -> list:
        ident = a[0] if isinstance(a[0], str) and id_ok(a[0]) else ""
        classes = [k for k in a[1] if k in allowed_classes]
        pairs = [[k, v] for k, v in a[2] if k in allowed_keys]
        return [ident, classes, pairs]

    return walk_blocks(blocks, attr)


def walk_blocks(blocks: list, attr: Callable[[list], list]) -> list:
    out = []
    for block in blocks:
        out.extend(_walk_block(block, attr))
    return out


def _walk_block(block: dict, attr) -> list:
    t, c = block.get("t"), block.get("c")
    if t in ("Plain", "Para"):
        return [{"t": t, "c": walk_inlines(c, attr)}]
    if t == "LineBlock":
        return [{"t": t, "c": [walk_inlines(line, attr) for line in c]}]
    if t == "CodeBlock":
        return [{"t": t, "c": [attr(c[0]), c[1]]}]
    if t == "RawBlock":
        return []
    if t == "BlockQuote":
        return [{"t": t, "c": walk_blocks(c, attr)}]
    if t == "OrderedList":
        return [{"t": t, "c": [c[0], [walk_blocks(item, attr) for item in c[1]]]}]
    if t == "BulletList":
        return [{"t": t, "c": [walk_blocks(item, attr) for item in c]}]
    if t == "DefinitionList":
        return [{"t": t, "c": [[walk_inlines(term, attr), [walk_blocks(d, attr) for d in defs]]
                               for term, defs in c]}]
    if t == "Header":
        return [{"t": t, "c": [c[0], attr(c[1]), walk_inlines(c[2], attr)]}]
    if t == "HorizontalRule":
        return [block]
    if t == "Table":
        a, caption, colspecs, head, bodies, foot = c

        def rows(rs):
            return [[attr(r[0]), [[attr(cell[0]), cell[1], cell[2], cell[3],
                                   walk_blocks(cell[4], attr)] for cell in r[1]]] for r in rs]

        return [{"t": t, "c": [
            attr(a),
            [walk_inlines(caption[0], attr) if caption[0] else None,
             walk_blocks(caption[1], attr)],
            colspecs,
            [attr(head[0]), rows(head[1])],
            [[attr(b[0]), b[1], rows(b[2]), rows(b[3])] for b in bodies],
            [attr(foot[0]), rows(foot[1])],
        ]}]
    if t == "Figure":
        return [{"t": t, "c": [attr(c[0]), [walk_inlines(c[1][0], attr) if c[1][0] else None,
                                             walk_blocks(c[1][1], attr)],
                               walk_blocks(c[2], attr)]}]
    if t == "Div":
        return [{"t": t, "c": [attr(c[0]), walk_blocks(c[1], attr)]}]
    return []


def walk_inlines(inlines: list, attr) -> list:
    out = []
    for inline in inlines:
        t, c = inline.get("t"), inline.get("c")
        if t in ("Str", "Space", "SoftBreak", "LineBreak"):
            out.append(inline)
        elif t in _WRAPPERS:
            out.append({"t": t, "c": walk_inlines(c, attr)})
        elif t == "Quoted":
            out.append({"t": t, "c": [c[0], walk_inlines(c[1], attr)]})
        elif t == "Cite":
            out.extend(walk_inlines(c[1], attr))
        elif t == "Code":
            out.append({"t": t, "c": [attr(c[0]), c[1]]})
        elif t == "Math":
            out.append({"t": "Str", "c": c[1]})
        elif t in ("Link", "Image"):
            if safe_url(c[2][0]):
                out.append({"t": t, "c": [attr(c[0]), walk_inlines(c[1], attr), c[2]]})
            else:
                out.extend(walk_inlines(c[1], attr))
        elif t == "Note":
            out.append({"t": t, "c": walk_blocks(c, attr)})
        elif t == "Span":
            out.append({"t": t, "c": [attr(c[0]), walk_inlines(c[1], attr)]})
    return out


def stringify(inlines: list) -> str:
    """The plain text of some inlines (for tables of contents and metadata)."""
    parts: list[str] = []

    def go(items):
        for inline in items:
            t, c = inline.get("t"), inline.get("c")
            if t == "Str":
                parts.append(c)
            elif t in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif t in _WRAPPERS:
                go(c)
            elif t == "Quoted":
                go(c[1])
            elif t in ("Code", "Math"):
                parts.append(c[1])
            elif t in ("Link", "Image", "Span"):
                go(c[1])
            elif t == "Cite":
                go(c[1])

    go(inlines)
    return "".join(parts)
