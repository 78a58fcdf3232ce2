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

from .base import hit

ID = "holder-without-phone"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a role holder with no phone number"


def check(ctx):
    plan = ctx.plan
    roles_of: dict[int, list[str]] = {}
    people = {}
    for role in plan.roles:
        for person in plan.holders(role):
            people[id(person)] = person
            roles_of.setdefault(id(person), []).append(role.id or "?")
    for key, person in people.items():
        if not person.phones:
            roles = ", ".join(f"'{r}'" for r in roles_of[key])
            yield hit(person.src.child("phones") if "phones" in (person.src.doc.get(person.src.path) or {})
                      else person.src,
                      f"{person.name or person.id} holds {roles} but has no phone number", key=True)
