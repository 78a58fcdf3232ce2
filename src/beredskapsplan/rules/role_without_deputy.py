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

from ..i18n import _
from .base import hit

ID = "role-without-deputy"
SEVERITY = "error"
SCOPE = "plan"
SUMMARY = "a role with fewer than two holders (no deputy)"


def check(ctx):
    for role in ctx.plan.roles:
        count = len(role.holders)
        if count < 2:
            message = _("the role '{id}' has one holder and no deputy; add a deputy to its "
                        "`holders:` (the first is the primary holder, the rest deputies)",
                        id=role.id) if count else _(
                "the role '{id}' has no holders; list a primary holder and at least one "
                "deputy under `holders:`", id=role.id)
            yield hit(role.src.child("holders") if count else role.src, message, key=True)
