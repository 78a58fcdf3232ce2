"""The plan changed since its last approval, or the approval is unverified.

`beredskap approve` records each council approval with a digest of
`plan.yaml`'s content (history keys excluded, annexes excluded). When the
content no longer matches the latest approval's digest the plan is "changed
since approval": normal while a revision is being prepared, but the council
must approve it again (`beredskap due` lists re-approval when sections, roles,
staff, levels or activation changed). An approval recorded without a digest
(made before the plan was kept here) counts as approved but unverified. A plan
never approved is reported too.

When the plan is kept in git, the finding names the sections that changed
since the approved version (found in the history as `beredskap changes` finds
it) and says whether roles, staff, levels or the activation changed;
`beredskap changes` makes the document with the changes marked.

This rule only informs; it never fails a check. Fix: have the council approve
the plan, then record it with `beredskap approve`.
"""
from __future__ import annotations

from ..digest import status
from ..i18n import _, _n
from .base import hit

ID = "approval-status"
SEVERITY = "info"
SCOPE = "plan"
SUMMARY = "the plan changed since its last approval, or the approval has no digest"

SECTION_CHANGES = {
    "added": lambda section: _("section {section} added", section=section),
    "removed": lambda section: _("section {section} removed", section=section),
    "moved": lambda section: _("section {section} moved", section=section),
    "changed": lambda section: _("section {section} changed", section=section),
}
OTHER_CHANGES = {
    "roles": _("roles changed"),
    "staff": _("crisis staff changed"),
    "levels": _("levels changed"),
    "activation": _("activation changed"),
}


def check(ctx):
    plan = ctx.plan
    state = status(plan.document.data, plan.approvals)
    if state == "never":
        yield hit(plan.document.at(()), _("the plan has never been approved; after the "
                                          "council's decision, record it with `beredskap "
                                          "approve`"))
        return
    if state not in ("unverified", "changed"):
        return
    dated = [a for a in plan.approvals if a.date is not None] or plan.approvals
    latest = dated[-1]
    when = latest.date or _("an unknown date")
    changes = what_changed(ctx)
    if state == "unverified":
        if changes:
            yield hit(latest.src, _("the approval of {date} has no digest, so it cannot be "
                                    "checked against the current content (approved, "
                                    "unverified); since it was recorded: {changes}",
                                    date=when, changes=changes))
        else:
            yield hit(latest.src, _("the approval of {date} has no digest, so it cannot be "
                                    "checked against the current content (approved, "
                                    "unverified)", date=when))
    elif changes:
        yield hit(latest.src.child("digest"), _("the plan has changed since it was approved on "
                                                "{date}: {changes}; it needs a new approval",
                                                date=when, changes=changes))
    else:
        yield hit(latest.src.child("digest"), _("the plan has changed since it was approved on "
                                                "{date}; it needs a new approval", date=when))


def what_changed(ctx) -> list:
    """The changes since the approved version as found in git, or [] when it cannot be
    found or nothing in sections, roles, staff, levels or activation changed."""
    consulted: list = []
    try:
        from ..cache import path_digest
        from ..changes import since_approval
        summary = since_approval(ctx.plan, annexes=False, consulted=consulted)
        # the finding depends on the history too: a stored result is used again only
        # while git's HEAD (and, for a plan not in git yet, the index) are unchanged
        ctx.dependencies.update({str(p): path_digest(p) for p in consulted})
    except Exception:  # noqa: BLE001  (the history is a bonus: never let it break a check)
        return []
    if summary is None:
        return []
    out = []
    for change in summary.sections:
        label = f"{change.number} {change.title}" if change.number else change.title
        if change.kind in SECTION_CHANGES:
            out.append(SECTION_CHANGES[change.kind](label))
    renumbered = len(summary.by_kind("renumbered"))
    if renumbered:
        out.append(_n("{n} section renumbered", "{n} sections renumbered", renumbered))
    areas = {c.area for c in summary.entries}
    out.extend(message for area, message in OTHER_CHANGES.items() if area in areas)
    if not out and summary.details:
        out.append(_("other details changed ({keys})", keys=", ".join(summary.details)))
    return out
