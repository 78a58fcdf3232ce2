"""Jinja2 templates -> one Markdown document.

Templates only ever *print* values, and every printed value goes through
`finalize`: plain text is escaped, a user Markdown field (`Md`) becomes its
token, Markdown this package wrote (`Safe`) is printed as it is (see
`markdown.py`). Templates run with StrictUndefined: a missing value is an
error, never an empty paragraph. Jinja comments are written `{## ... ##}`,
because `{#` starts a heading identifier in pandoc Markdown.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

import jinja2

from .markdown import LINE, SPAN, Md, Safe, escape


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
