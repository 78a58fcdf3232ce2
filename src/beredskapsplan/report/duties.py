"""Each duty of a plan's jurisdiction, judged from the plan's data, with its evidence.

The status of a duty comes from the same code as `due` and `validate`: a
deadline's status (`due.compute`) or the required-content rule. A deadline
that is overdue makes the duty *not met*; one never done (nothing recorded to
count from) makes it *not recorded*; one not yet passed leaves it *met*.
Nothing here computes a deadline of its own.
"""
from __future__ import annotations

from datetime import date

from ..due.compute import Deadline
from ..i18n import Translator, _, _n
from ..jurisdiction import Duty, Jurisdiction
from ..model import Plan, Src
from ..rules.required_content import ANNEX_TOPICS
from .model import MET, NOT_MET, NOT_RECORDED, DutyRow, Evidence, worst

# a deadline's status as a duty's status
FROM_DEADLINE = {"never": NOT_RECORDED, "overdue": NOT_MET, "soon": MET, "ok": MET}

TOPICS = {
    "purpose": _("the plan's purpose"),
    "crisis-management": _("crisis management (who leads, who may activate the plan)"),
    "activation": _("activation of the plan"),
    "alert-list": _("an alert list"),
    "public-warning": _("warning the public"),
    "resources": _("an overview of resources"),
    "evacuation": _("evacuation"),
    "crisis-communication": _("crisis communication"),
    "information-handling": _("information handling in the crisis staff"),
    "coordination": _("coordination of actions and resources"),
    "sub-plans": _("a register of sub-plans"),
    "risk-analysis": _("the risk and vulnerability analysis"),
    "exercises": _("exercises"),
    "continuity": _("continuity of services"),
    "psychosocial": _("psychosocial care"),
    "vulnerable-groups": _("vulnerable groups"),
}

TITLES = {
    "risk-basis": _("The plan is based on the overall risk and vulnerability analysis "
                    "(helhetlig ROS), and the ROS is kept up to date"),
    "revise": _("The plan is revised at least once a year"),
    "exercise": _("The plan is exercised at least every second year"),
    "evaluate": _("Every exercise and every incident is evaluated"),
    "documentation": _("The work is documented in writing: the ROS, the plan's revisions, "
                       "its exercises and their evaluations"),
    "approve": _("The municipal council adopts the plan at a meeting, at least once in "
                 "every council term"),
    "submit": _("The adopted plan and its revisions are sent to the national authority"),
}


def worst_row(rows: list[Deadline]) -> Deadline | None:
    """The deadline that decides a duty: overdue first, then never done, then the soonest."""
    if not rows:
        return None
    return min(rows, key=lambda r: (FROM_DEADLINE[r.status] != NOT_MET,
                                    FROM_DEADLINE[r.status] != NOT_RECORDED, r.due))


