"""Insertions and deletions as each output format shows them.

- DOCX: pandoc writes the `insertion` / `deletion` spans as Word's tracked
  changes (`w:ins` / `w:del` with author and date), which the secretary can
  accept or reject one by one. pandoc numbers insertions and deletions each
  from 1; `unique_revision_ids` gives every one its own number, as the Office
  Open XML standard asks.
- HTML: `<ins>` and `<del>` (with `datetime`), styled by `changes.css`.
- PDF (Typst): insertions underlined in green, deletions struck through in red.
- Markdown: CriticMarkup, `{++new++}` and `{--old--}`.

The marks are added after the document has been checked and laid out, as raw
output of this package: nothing of the user's text is ever raw.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from .textdiff import DELETION, INSERTION

INSERT_COLOUR = 'rgb("#0b6e2e")'
DELETE_COLOUR = 'rgb("#b3261e")'


def _kind(item: dict) -> str | None:
    if item.get("t") != "Span":
        return None
    classes = item["c"][0][1]
    for kind in (INSERTION, DELETION):
        if kind in classes:
            return kind
    return None


def _date(item: dict) -> str:
    return next((v for k, v in item["c"][0][2] if k == "date"), "")


def map_marks(node, fn, between: tuple = ()):
    """Replace every insertion or deletion span: fn(kind, span, inner) -> inlines;
    `between` goes between a deletion and the insertion right after it."""
    if isinstance(node, list):
        out = []
        previous = None
        for item in node:
            kind = _kind(item) if isinstance(item, dict) else None
            if kind is not None:
                if previous == DELETION and kind == INSERTION:
                    out.extend(between)
                out.extend(fn(kind, item, map_marks(item["c"][1], fn, between)))
            else:
                out.append(map_marks(item, fn, between))
            previous = kind
        return out
    if isinstance(node, dict) and "c" in node:
        return {"t": node["t"], "c": map_marks(node["c"], fn, between)}
    return node


def for_html(blocks: list) -> list:
    def html(kind: str, span: dict, inner: list) -> list:
        tag = "ins" if kind == INSERTION else "del"
        when = _date(span)
        opening = f"<{tag} datetime={quoteattr(when)}>" if when else f"<{tag}>"
        return [{"t": "RawInline", "c": ["html", opening]}, *inner,
                {"t": "RawInline", "c": ["html", f"</{tag}>"]}]

    return map_marks(blocks, html)


def for_typst(blocks: list) -> list:
    def typst(kind: str, _span: dict, inner: list) -> list:
        if kind == INSERTION:
            coloured = {"t": "Span", "c": [["", [], [["typst:text:fill", INSERT_COLOUR]]], inner]}
            return [{"t": "Underline", "c": [coloured]}]
        coloured = {"t": "Span", "c": [["", [], [["typst:text:fill", DELETE_COLOUR]]], inner]}
        return [{"t": "Strikeout", "c": [coloured]}]

    return map_marks(blocks, typst, ({"t": "RawInline", "c": ["typst", "#h(0.25em)"]},))


def for_markdown(blocks: list) -> list:
    def critic(kind: str, _span: dict, inner: list) -> list:
        sign = "++" if kind == INSERTION else "--"
        return [{"t": "RawInline", "c": ["markdown", "{" + sign]}, *inner,
                {"t": "RawInline", "c": ["markdown", sign + "}"]}]

    return map_marks(blocks, critic)


_PARAGRAPH = re.compile(rb"<w:p>(.*?)</w:p>|<w:p ([^>]*)>(.*?)</w:p>", re.S)
_TRACKED = re.compile(rb"<w:(ins|del) ([^>]*)>.*?</w:\1>", re.S)
_TEXT = re.compile(rb"<w:t[ >]|<w:tab/>|<w:br/>|<w:drawing>")


def paragraph_marks(document_xml: bytes) -> bytes:
    """A paragraph that is wholly inserted or wholly deleted gets its paragraph mark
    tracked too, so that accepting a deletion (or rejecting an insertion) removes the
    paragraph instead of leaving it empty. pandoc marks only the text."""

    def mark(match: re.Match) -> bytes:
        whole = match.group(0)
        inner = match.group(1) if match.group(1) is not None else match.group(3)
        kinds = {m.group(1) for m in _TRACKED.finditer(inner)}
        if len(kinds) != 1 or _TEXT.search(_TRACKED.sub(b"", inner)):
            return whole
        kind = kinds.pop()
        attributes = re.sub(rb'w:id="\d+"\s*', b"", _TRACKED.search(inner).group(2)).strip()
        tracked = b'<w:rPr><w:' + kind + b' w:id="0" ' + attributes + b'/></w:rPr>'
        if b"<w:pPr>" in whole or b"<w:pPr " in whole:
            if b"</w:pPr>" in whole:
                return whole.replace(b"</w:pPr>", tracked + b"</w:pPr>", 1)
            return whole  # an empty <w:pPr/>: leave it as it is
        head = whole.index(b">") + 1
        return whole[:head] + b"<w:pPr>" + tracked + b"</w:pPr>" + whole[head:]

    return _PARAGRAPH.sub(mark, document_xml)


def finish_document_xml(document_xml: bytes) -> bytes:
    return unique_revision_ids(paragraph_marks(document_xml))


_REVISION = re.compile(rb'<w:(ins|del) w:id="\d+"')
_ANY_ID = re.compile(rb'w:id="(\d+)"')


def unique_revision_ids(document_xml: bytes) -> bytes:
    """Every w:ins and w:del its own id, above the ids pandoc gave anything else."""
    others = [int(m) for m in _ANY_ID.findall(_REVISION.sub(b"", document_xml))]
    counter = iter(range(max(others, default=0) + 1, 1 << 31))

    def renumber(match: re.Match) -> bytes:
        return b'<w:' + match.group(1) + b' w:id="' + str(next(counter)).encode() + b'"'

    return _REVISION.sub(renumber, document_xml)
