"""A holder of a role that requires security clearance has none.

Roles with `clearance_required: true` (typically the mayor, the chief
executive and the emergency coordinator) handle classified information in a
crisis. Each holder, deputies included, needs `clearance: {level, expires}` in
the alert list. A clearance without an expiry date is reported too: it cannot
be tracked. Only the level and date belong here, never classified content.

Fix: record the clearance, or apply for one.

    people:
      - id: per-hansen
        clearance: {level: KONFIDENSIELT, expires: 2029-05-01}
"""
from __future__ import annotations

from .base import hit

ID = "clearance-missing"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a holder of a clearance_required role without a recorded clearance"


def check(ctx):
    for person, roles in ctx.plan.role_holders(clearance_required=True):
        names = ", ".join(f"'{r}'" for r in roles)
        who = person.name or person.id
        if person.clearance is None or not person.clearance.level:
            yield hit(person.src, f"{who} holds {names}, which requires security clearance, "
                                  "but has no clearance recorded")
        elif person.clearance.expires is None:
            yield hit(person.clearance.src, f"{who}'s clearance has no expiry date", key=True)