class Judge:
    """The duties of one plan, from its model, its deadlines and its missing topics."""

    def __init__(self, plan: Plan, jurisdiction: Jurisdiction, deadlines: list[Deadline],
                 missing: list[str], tr: Translator):
        self.plan, self.jurisdiction, self.tr = plan, jurisdiction, tr
        self.missing = set(missing)
        self.by_what: dict[str, list[Deadline]] = {}
        for row in deadlines:
            self.by_what.setdefault(row.what, []).append(row)

    # -- helpers ----------------------------------------------------------------------

    def row(self, what: str, subject_id: str | None = None) -> Deadline | None:
        return worst_row([r for r in self.by_what.get(what, ())
                          if subject_id is None or r.subject_id == subject_id])

    def evidence(self, message, src: Src | None, *sub, day: date | None = None) -> Evidence:
        where = src.at(*sub) if src is not None else self.plan.document.at(())
        return Evidence(self.tr(message), where.doc.display, where.line,
                        day.isoformat() if day else None)

    def title(self, duty: Duty) -> str:
        if duty.check == "topic":
            topic = TOPICS.get(duty.data.get("topic", ""))
            label = self.tr(topic) if topic else duty.data.get("topic", "")
            return self.tr(_("The plan covers {topic}", topic=label))
        if duty.check == "subplan":
            statutory = (self.jurisdiction.data.get("statutory_subplans") or {}) \
                .get(duty.data.get("statutory", ""), {})
            name = statutory.get("title") or duty.data.get("statutory", "")
            return self.tr(_("The municipality keeps its «{plan}» up to date (plan register)",
                             plan=name))
        known = TITLES.get(duty.id)
        return self.tr(known) if known else duty.summary

    def made(self, duty: Duty, status: str, summary, evidence=(), deadline: Deadline | None = None
             ) -> DutyRow:
        return DutyRow(
            id=duty.id, column=duty.column, title=self.title(duty), citation=duty.citation,
            basis=duty.basis, wording=" ".join(duty.wording.split()) if duty.wording else None,
            wording_checked=duty.checked, status=status,
            summary=self.tr(summary), evidence=list(evidence),
            due=deadline.due.isoformat() if deadline is not None and deadline.status != "never"
            else None,
            rule=deadline.source if deadline is not None else None)

    def last_revision(self):
        """The revision or approval the plan's revision deadline counts from (as `due`)."""
        entries = [(r.date, r, True) for r in self.plan.revisions if r.date] + \
                  [(a.date, a, False) for a in self.plan.approvals if a.date]
        if not entries:
            return None
        day, entry, is_revision = max(entries, key=lambda e: (e[0], e[2]))
        message = (_("Last revised {date}", date=day) if is_revision
                   else _("Approved {date} by {body}", date=day, body=entry.by or "?"))
        return day, self.evidence(message, entry.src, "date", day=day)

    # -- the checks ------------------------------------------------------------------

    def judge(self, duty: Duty) -> DutyRow:
        method = getattr(self, "check_" + duty.check.replace("-", "_"), None)
        if method is None:
            return self.made(duty, NOT_RECORDED,
                             _("This version of beredskap cannot judge this duty"))
        return method(duty)

    def check_obligation(self, duty: Duty) -> DutyRow:
        what = duty.data.get("obligation", duty.id)
        row = self.row(what)
        evidence = []
        if what == "revise":
            found = self.last_revision()
            if found:
                evidence.append(found[1])
        elif what == "exercise":
            dated = [e for e in self.plan.exercises if e.date]
            if dated:
                last = max(dated, key=lambda e: e.date)
                evidence.append(self.evidence(
                    _("Exercised {date}: {title}", date=last.date, title=last.title or "?"),
                    last.src, "date", day=last.date))
        elif what == "approve":
            dated = [a for a in self.plan.approvals if a.date]
            if dated:
                last = max(dated, key=lambda a: a.date)
                evidence.append(self.evidence(
                    _("Adopted {date} by {body}", date=last.date, body=last.by or "?"),
                    last.src, "date", day=last.date))
        if row is None:
            return self.made(duty, NOT_RECORDED,
                             _("No deadline could be computed for this duty"), evidence)
        status = FROM_DEADLINE[row.status]
        if status == NOT_RECORDED:
            summary = {"revise": _("No revision or approval of the plan is recorded"),
                       "exercise": _("No exercise of the plan is recorded"),
                       "approve": _("No adoption by the council is recorded")}.get(
                what, _("Nothing is recorded to count the deadline from"))
        elif status == NOT_MET:
            summary = _("Overdue since {due}", due=row.due)
        else:
            summary = _("Next due {due}", due=row.due)
        return self.made(duty, status, summary, evidence, row)

    def check_risk_basis(self, duty: Duty) -> DutyRow:
        risk = self.plan.risk_analysis
        if risk is None or risk.date is None:
            evidence = [self.evidence(_("The risk analysis has no date"), risk.src, "date")] \
                if risk is not None else []
            return self.made(duty, NOT_RECORDED,
                             _("No overall risk and vulnerability analysis with a date is "
                               "recorded in the plan (`risk_analysis`)"), evidence,
                             self.row("risk-review"))
        evidence = [self.evidence(_("{title}, dated {date}", title=risk.title or "ROS",
                                    date=risk.date), risk.src, "date", day=risk.date)]
        review = self.row("risk-review")
        revised = self.last_revision()
        if revised:
            evidence.append(revised[1])
        if review is not None and review.status == "overdue":
            plan_revision = self.row("revise")
            if plan_revision is not None and plan_revision.status == "overdue":
                summary = _("The ROS was due for review on {due}, and the plan's own yearly "
                            "revision is overdue too (since {revision}): the plan waits for an "
                            "overdue ROS, but must be kept up to date meanwhile",
                            due=review.due, revision=plan_revision.due)
            else:
                summary = _("The ROS was due for review on {due}: the plan is based on an "
                            "overdue ROS", due=review.due)
            return self.made(duty, NOT_MET, summary, evidence, review)
        if revised is None:
            return self.made(duty, NOT_RECORDED,
                             _("No revision or approval of the plan is recorded, so it cannot "
                               "be told whether the plan builds on this ROS"), evidence, review)
        if revised[0] < risk.date:
            return self.made(duty, NOT_MET,
                             _("The plan was last revised on {revised}, before its ROS of "
                               "{date}: it is not yet based on the current ROS",
                               revised=revised[0], date=risk.date), evidence, review)
        if review is None:
            summary = _("The plan builds on the ROS of {date}", date=risk.date)
        else:
            summary = _("The plan builds on the ROS of {date}; the ROS is next due for review "
                        "on {due}", date=risk.date, due=review.due)
        return self.made(duty, MET, summary, evidence, review)

    def check_topic(self, duty: Duty) -> DutyRow:
        topic = duty.data.get("topic", "")
        if topic in self.missing:
            return self.made(duty, NOT_MET,
                             _("Nothing in the plan covers it; add `{topic}` to the `covers:` of "
                               "the section that does", topic=topic))
        evidence = self.where_covered(topic)
        if not evidence:
            return self.made(duty, NOT_RECORDED,
                             _("An annex that may cover it could not be read"))
        return self.made(duty, MET, _("Covered"), evidence)

    def where_covered(self, topic: str) -> list[Evidence]:
        found = []
        for section in self.plan.all_sections():
            if topic in section.covers:
                found.append(self.evidence(_("Section «{title}»", title=section.title or "?"),
                                           section.src, "covers"))
        for annex in self.plan.annexes:
            for doc in annex.documents:
                if ANNEX_TOPICS.get(doc.kind or "") == topic:
                    title = annex.title or doc.display
                    found.append(Evidence(self.tr(_("Annex {letter}: {title}",
                                                    letter=annex.letter or "?", title=title)),
                                          doc.display, 1))
        if topic == "risk-analysis" and self.plan.risk_analysis is not None:
            risk = self.plan.risk_analysis
            found.append(self.evidence(_("{title}, dated {date}", title=risk.title or "ROS",
                                         date=risk.date or "?"), risk.src))
        return found[:3]

    def check_evaluation(self, duty: Duty) -> DutyRow:
        events = [e for e in self.plan.events if e.date is not None]
        if not events:
            return self.made(duty, NOT_RECORDED, _("No exercise or incident is recorded"))
        rows = self.by_what.get("evaluate", [])
        # `due` names each evaluation by its event's kind and date (and, for two events
        # of one day, more): found here by the start of that name and the event's line
        due_by = {(r.subject_id.split("-", 1)[0], r.subject_id.split("-", 1)[1][:10], r.line): r
                  for r in rows}
        evidence = []
        for event in sorted(events, key=lambda e: e.date, reverse=True):
            if event.evaluated is not None:
                evidence.append(self.evidence(
                    _("{title} ({date}): evaluated {evaluated}", title=event.title or "?",
                      date=event.date, evaluated=event.evaluated),
                    event.src, "evaluated", day=event.evaluated))
            else:
                row = due_by.get(("exercise" if event.KIND == "exercise" else "incident",
                                  event.date.isoformat(), event.src.at().line))
                message = (_("{title} ({date}): not evaluated; due {due}",
                             title=event.title or "?", date=event.date, due=row.due)
                           if row else _("{title} ({date}): not evaluated",
                                         title=event.title or "?", date=event.date))
                evidence.append(self.evidence(message, event.src, "date", day=event.date))
        overdue = sorted((r for r in rows if r.status == "overdue"), key=lambda r: r.due)
        if overdue:
            return self.made(duty, NOT_MET,
                             _n("{n} evaluation is overdue, the first since {due}",
                                "{n} evaluations are overdue, the first since {due}",
                                len(overdue), due=overdue[0].due), evidence, overdue[0])
        if rows:
            first = min(rows, key=lambda r: r.due)
            return self.made(duty, MET,
                             _n("{n} evaluation is not made yet and not yet due; the first is "
                                "due {due}",
                                "{n} evaluations are not made yet and not yet due; the first is "
                                "due {due}", len(rows), due=first.due), evidence, first)
        return self.made(duty, MET, _n("The exercise or incident is evaluated",
                                       "All {n} exercises and incidents are evaluated",
                                       len(events)), evidence)

    def check_documentation(self, duty: Duty) -> DutyRow:
        plan = self.plan
        missing, evidence = [], []
        risk = plan.risk_analysis
        if risk is not None and risk.date is not None:
            evidence.append(self.evidence(_("{title}, dated {date}", title=risk.title or "ROS",
                                            date=risk.date), risk.src, "date", day=risk.date))
        else:
            missing.append(_("the risk and vulnerability analysis"))
        changes = [x for x in (*plan.revisions, *plan.approvals) if x.date]
        if changes:
            evidence.append(self.evidence(
                _n("{n} revision or approval recorded", "{n} revisions and approvals recorded",
                   len(changes)), Src(plan.document, ("revisions",) if plan.revisions
                                      else ("approvals",))))
        else:
            missing.append(_("the plan's revisions"))
        exercises = [e for e in plan.exercises if e.date]
        if exercises:
            evidence.append(self.evidence(
                _n("{n} exercise recorded", "{n} exercises recorded", len(exercises)),
                Src(plan.document, ("exercises",))))
        else:
            missing.append(_("exercises"))
        if missing:
            return self.made(duty, NOT_RECORDED,
                             _("The plan does not record {missing}; the documents may be kept "
                               "elsewhere", missing=missing), evidence)
        return self.made(duty, MET, _("The plan records its ROS, its revisions and its "
                                      "exercises with their evaluations"), evidence)

    def check_subplan(self, duty: Duty) -> DutyRow:
        key = duty.data.get("statutory", "")
        subs = [s for s in self.plan.subplans if s.statutory == key]
        if not subs:
            return self.made(duty, NOT_RECORDED,
                             _("No sub-plan with `statutory: {key}` in the plan register "
                               "(annex C)", key=key))
        evidence, rows = [], []
        for sub in subs:
            if sub.last_revised:
                evidence.append(self.evidence(
                    _("{title}, last revised {date}", title=sub.title or sub.id or "?",
                      date=sub.last_revised), sub.src, "last_revised", day=sub.last_revised))
            else:
                evidence.append(self.evidence(_("{title}: undated", title=sub.title or "?"),
                                              sub.src))
            row = self.row("subplan-review", f"subplan-{sub.id}")
            if row is not None:
                rows.append(row)
        if rows:
            first = worst_row(rows)
            status = worst(FROM_DEADLINE[r.status] for r in rows)
            summary = {NOT_MET: _("Review overdue since {due}", due=first.due),
                       NOT_RECORDED: _("The plan register gives no date of its last revision"),
                       MET: _("Next review due {due}", due=first.due)}[status]
            return self.made(duty, status, summary, evidence, first)
        if all(s.last_revised for s in subs):
            return self.made(duty, MET, _("Recorded; no review interval is set (`review_every`)"),
                             evidence)
        return self.made(duty, NOT_RECORDED,
                         _("The plan register gives no date of its last revision"), evidence)

    def check_submission(self, duty: Duty) -> DutyRow:
        approvals = [a for a in self.plan.approvals if a.date]
        if not approvals:
            return self.made(duty, NOT_RECORDED,
                             _("No adoption is recorded, so there is nothing to send yet"))
        latest = max(approvals, key=lambda a: a.date)
        evidence = [self.evidence(_("Adopted {date} by {body}", date=latest.date,
                                    body=latest.by or "?"), latest.src, "date", day=latest.date)]
        row = self.row("submit")
        if row is None:
            sent = [s for s in self.plan.submissions if s.date and s.date >= latest.date]
            for sub in sorted(sent, key=lambda s: s.date)[:1]:
                evidence.append(self.evidence(_("Sent {date} to {to}", date=sub.date,
                                                to=sub.to or "?"), sub.src, "date", day=sub.date))
            return self.made(duty, MET, _("The adoption of {date} has been sent",
                                          date=latest.date), evidence)
        status = FROM_DEADLINE[row.status]
        if status == NOT_MET:
            summary = _("The adoption of {date} has not been sent; it was due {due}",
                        date=latest.date, due=row.due)
        else:
            summary = _("The adoption of {date} is not sent yet; due {due}", date=latest.date,
                        due=row.due)
        return self.made(duty, status, summary, evidence, row)
