"""Dates in an impossible order, or events dated in the future.

Reported: an evaluation dated before its exercise or incident, a finding
closed before its exercise took place, a submission dated before the plan's
first approval, and any event dated after `--today` — approvals, submissions,
revisions, exercises, evaluations, closed findings, incidents, `verified`,
`reviewed`, `last_revised` and the risk analysis date. An event in the future
is usually a typo in the year, and would make every deadline look fine.
Due dates and expiry dates may of course lie in the future.

Fix: correct the date.

    exercises:
      - {date: 2024-11-12, title: Stabsøvelse, evaluated: 2024-10-01}   # reported
"""
from __future__ import annotations

from .base import hit

ID = "date-order"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "an evaluation before its exercise, a submission before its approval, an event in the future"


def _events(plan):
    """(date, where, what) for every dated event in the plan's files."""
    for a in plan.approvals:
        yield a.date, a.src.child("date"), "approval"
    for s in plan.submissions:
        yield s.date, s.src.child("date"), "submission"
    for r in plan.revisions:
        yield r.date, r.src.child("date"), "revision"
    if plan.risk_analysis:
        yield plan.risk_analysis.date, plan.risk_analysis.src.child("date"), "risk analysis"
    for e in plan.exercises:
        yield e.date, e.src.child("date"), "exercise"
        yield e.evaluated, e.src.child("evaluated"), "evaluation"
    for n in plan.incidents:
        yield n.date, n.src.child("date"), "incident"
        yield n.evaluated, n.src.child("evaluated"), "evaluation"
    for event in plan.events:
        for f in event.findings:
            yield f.closed, f.src.child("closed"), "closing of a finding"
    for entry in (*plan.people, *plan.resources, *plan.partners):
        yield entry.verified, entry.verified_src, "verification"
    for card in plan.cards:
        yield card.reviewed, card.src.child("reviewed"), "card review"
    for sub in plan.subplans:
        yield sub.last_revised, sub.src.child("last_revised"), "sub-plan revision"


def check(ctx):
    plan, today = ctx.plan, ctx.today
    for day, src, what in _events(plan):
        if day is not None and src is not None and day > today:
            yield hit(src, f"{what} dated {day.isoformat()} is in the future "
                           f"(today is {today.isoformat()})")
    for event in (*plan.exercises, *plan.incidents):
        if event.date and event.evaluated and event.evaluated < event.date:
            yield hit(event.src.child("evaluated"), (
                f"evaluation {event.evaluated.isoformat()} is before '{event.title}' itself "
                f"({event.date.isoformat()})"))
    for event in plan.events:
        for finding in event.findings:
            if event.date and finding.closed and finding.closed < event.date:
                yield hit(finding.src.child("closed"), (
                    f"finding '{finding.id}' is closed {finding.closed.isoformat()}, before its "
                    f"{event.KIND} took place ({event.date.isoformat()})"))
    approved = sorted(a.date for a in plan.approvals if a.date)
    for submission in plan.submissions:
        if submission.date and (not approved or submission.date < approved[0]):
            first = f"the first approval ({approved[0].isoformat()})" if approved \
                else "any approval"
            yield hit(submission.src.child("date"), (
                f"submission {submission.date.isoformat()} is dated before {first}; "
                "a plan is submitted after the council approved it"))
