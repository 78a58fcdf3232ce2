"""A role holder without a phone number.

Whoever holds a role in the crisis organisation must be reachable: the call
order is worked through by phone. Reported at the person in the alert list
(annex A), naming the roles they hold.

Fix: add at least one number under `phones`.

    people:
      - id: per-hansen
        name: Per Hansen
        phones: []              # reported: holds 'borgmester'
"""
from __future__ import annotations

from ..i18n import _n
from .base import hit, quoted

ID = "holder-without-phone"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a role holder with no phone number"


def check(ctx):
    for person, roles in ctx.plan.role_holders():
        if not person.phones:
            written = "phones" in (person.src.doc.get(person.src.path) or {})
            yield hit(person.src.child("phones") if written else person.src, _n(
                "{who} holds the role {roles} but has no phone number; add one under `phones:`",
                "{who} holds the roles {roles} but has no phone number; add one under `phones:`",
                len(roles), who=person.name or person.id, roles=quoted(roles)), key=True)
