"""Text still to be filled in: a value holding the fill-in mark.

`beredskap init` and `beredskap new card` write starting files in which
everything only the municipality can supply — the names of the people, the
partners and their contacts, where resources are kept, and the text of the
sections — is marked «FYLL INN» (Norwegian), «UDFYLD» (Danish) or «FILL IN»
(English). Each value that still holds the mark is reported, so the list of
findings is the list of what is left to do. `beredskap approve` and
`beredskap render` without `--draft` refuse a plan while any remain: a plan
full of placeholders is not a plan.

Fix: write the real text in place of the mark, and remove the mark.

    people:
      - id: nn-ordforer
        name: «FYLL INN» navnet på ordføreren     # reported
"""
from __future__ import annotations

from ..documents import readable
from ..i18n import _
from ..placeholders import MARKS, holds_mark
from .base import hit
from .schema import place_words

ID = "placeholder"
SEVERITY = "warning"
SCOPE = "file"
SUMMARY = "text left by init or new to be filled in (approve and render refuse while any remain)"

_MARKS = tuple(sorted(set(MARKS.values())))


def _may_hold_mark(text: str) -> bool:
    """A quick substring test that rules out nearly every file before walking it."""
    return any(mark in text for mark in _MARKS)


def _strings(node):
    stack = [(node, ())]
    while stack:
        value, here = stack.pop()
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, dict):
            stack.extend((child, here + (key,)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, here + (i,)) for i, child in enumerate(value))


def _mark_position(doc, line: int, value: str) -> tuple[int, int] | None:
    """Where the mark stands in the file: a block of text begins a line below its key."""
    if not doc.text:
        return None
    lines = doc.text.splitlines()
    last = min(len(lines), line + value.count("\n") + 1)
    for number in range(line, last + 1):
        text = lines[number - 1]
        columns = [text.find(mark) for mark in _MARKS if mark in text]
        if columns:
            return number, min(columns) + 1
    return None


def check(ctx):
    for doc in ctx.documents:
        if not readable(doc) or (doc.text is not None and not _may_hold_mark(doc.text)):
            continue
        found = sorted((path for path, value in _strings(doc.data) if holds_mark(value)),
                       key=lambda p: doc.at(p).line)
        for path in found:
            where = doc.at(path)
            exact = _mark_position(doc, where.line, doc.get(path))
            if exact is not None:
                where = type(where)(doc, *exact)
            yield hit(where, _("{where} is still to be filled in; write the real text in "
                               "place of the mark {mark}", where=place_words(doc, path),
                               mark=next(m for m in _MARKS if m in doc.get(path))))
