"""An id used twice in one plan.

All ids in a plan share one namespace, across `plan.yaml` and every annex
file: people, roles, staff, sections, resources, partners, templates, action
cards, sub-plans and exercise findings. A reference to a duplicated id would be
ambiguous, so every use after the first is reported.

Fix: rename one of them (and the references to it).

    # bilag-a.yaml                       # plan.yaml
    people:                              roles:
      - id: beredskab   # first            - id: beredskab   # reported
"""
from __future__ import annotations

from ..i18n import _
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
