"""An id used twice in one plan.

All ids in a plan share one namespace, across `plan.yaml` and every annex
file: people, roles, staff, sections, resources, partners, templates, action
cards, sub-plans and exercise findings. A reference to a duplicated id would be
ambiguous, so every use after the first is reported.

The same annex file listed under two annexes is reported too: its entries
would be in the plan twice, and where only one of the two annexes is marked
exempt, the public version could not say which is meant (it withholds both).

Fix: rename one of them (and the references to it); list each file under
one annex only.

    # bilag-a.yaml                       # plan.yaml
    people:                              roles:
      - id: beredskab   # first            - id: beredskab   # reported
"""
from __future__ import annotations

from ..i18n import _
from ..markings import file_identity
from .base import a_kind, hit

ID = "duplicate-id"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "an id used twice in one plan (one namespace across all its files)"


def check(ctx):
    for ident, entities in ctx.plan.ids.items():
        if len(entities) < 2:
            continue  # (asking where a node is costs a second read of its file)
        first = entities[0]
        where = first.src.at("id")
        for other in entities[1:]:
            yield hit(other.src.child("id"), _(
                "the id '{id}' is already used by {kind} at {place}; ids must be unique in "
                "the whole plan, so give this one another id", id=ident, kind=a_kind(first.KIND),
                place="{}:{}".format(where.doc.display, where.line)))
    seen: dict[tuple, object] = {}
    for annex in ctx.plan.annexes:
        key = "file" if annex.file is not None else "cards"
        told = set()
        for doc in annex.documents:
            first = seen.setdefault(file_identity(doc.path), annex)
            if first is not annex and id(first) not in told:
                told.add(id(first))
                yield hit(annex.src.child(key), _(
                    "'{file}' is already annex {letter}; list each file under one annex only",
                    file=doc.display, letter=first.letter or "?"))
