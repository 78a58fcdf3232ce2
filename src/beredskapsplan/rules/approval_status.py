"""The plan changed since its last approval, or the approval is unverified.

`beredskap approve` records each council approval with a digest of
`plan.yaml`'s content (history keys excluded, annexes excluded). When the
content no longer matches the latest approval's digest the plan is "changed
since approval": normal while a revision is being prepared, but the council
must approve it again (`beredskap due` lists re-approval when sections, roles,
staff, levels or activation changed). An approval recorded without a digest
(made before the plan was kept here) counts as approved but unverified. A plan
never approved is reported too.

This rule only informs; it never fails a check. Fix: have the council approve
the plan, then record it with `beredskap approve`.
"""
from __future__ import annotations

from ..digest import status
from .base import hit

ID = "approval-status"
SEVERITY = "info"
SCOPE = "plan"
SUMMARY = "the plan changed since its last approval, or the approval has no digest"


def check(ctx):
    plan = ctx.plan
    state = status(plan.document.data, plan.approvals)
    if state == "never":
        yield hit(plan.document.at(()), "the plan has never been approved; after the council's "
                                        "decision, record it with `beredskap approve`")
        return
    latest = plan.approvals[-1]
    when = latest.date.isoformat() if latest.date else "an unknown date"
    if state == "unverified":
        yield hit(latest.src, f"the approval of {when} has no digest, so it cannot be checked "
                              "against the current content (approved, unverified)")
    elif state == "changed":
        yield hit(latest.src.child("digest"), f"the plan has changed since it was approved on "
                                              f"{when}; it needs a new approval")
