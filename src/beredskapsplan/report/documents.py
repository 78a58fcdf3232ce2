"""The documents table an audit asks for: the plan, its ROS and every sub-plan of annex C,
each with its date, owner and next revision (the `due` deadline); undated ones flagged."""
from __future__ import annotations

from ..due.compute import Deadline
from ..model import Plan, Ref
from .model import DocumentRow


def owner_name(plan: Plan, ref: Ref | None) -> str | None:
    """A role (or a staff's lead role) as "title (primary holder)"."""
    found = plan.lookup(ref)
    if found is not None and found.KIND == "staff" and found.lead is not None:
        found = plan.lookup(found.lead)
    if found is None or found.KIND != "role":
        return ref.id if isinstance(ref, Ref) else None
    holders = plan.holders(found)
    title = found.title or found.id or "?"
    return f"{title} ({holders[0].name})" if holders and holders[0].name else title


def _next(row: Deadline | None) -> tuple[str | None, str | None]:
    if row is None:
        return None, None
    return (row.due.isoformat() if row.status != "never" else None), row.status


def documents(plan: Plan, deadlines: list[Deadline]) -> list[DocumentRow]:
    by_key = {(r.what, r.subject_id): r for r in deadlines}
    rows = []
    changes = [x.date for x in (*plan.revisions, *plan.approvals) if x.date]
    plan_date = max(changes) if changes else None
    # the plan's next revision: the yearly one where the law has it, else the council's
    row = by_key.get(("revise", "plan")) or by_key.get(("approve", "plan"))
    next_day, next_status = _next(row)
    where = plan.document.at(("title",))
    rows.append(DocumentRow(
        kind="plan", title=plan.title or plan.id or "?",
        date=plan_date.isoformat() if plan_date else None, owner=owner_name(plan, plan.owner),
        next_revision=next_day, next_status=next_status, undated=plan_date is None,
        statutory=None, location=None, path=where.doc.display, line=where.line))
    risk = plan.risk_analysis
    if risk is not None:
        next_day, next_status = _next(by_key.get(("risk-review", "risk-analysis")))
        location = plan.document.get(("risk_analysis", "location"))
        where = risk.src.at("date")
        rows.append(DocumentRow(
            kind="risk-analysis", title=risk.title or "ROS",
            date=risk.date.isoformat() if risk.date else None,
            owner=None,  # the format records no owner for the ROS: never guessed
            next_revision=next_day, next_status=next_status, undated=risk.date is None,
            statutory=None, location=location if isinstance(location, str) else None,
            path=where.doc.display, line=where.line))
    for sub in plan.subplans:
        next_day, next_status = _next(by_key.get(("subplan-review", f"subplan-{sub.id}")))
        where = sub.src.at("last_revised") if sub.last_revised else sub.src.at()
        rows.append(DocumentRow(
            kind="sub-plan", title=sub.title or sub.id or "?",
            date=sub.last_revised.isoformat() if sub.last_revised else None,
            owner=owner_name(plan, sub.owner), next_revision=next_day, next_status=next_status,
            undated=sub.last_revised is None, statutory=sub.statutory, location=sub.location,
            path=where.doc.display, line=where.line))
    return rows
