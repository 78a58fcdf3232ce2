"""Free text carrying a classification marking.

Classified material (sikkerhetsloven in Norway, the classification circular
in Denmark) never belongs in a plan repository. Text with a marking in
capitals — BEGRENSET, KONFIDENSIELT, HEMMELIG, STRENGT HEMMELIG, TIL
TJENESTEBRUG, FORTROLIGT, HEMMELIGT, YDERST HEMMELIGT, RESTRICTED,
CONFIDENTIAL, SECRET, TOP SECRET — suggests that it was pasted from a
classified document. A person's clearance level (`clearance: {level: …}`) is
data, not a marking, and is not reported.

Fix: remove the text and refer to the classified document instead ("see the
classified annex kept by the emergency coordinator").
"""
from __future__ import annotations

import re

from ..documents import readable
from ..i18n import _
from .base import hit

ID = "classified-marking"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "free text carrying a classification marking (classified content never belongs here)"

# the markings, the longer one first where one contains another
MARKINGS = ("STRENGT HEMMELIG", "YDERST HEMMELIGT", "TOP SECRET", "TIL TJENESTEBRUG",
            "BEGRENSET", "KONFIDENSIELT", "HEMMELIGT", "HEMMELIG", "FORTROLIGT", "RESTRICTED",
            "CONFIDENTIAL", "SECRET")
MARKING = re.compile(r"(?<![\w-])(" + "|".join(MARKINGS) + r")(?![\w-])")


def _may_hold_marking(text: str) -> bool:
    """A quick substring test that rules out nearly every file before the regex."""
    return any(marking in text for marking in MARKINGS)


def _strings(node, path=()):
    stack = [(node, path)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, dict):
            for key, child in value.items():
                if key != "clearance":
                    stack.append((child, here + (key,)))
        elif isinstance(value, list):
            stack.extend((child, here + (i,)) for i, child in enumerate(value))


def check(ctx):
    for doc in ctx.documents:
        if not readable(doc) or (doc.text is not None and not _may_hold_marking(doc.text)):
            continue  # no marking anywhere in the file: no need to walk it
        for path, value in _strings(doc.data):
            match = MARKING.search(value)
            if match:
                yield hit(doc.at(path), _(
                    "text carries the classification marking '{marking}'; classified content "
                    "does not belong in the plan: refer to the classified document instead",
                    marking=match.group(1)))
