"""A holder of a role that requires security clearance has an expired one.

A clearance past its `expires` date is no clearance: the holder may not
receive classified information in a crisis. Compared with `--today`.
`beredskap due` lists clearances that will expire soon.

Fix: renew the clearance and record the new expiry date, or replace the holder.
"""
from __future__ import annotations

from ..i18n import _n
from .base import hit, quoted

ID = "clearance-expired"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a holder of a clearance_required role whose clearance has expired"


def check(ctx):
    for person, roles in ctx.plan.role_holders(clearance_required=True):
        clearance = person.clearance
        if clearance and clearance.expires and clearance.expires < ctx.today:
            yield hit(clearance.src.child("expires"), _n(
                "the security clearance of {who} expired on {day}, and the role {roles} "
                "requires one; write the date of the renewed clearance, or give the role to "
                "someone with a valid one",
                "the security clearance of {who} expired on {day}, and the roles {roles} "
                "require one; write the date of the renewed clearance, or give the roles to "
                "someone with a valid one",
                len(roles), who=person.name or person.id, day=clearance.expires,
                roles=quoted(roles)))
