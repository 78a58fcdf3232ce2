"""A holder of a role that requires security clearance has an expired one.

A clearance past its `expires` date is no clearance: the holder may not
receive classified information in a crisis. Compared with `--today`.
`beredskap due` lists clearances that will expire soon.

Fix: renew the clearance and record the new expiry date, or replace the holder.
"""
from __future__ import annotations

from .base import hit

ID = "clearance-expired"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a holder of a clearance_required role whose clearance has expired"


def check(ctx):
    for person, roles in ctx.plan.role_holders(clearance_required=True):
        clearance = person.clearance
        if clearance and clearance.expires and clearance.expires < ctx.today:
            names = ", ".join(f"'{r}'" for r in roles)
            yield hit(clearance.src.child("expires"),
                      f"{person.name or person.id}'s security clearance expired on "
                      f"{clearance.expires.isoformat()}; {names} requires one")
