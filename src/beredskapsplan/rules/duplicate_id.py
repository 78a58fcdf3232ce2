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

from .base import hit

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
            yield hit(other.src.child("id"), (
                f"id '{ident}' is already used by the {first.KIND} at "
                f"{where.doc.display}:{where.line}; ids must be unique in the whole plan"))
