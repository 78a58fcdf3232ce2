"""Jinja2 templates -> one Markdown document.

User text is data, never template code: templates only ever *print* values,
and every printed value goes through `finalize`, which

- escapes plain text (names, titles, numbers) so that no character in it means
  anything to Markdown (`{{ 7*7 }}`, `# x`, `[a](b)`, `<script>` stay text);
- prints a user Markdown field (`body`, `duties`, step `text` ...) as an opaque
  token. The field itself is parsed on its own, cleaned (see `sanitize.py`) and
  put in the token's place in the document tree, so it can neither break the
  document's structure nor carry attributes, raw HTML or unsafe links.

Templates run with StrictUndefined: a missing value is an error, never an
empty paragraph. Jinja comments are written `{## ... ##}`, because `{#` starts
a heading identifier in pandoc Markdown.
"""
from __future__ import annotations

import hashlib
import re
import string
from pathlib import Path
from typing import Any, Iterable

import jinja2

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


def finalize(value: Any) -> str:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: raises, naming the missing value
    if isinstance(value, Md):
        return value.token
    if isinstance(value, Safe):
        return value
    if isinstance(value, bool) or value is None:
        raise TemplateValueError(f"a template printed {value!r}; test it with `if` instead")
    if isinstance(value, (int, float)):
        return escape(str(value))
    if isinstance(value, str):
        return escape(value)
    raise TemplateValueError(f"a template printed a {type(value).__name__}; print its fields")


class TemplateValueError(Exception):
    pass


def lines(values: Iterable[Any]) -> Safe:
    """Several values in one table cell, one per line."""
    return Safe(LINE.join(finalize(v) for v in values if v not in (None, "")))


def span_row(value: Any) -> Safe:
    """A table cell that spans the rest of its row (write the other cells empty)."""
    return Safe(finalize(value) + SPAN)


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user's cache folder between runs (compiling them is
    a tenth of a render's own work). Jinja checks each template's source digest; a
    damaged file is compiled again, never trusted."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001  (unreadable or damaged: compile instead)
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a cache that cannot be written is simply not used
            pass


def template_cache() -> TemplateCache | None:
    from ..cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    try:
        # compiled code depends on the environment's settings (in this file) and on Jinja
        settings = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=8).hexdigest()
        folder = base / "templates" / f"jinja{jinja2.__version__}-{settings}"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return TemplateCache(str(folder))


def environment(folders: Iterable[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        bytecode_cache=template_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["lines"] = lines
    env.filters["span_row"] = span_row
    return env


def render_document(folders: Iterable[Path], context: dict, name: str = "document.md.j2") -> str:
    return environment(folders).get_template(name).render(context)
