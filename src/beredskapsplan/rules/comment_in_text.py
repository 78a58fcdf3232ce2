"""A `#` glued to text: YAML reads it as the start of a comment and cuts the value.

In YAML, a `#` after a space starts a comment, also in the middle of a line
of text. `title: Plan #2 for Lia` therefore gives the title "Plan", and
"#2 for Lia" is silently left out of the plan and of every document made
from it. A comment written on purpose nearly always has a space after the
`#`; a `#` followed directly by a letter or digit, after unquoted text, is
reported.

Fix: if the `#` belongs to the text, put the whole value in quotes. If it is
a comment, put a space after the `#`.

    title: Plan #2 for Lia          # reported: the title is "Plan"
    title: "Plan #2 for Lia"        # the whole text
    phone: "+47 23 45 67 89"  # a comment, with a space after '#'
"""
from __future__ import annotations

import re

import yaml

from ..documents import readable
from ..i18n import _
from ..findings import Hit
from ..documents import Location

ID = "comment-in-text"
SEVERITY = "warning"
SCOPE = "file"
SUMMARY = "a '#' after unquoted text cuts the value (YAML reads the rest as a comment)"

# a '#' glued to what follows; searched from the '#' (a literal, so re skips ahead
# quickly) rather than from the text before it, which made re try every character
_HASH_GLUED_TO_TEXT = r"#[^\s#!]"
_GLUED_HASH = re.compile(_HASH_GLUED_TO_TEXT)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_GLUED = re.compile(rf"[ \t]+({_HASH_GLUED_TO_TEXT}.*)")


def _may_cut(text: str) -> bool:
    """Whether some '#' in `text` is glued to what follows and stands after text and a
    space or tab on its line: rules nearly every file out at once."""
    for found in _GLUED_HASH.finditer(text):
        start = end = found.start()
        while start and text[start - 1] in " \t":
            start -= 1
        if start < end and start and not text[start - 1].isspace():
            return True
    return False


def _plain_scalars(text: str):
    """(end line, end column, value) of every unquoted scalar, from the YAML scanner."""
    loader = _Loader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None:
                return
            if isinstance(token, yaml.ScalarToken) and token.plain:
                yield token.end_mark.line, token.end_mark.column, token.value
    except yaml.YAMLError:  # reported by yaml-syntax
        return
    finally:
        loader.dispose()


def check(ctx):
    for doc in ctx.documents:
        text = doc.text
        if not readable(doc) or not text or not _may_cut(text):
            continue
        lines = text.splitlines()
        for line, column, value in _plain_scalars(text):
            if line >= len(lines):
                continue
            glued = _GLUED.match(lines[line], column)
            if glued is None:
                continue
            comment = glued.group(1).rstrip()
            yield Hit(Location(doc, line + 1, glued.start(1) + 1),
                      _("the '#' starts a comment, so the text ends at '{value}' and "
                        "'{comment}' is left out; if the '#' belongs to the text, put the "
                        "whole value in quotes, and if it is a comment, put a space after "
                        "the '#'", value=value.splitlines()[-1] if value else value,
                        comment=comment))
