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

from ..i18n import _, _n
from .base import hit, quoted

ID = "clearance-missing"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a holder of a clearance_required role without a recorded clearance"


def check(ctx):
    for person, roles in ctx.plan.role_holders(clearance_required=True):
        who = person.name or person.id
        if person.clearance is None or not person.clearance.level:
            yield hit(person.src, _n(
                "{who} holds the role {roles}, which requires security clearance, but has no "
                "clearance recorded; add `clearance:` with its level and expiry date",
                "{who} holds the roles {roles}, which require security clearance, but has no "
                "clearance recorded; add `clearance:` with its level and expiry date",
                len(roles), who=who, roles=quoted(roles)))
        elif person.clearance.expires is None:
            yield hit(person.clearance.src, _(
                "the security clearance of {who} has no expiry date; add `expires:` with the "
                "date it runs out", who=who), key=True)
