"""Keeping private numbers and people's e-mail addresses out of the public version.

`context` leaves out what is marked (exempt parts, private numbers, clearances,
people's addresses). What it cannot see is the same number or address written
somewhere else: under another entry without the flag, in a section body, a
card step, a title. Three layers catch that, each working on what the one
before may have missed:

1. `scrub_context`: every text of the template context and every user
   Markdown field, before anything is parsed, has each private number (in
   any spacing) and each person's address replaced by the "withheld" label;
2. `scrub_tree`: in the parsed document tree, where entities, escapes and
   comments have been resolved, any paragraph, heading or cell that still
   spells one is replaced by the label as a whole;
3. `leaks`: every output, as written (Markdown, HTML, the XML parts of the
   DOCX, the Typst source of the PDF), is searched once more; a find stops
   the render before anything is written.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from typing import Any
from urllib.parse import unquote

from .. import model as m
from ..documents import Document
from ..private_data import Finder, Secret, collect, region_of
from .markdown import Safe


class Redaction:
    """What the public version of one plan must not show, and where to find it."""

    def __init__(self, plan: m.Plan, withheld: dict[Document, m.Exempt], label: str):
        self.region = region_of(plan)
        self.finder = Finder(collect(plan, withheld))
        self.label = label
        # the label where Markdown is read: our own words, with nothing Markdown would act on
        # (escapes would show inside a code span)
        self.markdown_label = re.sub(r"[\\`*_{}\[\]<>#|~!&]", "", label)

    # -- single values -------------------------------------------------------------------
    def hides_phone(self, phone: m.Phone) -> bool:
        return phone.private or (bool(self.finder) and
                                 self.finder.number(phone.number, self.region) is not None)

    def hides_email(self, address: str | None) -> bool:
        return bool(address) and self.finder.email(address) is not None

    def text(self, value: str) -> str:
        return self.finder.scrub(value, self.label) if self.finder else value

    # -- layer 1: the template context and the user fields -------------------------------
    def scrub_context(self, context: Any, fragments) -> Any:
        if not self.finder:
            return context
        for md in fragments.items:
            md.text = self.finder.scrub(md.text, self.markdown_label, markdown=True)
        return self._scrub(context)

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, Safe):
            return Safe(self.finder.scrub(value, self.markdown_label))
        if isinstance(value, str):
            return self.finder.scrub(value, self.label)
        if isinstance(value, dict):
            return {k: (v if k == "L" else self._scrub(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self._scrub(v) for v in value)
        return value  # Md (scrubbed through the fragments), numbers, None, booleans

    # -- layer 2: the parsed document ----------------------------------------------------
    def scrub_tree(self, blocks: list) -> list:
        if not self.finder:
            return blocks
        from .tree import map_inline_lists

        replacement = [{"t": "Str", "c": self.label}]

        def inlines(items: list) -> list:
            return replacement if self.finder.find(flat(items)) else items

        return _code_blocks(map_inline_lists(blocks, inlines), self)

    # -- layer 3: the outputs ------------------------------------------------------------
    def leaks(self, fmt: str, data: bytes | str) -> list[Secret]:
        """The secrets an output still shows (`fmt`: md, html, docx or typst)."""
        if not self.finder:
            return []
        found: list[Secret] = []
        for text in readable_texts(fmt, data):
            found.extend(s for _, _, s in self.finder.find(text) if s not in found)
        return found


def flat(node: Any) -> str:
    """All the text a list of pandoc inlines shows or links to."""
    parts: list[str] = []

    def go(n: Any) -> None:
        if isinstance(n, list):
            for x in n:
                go(x)
            return
        if not isinstance(n, dict):
            return
        t, c = n.get("t"), n.get("c")
        if t == "Str":
            parts.append(c if isinstance(c, str) else "")
        elif t in ("Space", "SoftBreak"):
            parts.append(" ")
        elif t == "LineBreak":
            parts.append("\n")
        elif t in ("Code", "Math", "RawInline") and isinstance(c, list) and len(c) == 2:
            parts.append(c[1] if isinstance(c[1], str) else "")
        elif t in ("Link", "Image") and isinstance(c, list) and len(c) == 3:
            go(c[1])
            url, title = (c[2] + ["", ""])[:2]
            parts.append(f"\n\n{url}\n\n{unquote(str(url))}\n\n{title}\n\n")
        elif isinstance(c, list):
            go(c)

    go(node)
    return "".join(parts)


def _code_blocks(blocks: Any, redaction: Redaction) -> Any:
    """Code blocks hold text outside any inline list: check them on their own."""
    if isinstance(blocks, list):
        return [_code_blocks(b, redaction) for b in blocks]
    if isinstance(blocks, dict) and "t" in blocks:
        t, c = blocks["t"], blocks.get("c")
        if t in ("CodeBlock", "RawBlock") and isinstance(c, list) and len(c) == 2 \
                and isinstance(c[1], str) and redaction.finder.find(c[1]):
            return {"t": t, "c": [c[0], redaction.label]}
        if "c" in blocks:
            return {"t": t, "c": _code_blocks(c, redaction)}
    return blocks


# -- the text a reader (or a program) can get out of each output -----------------------------

_BLOCK_TAGS = re.compile(r"</?(?:p|div|td|th|tr|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|table|thead|"
                         r"tbody|tfoot|section|header|footer|nav|blockquote|pre|figure|"
                         r"figcaption|title|head|body|html|caption)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"""\s[\w:-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DOCX_BREAKS = re.compile(r"</w:p>|</w:tc>|<w:br\b[^>]*/>|<w:tab\b[^>]*/>|<w:cr\b[^>]*/>|"
                          r"</a:p>|</dc:\w+>|</cp:\w+>|</dcterms:\w+>")


def _markup_texts(text: str) -> list[str]:
    """The text of HTML or XML, and separately every attribute value in it."""
    values = [html.unescape(a or b) for a, b in _ATTRIBUTE.findall(text)]
    shown = _TAG.sub("", _BLOCK_TAGS.sub("\n\n", text))
    return [html.unescape(shown), "\n\n".join(values), unquote("\n\n".join(values))]


def readable_texts(fmt: str, data: bytes | str) -> list[str]:
    if fmt == "docx":
        texts = []
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for name in package.namelist():
                if name.endswith((".xml", ".rels")):
                    xml = package.read(name).decode("utf-8", "replace")
                    texts.extend(_markup_texts(_DOCX_BREAKS.sub("\n\n", xml)))
        return texts
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if fmt == "html":
        return _markup_texts(text)
    return [text, unquote(text)]
