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

from ..i18n import _
from .base import hit

ID = "date-order"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "an evaluation before its exercise, a submission before its approval, an event in the future"

# what each dated event is called in a message
_APPROVAL = _("the approval")
_SUBMISSION = _("the submission")
_REVISION = _("the revision")
_RISK_ANALYSIS = _("the risk analysis")
_EXERCISE = _("the exercise")
_EVALUATION = _("the evaluation")
_INCIDENT = _("the incident")
_CLOSING = _("the closing of a finding")
_VERIFICATION = _("the verification")
_CARD_REVIEW = _("the review of the card")
_SUBPLAN_REVISION = _("the revision of the sub-plan")


def _events(plan):
    """(date, where, what) for every dated event in the plan's files."""
    for a in plan.approvals:
        yield a.date, a.src.child("date"), _APPROVAL
    for s in plan.submissions:
        yield s.date, s.src.child("date"), _SUBMISSION
    for r in plan.revisions:
        yield r.date, r.src.child("date"), _REVISION
    if plan.risk_analysis:
        yield plan.risk_analysis.date, plan.risk_analysis.src.child("date"), \
            _RISK_ANALYSIS
    for e in plan.exercises:
        yield e.date, e.src.child("date"), _EXERCISE
        yield e.evaluated, e.src.child("evaluated"), _EVALUATION
    for n in plan.incidents:
        yield n.date, n.src.child("date"), _INCIDENT
        yield n.evaluated, n.src.child("evaluated"), _EVALUATION
    for event in plan.events:
        for f in event.findings:
            yield f.closed, f.src.child("closed"), _CLOSING
    for entry in (*plan.people, *plan.resources, *plan.partners):
        yield entry.verified, entry.verified_src, _VERIFICATION
    for card in plan.cards:
        yield card.reviewed, card.src.child("reviewed"), _CARD_REVIEW
    for sub in plan.subplans:
        yield sub.last_revised, sub.src.child("last_revised"), _SUBPLAN_REVISION


def check(ctx):
    plan, today = ctx.plan, ctx.today
    for day, src, what in _events(plan):
        if day is not None and src is not None and day > today:
            yield hit(src, _("{what} is dated {day}, which is in the future (today is "
                             "{today}); correct the date", what=what, day=day, today=today))
    for event in (*plan.exercises, *plan.incidents):
        if event.date and event.evaluated and event.evaluated < event.date:
            yield hit(event.src.child("evaluated"), _(
                "the evaluation is dated {evaluated}, before '{title}' itself ({day}); "
                "correct one of the dates", evaluated=event.evaluated, title=event.title,
                day=event.date))
    for event in plan.events:
        for finding in event.findings:
            if event.date and finding.closed and finding.closed < event.date:
                values = dict(id=finding.id, closed=finding.closed, day=event.date)
                yield hit(finding.src.child("closed"), _(
                    "the finding '{id}' is closed on {closed}, before its exercise took "
                    "place ({day}); correct the date", **values) if event.KIND == "exercise"
                    else _("the finding '{id}' is closed on {closed}, before its incident "
                           "happened ({day}); correct the date", **values))
    approved = sorted(a.date for a in plan.approvals if a.date)
    for submission in plan.submissions:
        if submission.date and (not approved or submission.date < approved[0]):
            yield hit(submission.src.child("date"), _(
                "the submission is dated {day}, before the first approval ({approved}); a "
                "plan is submitted after the council approved it, so correct the date",
                day=submission.date, approved=approved[0]) if approved else _(
                "the submission is dated {day}, but the plan has no approval; a plan is "
                "submitted after the council approved it: record the approval with "
                "`beredskap approve`", day=submission.date))
