"""The pieces of Markdown the templates print, and the text rules they follow.

User text is data, never template code: `escape` makes plain text (names,
titles, numbers) read back as exactly that text (`{{ 7*7 }}`, `# x`, `[a](b)`,
`<script>` stay text); a user Markdown field (`body`, `duties`, step `text` ...)
is an `Md`, printed as an opaque token and put in the token's place in the
document tree after it has been parsed and cleaned on its own (see
`sanitize.py`), so it can neither break the document's structure nor carry
attributes, raw HTML or unsafe links. The Jinja side is in `templating.py`:
this module is also used to build the change summary `validate` prints, which
needs no templates.
"""
from __future__ import annotations

import re
import string

# Joins the lines of one table cell; becomes a line break in the document tree.
LINE = "\ue000"
# Ends a table cell that should span the rest of its row.
SPAN = "\ue001"
_ESCAPE = {ord(c): "\\" + c for c in string.punctuation}
_SPACE = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")
# control characters and the private-use characters used as markers
_DROP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")


class Safe(str):
    """Markdown written by the templates or this package: printed as it is."""


class Md:
    """A user Markdown field, printed as a token and filled in after parsing."""

    __slots__ = ("text", "level", "token")

    def __init__(self, text: str, level: int, token: str):
        self.text = text
        self.level = level  # heading level of the part it belongs to; its headings go below
        self.token = token

    def __repr__(self) -> str:
        return f"Md({self.token})"


class Fragments:
    """Every user Markdown field of one document, in order."""

    def __init__(self, nonce: str):
        self.nonce = nonce
        self.items: list[Md] = []

    def add(self, text: str | None, level: int = 1) -> Md | None:
        if text is None or not text.strip():
            return None
        md = Md(text, level, f"BKFRAG{self.nonce}N{len(self.items)}")
        self.items.append(md)
        return md


# what makes the start of a one-line paragraph something else: a list item ("1. ",
# "a) ", "(iv) ", "#. ", "- ", "* ", "+ "), a heading ("# "), a quote ("> "), a rule
# ("---", "* * *"), a code fence ("```", "~~~"), a note or link definition ("[x]: ")
_LIST_MARK = re.compile(r"(\(?)([0-9]+|[A-Za-z]{1,6}|#)([.)])(?=\s|$)")
_OTHER_START = re.compile(r"[-+*](?=\s|$)|#{1,6}(?=\s|$)|>|[-*_](?:\s*[-*_]){2,}\s*$"
                          r"|`{3}|~{3}|\[[^\]]*\]:")


def one_paragraph(text: str | None) -> str | None:
    """Markdown text as one paragraph: its lines joined, and a start that would make it
    a list, heading or other block escaped. For texts that are one item already, such
    as the step of an action card ("1. Udarbejd dagsorden" is a step, not a list)."""
    if text is None:
        return None
    joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
    mark = _LIST_MARK.match(joined)
    if mark is not None:  # "1." / "a)" / "(iv)": escape the bracket and the mark
        opening = "\\(" if mark.group(1) else ""
        return opening + mark.group(2) + "\\" + mark.group(3) + joined[mark.end():]
    if _OTHER_START.match(joined):
        return "\\" + joined
    return joined


def escape(text: str) -> str:
    """Plain text as Markdown that reads back as exactly that text, on one line."""
    text = _DROP.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return text.translate(_ESCAPE)
