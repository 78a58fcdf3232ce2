"""A role with fewer than two holders.

Every role in the crisis organisation needs a primary holder and at least one
deputy (`holders: [primary, deputy, ...]`): a crisis does not wait for the one
person who is on holiday, ill or affected themselves.

Fix: add a deputy to `holders`.

    roles:
      - id: kommunikasjonssjef
        holders: [kari-lie]          # reported: no deputy
"""
from __future__ import annotations

from .base import hit

ID = "role-without-deputy"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a role with fewer than two holders (no deputy)"


def check(ctx):
    for role in ctx.plan.roles:
        count = len(role.holders)
        if count < 2:
            what = "no holder" if count == 0 else "one holder and no deputy"
            yield hit(role.src.child("holders") if count else role.src,
                      f"role '{role.id}' has {what}; list a primary holder and at least one deputy",
                      key=True)
